import { stickyReader } from './sticky-reader.js';

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

// Sticky patterns over RFC 8288's grammar, each matched at the parser's position only, so the walk
// stays linear. A quoted string ends at its first unescaped quote, or at the end of the header
// (`\` escapes any character, a last lone one is kept).
const separators = /[ \t,]*(?:($)|)/y;
/** `<target>`: a `<` with no `>` after it ends the parse. */
const linkTarget = /<([^>]*)(>)?/y;
/** `; name`, then BWS "=" BWS and a quoted string or a value up to `;`, `,` or white space. */
const param = /[ \t]*;[ \t]*([!#$%&'*+\-.^\w`|~]*)[ \t]*(?:=[ \t]*("(?:[^"\\]|\\[^]?)*"?|[^;, \t]*))?/y;
/** What cannot be parsed, up to the next comma outside quotes. */
const element = /(?:"(?:[^"\\]|\\[^]?)*"?|[^,"])*/y;

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
  const read = stickyReader(header);
  const links: WebLink[] = [];
  for (;;) {
    // The separators before an element, and the end.
    if (read(separators)[1] !== undefined) break;
    const [open, target = '', close] = read(linkTarget);
    if (open === undefined) {
      // A malformed element, skipped up to the next comma outside quotes.
      read(element);
      continue;
    }
    // A `<` never closed: nothing after it is a link.
    if (close === undefined) break;
    // No prototype: a parameter named "__proto__" or "constructor" is its own, an absent one reads undefined.
    const params = Object.create(null) as Record<string, string>;
    for (;;) {
      const [, name, value = ''] = read(param);
      if (name === undefined) break;
      if (name !== '') params[name.toLowerCase()] ??= value.startsWith('"') ? unquote(value) : value;
    }
    // Anything else up to the next comma is garbage; skip it.
    read(element);
    const rel = (params.rel ?? '').toLowerCase().split(/[ \t]+/).filter((r) => r !== '');
    links.push({ target: target.trim(), rel, params });
  }
  return links;
}

function unquote(quoted: string): string {
  const inner = quoted.endsWith('"') && quoted.length >= 2 ? quoted.slice(1, -1) : quoted.slice(1);
  return inner.replace(/\\(.)/g, '$1');
}

/** Whether `anchor` resolves to the page's own URL; never for a page whose URL is not one (a custom fetch's empty url). */
function isPage(anchor: string, page: string | URL): boolean {
  try {
    return new URL(anchor, page).href === new URL(page).href;
  } catch {
    return false;
  }
}

/**
 * The absolute URL of the `rel="next"` link, resolved against the URL of the
 * response that carried it, or `undefined` at the last page. A `next` link
 * whose `anchor` parameter names another resource than this page is not this
 * page's (RFC 8288 §3.2: its context is the anchor's resource) and is passed
 * over: the first `next` link without one, or with one that resolves to this
 * page's URL, is taken, and with none the walk ends there.
 *
 * @example
 * ```ts
 * const next = nextLink(response.headers.get('link'), response.url);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 * @see https://www.rfc-editor.org/rfc/rfc8288#section-3.2
 */
export function nextLink(header: string | null | undefined, base: string | URL): URL | undefined {
  // An anchored link is about the anchor's resource (Okta sends none): this page's only when the anchor is this page.
  const link = parseLinkHeader(header).find((l) => l.rel.includes('next') && (l.params.anchor === undefined || isPage(l.params.anchor, base)));
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
