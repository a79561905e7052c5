import { stickyReader } from './sticky-reader.js';

/**
 * One challenge of a `WWW-Authenticate` header, such as
 * `DPoP algs="ES256", error="use_dpop_nonce"`.
 * @example
 * ```ts
 * if (isOktaApiError(error)) {
 *   const challenge: WwwAuthenticateChallenge | undefined = error.challenges[0];
 *   console.log(challenge?.scheme, challenge?.params.error); // DPoP use_dpop_nonce
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */
export interface WwwAuthenticateChallenge {
  /** The auth scheme as sent (`Bearer`, `DPoP`); compare without regard to case. */
  readonly scheme: string;
  /** The auth parameters, keys in lower case, quoted strings unescaped. */
  readonly params: Readonly<Record<string, string>>;
  /** A token68 credential, when the challenge carries one instead of parameters. */
  readonly token68?: string;
}

const maxHeaderLength = 16_384;

// Sticky patterns over RFC 9110's grammar, each matched at the parser's position only, so the walk
// stays linear. A quoted string ends at its first unescaped quote, or at the end of the header
// (`\` escapes any character, a last lone one is kept).
/** Separators before a challenge. */
const separators = /[ \t,]*(?:($)|)/y;
const token = /[!#$%&'*+\-.^\w`|~]*/y;
/** A token68 right after the scheme: its characters, `=` padding, then `,` or the end. */
const token68 = /[ \t]*([\w\-.~+/]+=*)[ \t]*(?:,|$)/y;
/** One auth-param: name BWS "=" BWS (quoted-string / token), then a `,` when another element follows. */
const param = /[ \t]*([!#$%&'*+\-.^\w`|~]+)[ \t]*=[ \t]*(?:"((?:[^"\\]|\\[^]?)*)"?|([!#$%&'*+\-.^\w`|~]*))[ \t]*(,?)/y;
/** What cannot be parsed, up to and past the next top-level comma (a quoted string skipped whole). */
const element = /(?:"(?:[^"\\]|\\[^]?)*"?|[^,"])*,?/y;

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
  const read = stickyReader(header);
  const challenges: WwwAuthenticateChallenge[] = [];
  for (;;) {
    // The separators before an element, and the end.
    if (read(separators)[1] !== undefined) break;
    const [scheme] = read(token);
    if (!scheme) {
      read(element);
      continue;
    }
    // No prototype: a parameter named "__proto__" or "constructor" is its own, an absent one reads undefined.
    const params = Object.create(null) as Record<string, string>;
    const [, credentials] = read(token68);
    if (credentials !== undefined) {
      challenges.push({ scheme, params, token68: credentials });
      continue;
    }
    // auth-params, comma separated, until what is not one: a new challenge (or garbage to skip).
    for (;;) {
      const [, name, text, plain = '', comma] = read(param);
      if (name === undefined) break;
      params[name.toLowerCase()] ??= text === undefined ? plain : text.replace(/\\([^])/g, '$1');
      if (comma === '') {
        read(element);
        break;
      }
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
