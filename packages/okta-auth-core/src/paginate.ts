import { readAnswerText } from './answer.js';
import { OktaAuthError } from './errors.js';
import { maxLinkHeaderLength, nextLink } from './link-header.js';
import { checkOption } from './transport.js';

/** The most of one page that is read: 32 MiB (Okta's largest pages are a few MB). */
const maxPageBytes = 32 * 1024 * 1024;
/**
 * How many of the last pages' URLs are remembered to detect a loop: a loop of up to 100 pages is
 * caught; an endless chain of new `next` links (or a longer loop) costs at most these URLs in
 * memory, and `maxPages` stops it.
 */
const rememberedPages = 100;

/**
 * One message shape: "Page <n> of <path> <what is wrong>" (`INVALID_RESPONSE`). The path is the
 * caller's list, never a `next` link: the server chooses those, and one may echo a secret.
 */
function badPage(list: string | URL, page: number, problem: string, cause?: unknown): OktaAuthError {
  return new OktaAuthError('INVALID_RESPONSE', `Page ${page} of ${new URL(list, 'http://x').pathname} ${problem}`, cause === undefined ? undefined : { cause });
}

/**
 * Anything that fetches one page: an {@link OktaFetch}, or a ky instance
 * from `@org/okta-auth-core/ky` (`(url, init) => api(url, init)`). It must
 * authorize the request and throw on a non-2xx answer.
 */
export type PageFetcher = (url: string, init: { signal?: AbortSignal }) => Promise<Response>;

/** One page of a list endpoint. */
export interface Page<T> {
  /** The page's items (the JSON array Okta answered). */
  readonly items: T[];
  /** The response that carried the page (headers readable; body consumed). */
  readonly response: Response;
}

/** Options of {@link paginate} and {@link paginatePages}. */
export interface PaginateOptions {
  /** Stops paginating (the current request is aborted too). */
  readonly signal?: AbortSignal | undefined;
  /** Stop after this many pages (a guard against a server whose `next` never ends): a whole number of at least 1, or `Infinity`. @default Infinity */
  readonly maxPages?: number | undefined;
}

/**
 * Walks a list endpoint page by page, following `Link: <…>; rel="next"`
 * (RFC 8288: several links, several header lines) until there is none, as
 * Okta says to ("follow the header instead of constructing your own URLs").
 * Each hop is a new request, authorized afresh (a new DPoP proof for the
 * `next` URL). A `next` link to another origin is refused by the fetcher; a `next` link to one
 * of the last 100 pages read (a page linking to itself, an A↔B cycle, any loop of up to 100
 * pages), a `Link` header over 64 KiB or a page over 32 MiB stops the walk with
 * `INVALID_RESPONSE`. Only the last 100 pages' URLs are remembered, so memory stays bounded
 * whatever the server links to; set `maxPages` to stop a longer loop or an endless chain. Those
 * errors name your list's path and the page's number, never a URL the server linked to, and a
 * page that is not JSON is refused without quoting it. A `maxPages` that is not a whole number of
 * at least 1 (or `Infinity`) is `INVALID_CONFIG` before any request.
 *
 * @example
 * ```ts
 * interface User { id: string; profile: { login: string } }
 * for await (const page of paginatePages<User>(okta, '/api/v1/users?limit=200')) {
 *   console.log(page.items.length, page.response.headers.get('x-rate-limit-remaining'));
 * }
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export async function* paginatePages<T = unknown>(fetcher: PageFetcher, url: string | URL, options: PaginateOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  const { maxPages = Number.POSITIVE_INFINITY } = options;
  checkOption((Number.isInteger(maxPages) && maxPages >= 1) || maxPages === Number.POSITIVE_INFINITY, 'maxPages', 'a whole number of at least 1 (or Infinity)');
  let current: string | undefined = url.toString();
  // The URLs of the last pages asked for: a next link back to one of them would loop forever.
  const visited: string[] = [];
  for (let count = 0; current !== undefined && count < maxPages; count++) {
    const response = await fetcher(current, options.signal === undefined ? {} : { signal: options.signal });
    // The first URL may be a path: remember the absolute URL that was fetched too (two per page).
    visited.push(current, response.url);
    visited.splice(0, visited.length - 2 * rememberedPages);
    const { text, truncated } = await readAnswerText(response, maxPageBytes).catch((error: unknown) => {
      // A stall stays TIMEOUT (or ABORTED); a body cut short by a closed connection is an unreadable page.
      if ((error as { code?: unknown }).code !== 'NETWORK_ERROR') throw error;
      throw badPage(url, count + 1, 'could not be read (the connection closed early).', error);
    });
    if (truncated) throw badPage(url, count + 1, `is larger than ${maxPageBytes / 1024 / 1024} MiB; ask for smaller pages (limit).`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // V8's SyntaxError quotes the text around the fault: not kept.
      throw badPage(url, count + 1, 'was not valid JSON.');
    }
    if (!Array.isArray(body)) {
      throw badPage(url, count + 1, 'was not a JSON array: is this a list endpoint?');
    }
    yield { items: body as T[], response };
    const base: string = response.url || current;
    const link = response.headers.get('link');
    if (link !== null && link.length > maxLinkHeaderLength) {
      throw badPage(url, count + 1, `came with a Link header of ${link.length} characters (over ${maxLinkHeaderLength}); the walk stops.`);
    }
    current = nextLink(link, base)?.href;
    if (current && visited.includes(current)) {
      throw badPage(url, count + 1, 'links back to a page already read (a pagination loop); the walk stops.');
    }
  }
}

/**
 * Walks a list endpoint item by item, across pages; see {@link paginatePages}.
 *
 * @example
 * ```ts
 * interface User { id: string; profile: { login: string } }
 * for await (const user of paginate<User>(okta, '/api/v1/users?limit=200')) console.log(user.profile.login);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export async function* paginate<T = unknown>(fetcher: PageFetcher, url: string | URL, options: PaginateOptions = {}): AsyncGenerator<T, void, undefined> {
  for await (const page of paginatePages<T>(fetcher, url, options)) yield* page.items;
}
