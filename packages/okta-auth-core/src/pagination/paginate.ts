import { badPage, loopBack, readPage, remember, systemLogQuery, walkStart, type Page, type PageFetcher } from './page.js';
import { checkCount } from '../config/count.js';
import { readOptions } from '../config/options.js';
import { checkOption, refuseForeignOptions } from '../config/transport.js';
import type { PageShape } from './object-pages.js';

export type { Page, PageFetcher } from './page.js';

/**
 * Options of {@link paginate} and {@link paginatePages}.
 * @example
 * ```ts
 * const options: PaginateOptions = { maxPages: 10, signal: AbortSignal.timeout(60_000) };
 * for await (const user of paginate<{ id: string }>(okta, '/api/v1/users', options)) console.log(user.id);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export interface PaginateOptions {
  /** Stops paginating (the current request is aborted too). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Stop after this many pages (a guard against a server whose `next` never ends): a whole number of
   * at least 1, or `Infinity` (`null` too: none). The walk then ends as a list's end does, without an error: with
   * {@link paginatePages}, the last page's `next` says whether pages were left: a sync job that acts
   * on absence (deactivating the users it did not see) must walk with `paginatePages` and check `next`.
   * @default Infinity
   */
  readonly maxPages?: number | undefined;
  /**
   * How to take apart a page that is not a JSON array: `objectPages('resource-sets')` for a list
   * whose page is a JSON object holding its items under that name and linking its next page in
   * `_links.next.href` (Resource Sets, custom roles: `'roles'`, Identity Governance: `'data'`). That
   * link meets the checks of a `Link` target, and the `Link` header's `next` wins when both are sent.
   * Without it, a page must be a JSON array (Okta's older lists); anything but a {@link PageShape}
   * (a string, such as `'resource-sets'`) is `INVALID_CONFIG` before any request.
   */
  readonly pages?: PageShape | undefined;
}

/**
 * Walks a list endpoint page by page, following `Link: <…>; rel="next"`
 * (RFC 8288: several links, several header lines) until there is none, as
 * Okta says to ("follow the header instead of constructing your own URLs").
 * Each hop is a new request, authorized afresh (a new DPoP proof for the
 * `next` URL). On Okta's System Log (`/api/v1/logs`) a page with no items ends the walk: a
 * *polling* request (no `until`) links a `next` page from every page, and Okta's docs say to stop
 * when no events come; to follow the log as it grows, use {@link pollSystemLog}. Elsewhere an
 * empty page that links a `next` one is followed. A `next` link to another origin is refused by the fetcher; a `next` link to one
 * of the last 100 pages read (a page linking to itself, an A↔B cycle, any loop of up to 100
 * pages), a `Link` header over 64 KiB or a page over 32 MiB stops the walk with
 * `INVALID_RESPONSE`; so does, before the page that links it is yielded (and before your fetcher
 * gets it), a `next` link to another path than the page's own (Okta's keep the list's path: a link
 * to `/api/v1/users` from a list of groups would fetch users with your credential), with a user name
 * or password, or carrying a secret the request sent (an echoed API token, access token or DPoP
 * proof, as the fetchers of this package list them), so `page.next` is never such a link. Only the last 100 pages' URLs are remembered, so memory stays bounded
 * whatever the server links to; set `maxPages` to stop a longer loop or an endless chain. Those
 * errors name your list's path and the page's number, never a URL the server linked to, and a
 * page that is not JSON is refused without quoting it. A `maxPages` that is not a whole number of
 * at least 1 (or `Infinity`), a `signal` that is not an AbortSignal, a `url` that does not parse
 * (not quoted) and a `limit` option (the page size goes in the URL: `?limit=200`) are `INVALID_CONFIG` before any request.
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
export function paginatePages<T = unknown>(fetcher: PageFetcher, url: string | URL, options: PaginateOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  return pages('paginatePages', fetcher, url, options);
}

/** The walk of {@link paginatePages} and {@link paginate}: its arguments checked once, naming `by`. */
async function* pages<T>(by: string, fetcher: PageFetcher, url: string | URL, options: PaginateOptions | null): AsyncGenerator<Page<T>, void, undefined> {
  let current: string | undefined = walkStart(by, fetcher, url);
  const given = readOptions(options, `${by}(fetcher, list, options)`);
  // A page size is the list's query parameter (Okta's `limit`): an option of that name would be ignored.
  refuseForeignOptions(given, { limit: "the list URL's query (?limit=200)" });
  const { signal, pages: shape } = given;
  const maxPages = checkCount(given.maxPages, 'maxPages', Number.POSITIVE_INFINITY, [1, Number.POSITIVE_INFINITY]);
  checkOption(shape === undefined || typeof shape === 'function', 'pages', 'objectPages(property)');
  // The URLs of the last pages asked for: a next link back to one of them would loop forever.
  const visited: string[] = [];
  for (let count = 0; current !== undefined && count < maxPages; count++) {
    const page: Page<T> = await readPage<T>(fetcher, current, url, count + 1, signal, shape);
    remember(visited, current, page);
    yield page;
    // An empty page of the System Log ends the walk: a polling request links a next page from every
    // page, and Okta says to stop when no events come (pollSystemLog waits instead). Elsewhere an
    // empty page with a next link is followed: a filtered list may have more after it.
    if (page.items.length === 0 && systemLogQuery(current) !== undefined) return;
    current = page.next;
    if (current && visited.includes(current)) {
      throw badPage(url, count + 1, loopBack);
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
 * // A list whose page is an object: { "resource-sets": [...], "_links": { "next": { "href": "…" } } }
 * for await (const set of paginate<{ id: string; label: string }>(okta, '/api/v1/iam/resource-sets', { pages: objectPages('resource-sets') })) console.log(set.label);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export async function* paginate<T = unknown>(fetcher: PageFetcher, url: string | URL, options: PaginateOptions = {}): AsyncGenerator<T, void, undefined> {
  for await (const page of pages<T>('paginate', fetcher, url, options)) yield* page.items;
}
