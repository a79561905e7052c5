/**
 * One challenge of a `WWW-Authenticate` header, such as
 * `DPoP algs="ES256", error="use_dpop_nonce"`.
 */
export interface WwwAuthenticateChallenge {
  /** The auth scheme as sent (`Bearer`, `DPoP`); compare without regard to case. */
  readonly scheme: string;
  /** The auth parameters, keys in lower case, quoted strings unescaped. */
  readonly params: Readonly<Record<string, string>>;
  /** A token68 credential, when the challenge carries one instead of parameters. */
  readonly token68?: string;
}

import { headerScan } from './header-scan.js';

const token68char = /[A-Za-z0-9\-._~+/]/;
const maxHeaderLength = 16_384;

/**
 * Parses a `WWW-Authenticate` header (RFC 9110 §11.6.1) into its challenges.
 * Okta puts `insufficient_scope`, `invalid_token`, `invalid_dpop_proof` and
 * `use_dpop_nonce` there, often with an empty body. Headers sent on several
 * lines arrive joined with `, ` and parse the same.
 *
 * Runs in time linear in the header's length and never throws: what cannot
 * be parsed is skipped. Headers over 16 KiB give no challenges.
 *
 * @example
 * ```ts
 * parseWwwAuthenticate('Bearer realm="IdpMyAccountAPI", error="insufficient_scope", scope="okta.users.read"');
 * // [{ scheme: 'Bearer', params: { realm: 'IdpMyAccountAPI', error: 'insufficient_scope', scope: 'okta.users.read' } }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 */
export function parseWwwAuthenticate(header: string | null | undefined): WwwAuthenticateChallenge[] {
  if (typeof header !== 'string' || header.length > maxHeaderLength) return [];
  const scan = headerScan(header);
  const challenges: WwwAuthenticateChallenge[] = [];
  for (;;) {
    scan.spaces(true);
    if (scan.end()) break;
    const scheme = scan.token();
    if (scheme === '') {
      scan.skipElement();
      continue;
    }
    const params: Record<string, string> = {};
    scan.spaces();
    // A token68 right after the scheme: token68 characters, optional '=' padding, then ',' or the end.
    const save = scan.i;
    while (!scan.end() && token68char.test(scan.peek() ?? '')) scan.i++;
    const t68end = scan.i;
    while (scan.peek() === '=') scan.i++;
    const afterPad = scan.i;
    scan.spaces();
    if (t68end > save && (scan.end() || scan.peek() === ',')) {
      challenges.push({ scheme, params, token68: header.slice(save, afterPad) });
      continue;
    }
    scan.i = save;
    // auth-params: name BWS "=" BWS (token / quoted-string), comma separated.
    for (;;) {
      scan.spaces();
      const paramStart = scan.i;
      const name = scan.token();
      scan.spaces();
      if (name === '' || scan.peek() !== '=') {
        // Not a parameter: a new challenge starts here (or garbage to skip).
        scan.i = paramStart;
        break;
      }
      scan.i++; // '='
      scan.spaces();
      const value = scan.peek() === '"' ? scan.quoted() : scan.token();
      params[name.toLowerCase()] ??= value;
      scan.spaces();
      if (scan.end()) break;
      if (scan.peek() !== ',') {
        scan.skipElement();
        break;
      }
      scan.i++; // ','
      // Look ahead: another param (token "=") continues this challenge; anything else is a new challenge.
      scan.spaces();
      const look = scan.i;
      scan.token();
      scan.spaces();
      const continues = scan.peek() === '=';
      scan.i = look;
      if (!continues) break;
    }
    challenges.push({ scheme, params });
  }
  return challenges;
}

/**
 * Finds the first challenge with the given scheme (case-insensitive).
 *
 * @example
 * ```ts
 * declare const response: Response;
 * const dpop = findChallenge(parseWwwAuthenticate(response.headers.get('www-authenticate')), 'DPoP');
 * const needsNonce = dpop?.params.error === 'use_dpop_nonce';
 * ```
 */
export function findChallenge(challenges: readonly WwwAuthenticateChallenge[], scheme: string): WwwAuthenticateChallenge | undefined {
  const wanted = scheme.toLowerCase();
  return challenges.find((challenge) => challenge.scheme.toLowerCase() === wanted);
}
