import { headerScan } from './header-scan.js';

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
  const scan = headerScan(header);
  const links: WebLink[] = [];
  for (;;) {
    scan.spaces(true);
    if (scan.end()) break;
    if (scan.peek() !== '<') {
      // Skip this malformed element up to the next comma outside quotes.
      scan.skipElement();
      continue;
    }
    const close = header.indexOf('>', scan.i + 1);
    if (close === -1) break;
    const target = header.slice(scan.i + 1, close).trim();
    scan.i = close + 1;
    const params: Record<string, string> = {};
    for (;;) {
      scan.spaces();
      if (scan.peek() !== ';') break;
      scan.i++;
      scan.spaces();
      const name = scan.token().toLowerCase();
      scan.spaces();
      let value = '';
      if (scan.peek() === '=') {
        scan.i++;
        scan.spaces();
        value = scan.peek() === '"' ? scan.quoted() : scan.until('; \t,');
      }
      if (name !== '') params[name] ??= value;
    }
    // Anything else up to the next comma is garbage; skip it.
    scan.skipElement();
    const rel = (params.rel ?? '').toLowerCase().split(/[ \t]+/).filter((r) => r !== '');
    links.push({ target, rel, params });
  }
  return links;
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
