import { OktaAuthError } from './errors.js';
import { nextLink } from './link-header.js';

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
  /** Stop after this many pages (a guard against a server whose `next` never ends). @default Infinity */
  readonly maxPages?: number | undefined;
}

/**
 * Walks a list endpoint page by page, following `Link: <…>; rel="next"`
 * (RFC 8288: several links, several header lines) until there is none, as
 * Okta says to ("follow the header instead of constructing your own URLs").
 * Each hop is a new request, authorized afresh (a new DPoP proof for the
 * `next` URL). A `next` link to another origin is refused by the fetcher.
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
  let current: string | undefined = url.toString();
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
  for (let count = 0; current !== undefined && count < maxPages; count++) {
    const response = await fetcher(current, options.signal === undefined ? {} : { signal: options.signal });
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new OktaAuthError('INVALID_RESPONSE', `A page of ${new URL(response.url || current, 'http://x').pathname} was not valid JSON.`, { cause: error });
    }
    if (!Array.isArray(body)) {
      throw new OktaAuthError('INVALID_RESPONSE', `A page of ${new URL(response.url || current, 'http://x').pathname} was not a JSON array: is this a list endpoint?`);
    }
    yield { items: body as T[], response };
    const base: string = response.url === '' ? current : response.url;
    current = nextLink(response.headers.get('link'), base)?.href;
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
