/** One link of a `Link` header. */
export interface WebLink {
  /** The target as sent (possibly relative). */
  readonly target: string;
  /** The relation types, lower case (`rel="next self"` gives `['next', 'self']`). */
  readonly rel: readonly string[];
  /** The other parameters, keys in lower case. */
  readonly params: Readonly<Record<string, string>>;
}

/** The longest `Link` header parsed (64 Ki characters); longer ones parse as no links. */
export const maxLinkHeaderLength = 65_536;

/**
 * Parses a `Link` header (RFC 8288 §3) into its links. Headers sent on
 * several lines arrive joined with `, ` and parse the same. Linear time,
 * never throws; malformed elements are skipped.
 *
 * @example
 * ```ts
 * parseLinkHeader('<https://acme.okta.com/api/v1/users?after=00u1>; rel="next"');
 * // [{ target: 'https://acme.okta.com/api/v1/users?after=00u1', rel: ['next'], params: { rel: 'next' } }]
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3
 */
export function parseLinkHeader(header: string | null | undefined): WebLink[] {
  if (typeof header !== 'string' || header.length > maxLinkHeaderLength) return [];
  const s = header;
  const n = s.length;
  let i = 0;
  const links: WebLink[] = [];
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

  while (i < n) {
    while (i < n && (isSpace(s[i]) || s[i] === ',')) i++;
    if (i >= n) break;
    if (s[i] !== '<') {
      // Skip this malformed element up to the next comma outside quotes.
      while (i < n && s[i] !== ',') i = s[i] === '"' ? skipQuoted(s, i) : i + 1;
      continue;
    }
    const close = s.indexOf('>', i + 1);
    if (close === -1) break;
    const target = s.slice(i + 1, close).trim();
    i = close + 1;
    // No prototype: a parameter named "__proto__" or "constructor" is its own, an absent one reads undefined.
    const params = Object.create(null) as Record<string, string>;
    for (;;) {
      while (i < n && isSpace(s[i])) i++;
      if (s[i] !== ';') break;
      i++;
      while (i < n && isSpace(s[i])) i++;
      const nameStart = i;
      while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i] ?? '')) i++;
      const name = s.slice(nameStart, i).toLowerCase();
      while (i < n && isSpace(s[i])) i++;
      let value = '';
      if (s[i] === '=') {
        i++;
        while (i < n && isSpace(s[i])) i++;
        if (s[i] === '"') {
          const end = skipQuoted(s, i);
          value = unquote(s.slice(i, end));
          i = end;
        } else {
          const valueStart = i;
          while (i < n && s[i] !== ';' && s[i] !== ',' && !isSpace(s[i])) i++;
          value = s.slice(valueStart, i);
        }
      }
      if (name !== '') params[name] ??= value;
    }
    // Anything else up to the next comma is garbage; skip it.
    while (i < n && s[i] !== ',') i = s[i] === '"' ? skipQuoted(s, i) : i + 1;
    const rel = (params.rel ?? '').toLowerCase().split(/[ \t]+/).filter((r) => r !== '');
    links.push({ target, rel, params });
  }
  return links;
}

/** Returns the index just past the quoted string starting at `start`. */
function skipQuoted(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return Math.min(i + 1, s.length);
}

function unquote(quoted: string): string {
  const inner = quoted.endsWith('"') && quoted.length >= 2 ? quoted.slice(1, -1) : quoted.slice(1);
  return inner.replace(/\\(.)/g, '$1');
}

/**
 * The absolute URL of the `rel="next"` link, resolved against the URL of the
 * response that carried it, or `undefined` at the last page.
 *
 * @example
 * ```ts
 * const next = nextLink(response.headers.get('link'), response.url);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export function nextLink(header: string | null | undefined, base: string | URL): URL | undefined {
  const link = parseLinkHeader(header).find((l) => l.rel.includes('next'));
  if (link === undefined || link.target === '') return undefined;
  // Okta's targets are absolute: they must resolve even when the base is not a URL (a
  // response built by a custom fetch has an empty url, and the first request was a path).
  for (const candidate of [() => new URL(link.target, base), () => new URL(link.target)]) {
    try {
      return candidate();
    } catch {
      // try the next way
    }
  }
  return undefined;
}
