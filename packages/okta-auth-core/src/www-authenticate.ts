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

const tchar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
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
  const s = header;
  const n = s.length;
  let i = 0;
  const challenges: WwwAuthenticateChallenge[] = [];

  const skipSpaces = (): void => {
    while (i < n && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && tchar.test(s[i] ?? '')) i++;
    return s.slice(start, i);
  };
  const readQuoted = (): string => {
    // s[i] === '"'
    i++;
    let out = '';
    while (i < n && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < n) i++;
      out += s[i] ?? '';
      i++;
    }
    i++; // closing quote (or past the end)
    return out;
  };
  /** Skips to just after the next top-level comma. */
  const skipElement = (): void => {
    while (i < n && s[i] !== ',') {
      if (s[i] === '"') readQuoted();
      else i++;
    }
    if (i < n) i++;
  };

  while (i < n) {
    while (i < n && (s[i] === ' ' || s[i] === '\t' || s[i] === ',')) i++;
    if (i >= n) break;
    const scheme = readToken();
    if (scheme === '') {
      skipElement();
      continue;
    }
    // No prototype: a parameter named "__proto__" or "constructor" is its own, an absent one reads undefined.
    const params = Object.create(null) as Record<string, string>;
    skipSpaces();
    // A token68 right after the scheme: token68 characters, optional '=' padding, then ',' or the end.
    const save = i;
    while (i < n && token68char.test(s[i] ?? '')) i++;
    const t68end = i;
    while (i < n && s[i] === '=') i++;
    const afterPad = i;
    skipSpaces();
    if (t68end > save && (i >= n || s[i] === ',')) {
      challenges.push({ scheme, params, token68: s.slice(save, afterPad) });
      continue;
    }
    i = save;
    // auth-params: name BWS "=" BWS (token / quoted-string), comma separated.
    for (;;) {
      skipSpaces();
      const paramStart = i;
      const name = readToken();
      skipSpaces();
      if (name === '' || s[i] !== '=') {
        // Not a parameter: a new challenge starts here (or garbage to skip).
        i = paramStart;
        break;
      }
      i++; // '='
      skipSpaces();
      const value = s[i] === '"' ? readQuoted() : readToken();
      params[name.toLowerCase()] ??= value;
      skipSpaces();
      if (i >= n) break;
      if (s[i] !== ',') {
        skipElement();
        break;
      }
      i++; // ','
      // Look ahead: another param (token "=") continues this challenge; anything else is a new challenge.
      skipSpaces();
      const look = i;
      readToken();
      skipSpaces();
      const continues = s[i] === '=';
      i = look;
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
