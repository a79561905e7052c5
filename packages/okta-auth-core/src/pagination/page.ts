import { abortError, AttemptTimer, maxTimerMs } from '../request/abort.js';
import { answerSecrets, fetchedByCore, maxAnswerBytes, readAnswerText, readBound, readFailure, tooLarge } from '../errors/answer.js';
import { defaultTimeoutMs } from '../config/transport.js';
import { OktaAuthError } from '../errors/errors.js';
import { maxLinkHeaderLength, nextLink } from '../headers/link-header.js';
import { requestUrl } from '../request/request-url.js';
import { scrub } from '../secrets/secret.js';
import type { PageShape } from './object-pages.js';

/**
 * The query of `url` (absolute, or a path) when it is a request of the System Log (`/api/v1/logs`),
 * else `undefined`: the one test of a System Log request, for {@link paginatePages} (which ends at
 * its empty page) and {@link pollSystemLog} (which wants a next link on every page of a polling one). @internal
 */
export function systemLogQuery(url: string): URLSearchParams | undefined {
  const { pathname, searchParams } = new URL(url, 'http://x');
  return pathname === '/api/v1/logs' ? searchParams : undefined;
}

/**
 * Anything that fetches one page: an {@link OktaFetch}, or a ky instance
 * from `@org/okta-auth-core/ky` (`(url, init) => api(url, init)`). It must
 * authorize the request and throw on a non-2xx answer; a 304, which the drivers hand back to a conditional
 * request (`If-None-Match`), stops the walk with `INVALID_RESPONSE`: send a walk's requests unconditional.
 * @example
 * ```ts
 * const fetchPage: PageFetcher = (url, init) => okta(url, init);
 * for await (const user of paginate<{ id: string }>(fetchPage, '/api/v1/users')) console.log(user.id);
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export type PageFetcher = (url: string, init: { signal?: AbortSignal }) => Promise<Response>;

/**
 * One page of a list endpoint.
 * @example
 * ```ts
 * for await (const page of paginatePages<{ id: string }>(okta, '/api/v1/users')) {
 *   const first: Page<{ id: string }> = page;
 *   console.log(first.items.length, first.response.headers.get('x-rate-limit-remaining'));
 * }
 * ```
 * @see https://developer.okta.com/docs/api/#pagination
 */
export interface Page<T> {
  /** The page's items (the JSON array Okta answered, or, with `pages: objectPages('resource-sets')`, that property's array). */
  readonly items: T[];
  /** The response that carried the page (headers readable; body consumed). */
  readonly response: Response;
  /**
   * The absolute URL of the next page (its `Link: <…>; rel="next"`, or, with the `pages` option and no such header, the link it found, such as an object page's `_links.next.href`; without a fragment, which is never sent), or `undefined` on the last
   * page; a path (and query) when the answer has no URL (a `Response` your `fetch` built) and the list
   * was given by path: always from a fetcher of your own, which resolves it against its base as it did
   * the list; from `createOktaFetch` or `createOktaKy` only for a relative link. Keep it to go on later: a System Log stream resumes from it ({@link pollSystemLog}).
   */
  readonly next: string | undefined;
}

/**
 * One message shape: "Page <n> of <path> <what is wrong>" (`INVALID_RESPONSE`). The path is the
 * caller's list, never a `next` link: the server chooses those, and one may echo a secret.
 * @internal
 */
export function badPage(list: string | URL, page: number, problem: string): OktaAuthError {
  return new OktaAuthError('INVALID_RESPONSE', `Page ${page} of ${new URL(list, 'http://x').pathname} ${problem}`);
}

/**
 * The one check of a walk's arguments ({@link paginatePages}, {@link pollSystemLog}), before any
 * request: `INVALID_CONFIG` naming `by`. A list URL that does not parse (a saved `next` link cut
 * or tampered with) is refused by the drivers' one URL check (`requestUrl`), quoting none of it:
 * the walks read its path and query before the fetcher sees it, and the runtime's `TypeError`
 * quotes it whole. Returns the list's URL as text. @internal
 */
export function walkStart(by: string, fetcher: unknown, list: unknown): string {
  if (typeof fetcher !== 'function' || (typeof list !== 'string' && !(list instanceof URL))) {
    throw new OktaAuthError('INVALID_CONFIG', `${by}(fetcher, list) takes your fetcher, such as createOktaFetch({ credential }), and the list's path or URL, such as '/api/v1/users'.`);
  }
  requestUrl(list, pathBase, by);
  return list.toString();
}

/** A page linking back to a page already read (`paginatePages`), or to a page of events (`pollSystemLog`). @internal */
export const loopBack = 'links back to a page already read (a pagination loop); the walk stops.';

/**
 * How many of the last pages' URLs are remembered to detect a loop: a loop of up to 100 pages is
 * caught; an endless chain of new `next` links (or a longer loop) costs at most these URLs in memory.
 */
const rememberedPages = 100;

/**
 * Remembers a page read from `url` in `visited` (its URL as asked for, which may be a path, and as
 * fetched), keeping the last {@link rememberedPages} pages only: the one loop memory of
 * {@link paginatePages} and {@link pollSystemLog}. @internal
 */
export function remember(visited: string[], url: string, page: Page<unknown>): void {
  visited.push(url, page.response.url);
  visited.splice(0, visited.length - 2 * rememberedPages);
}

/**
 * The one reader of a page, for the walk ({@link paginatePages}) and the stream
 * ({@link pollSystemLog}): fetches `url`, reads at most 32 MiB, wants a JSON array (or, given
 * `pages`, what that {@link PageShape} takes apart: `objectPages`, in its own module so that only an
 * app that imports it bundles it) and a `Link` header of at most 64 KiB, and resolves its `next`
 * link (the header's; without one, the link `pages` found) against the answer's URL, dropping its
 * fragment (one that does not parse, with a user name or password, to another path, or carrying a
 * secret of the request is refused before the page is handed out: `nextLinkProblem`, whichever
 * carried it). An answer without a URL (a `Response` your fetcher built) to a list given by path,
 * which no copy of core recorded, has no origin to hold the link to: its path and query are handed on
 * (`Page.next`), which your fetcher resolves against its base as it did the list's, so another
 * origin in it is never reached; refused instead, every such walk would end at its first page
 * (Okta's links are absolute). A signal that has fired sends nothing (`ABORTED`). Its refusals
 * name `list` (the caller's URL) and the page's number; a body the connection cut is the reader's
 * `NETWORK_ERROR`, naming the request.
 *
 * The body is read within `signal` and a timer of its own, armed when the headers came, for the
 * `timeoutMs` the page's attempt recorded (`readBound`): through `oktaKyHooks` on your own instance
 * nothing else bounds it (ky's `timeout` ends with the headers: a stalled page hung the walk for
 * ever, page159); the fetch driver's timer, armed on the body since the request, fires first. A
 * fetcher of your own (an answer core did not fetch) gets core's default `timeoutMs`, 30 s;
 * `createOktaKy` records none and keeps its own timer on the body, so this one only follows the
 * walk's signal (the signal itself would gain a listener a page), and without a signal none is
 * armed. A stall is `TIMEOUT` naming the request and the bound; the walk's abort during the read
 * `ABORTED` (through the ky drivers and your fetcher, which record no signal, it was
 * `NETWORK_ERROR`); a body cut short by a closed connection `NETWORK_ERROR`, as a reset (before
 * page152 `INVALID_RESPONSE`, which a resume loop took as fatal): ask that page again. @internal
 */
export async function readPage<T>(fetcher: PageFetcher, url: string, list: string | URL, number: number, signal: AbortSignal | undefined, pages?: PageShape): Promise<Page<T>> {
  // A signal that fired while the caller held the last page: no request, even through a fetcher
  // that ignores the signal (a page of events is followed at once, so nothing else would stop it).
  if (signal?.aborted === true) throw abortError(signal);
  const response = await fetcher(url, signal === undefined ? {} : { signal });
  // A 304, the answer to a conditional request (a fetcher that sent If-None-Match: answersCall), has no page: never read as the list's end.
  if (response.status === 304) throw badPage(list, number, 'was a 304 (a conditional request): a walk reads every page; the walk stops.');
  const ms = readBound(response, defaultTimeoutMs);
  // No bound recorded and no signal to follow (createOktaKy without one): nothing to arm.
  const timer = ms === undefined && signal === undefined ? undefined : new AttemptTimer(signal, ms ?? maxTimerMs);
  let read: { text: string; truncated: boolean };
  try {
    read = await readAnswerText(response, maxAnswerBytes, timer?.signal);
  } catch (error) {
    // Ended by the walk's signal or this timer: typed by them, whatever the driver recorded.
    throw timer?.signal.aborted ? readFailure(response, timer.signal.reason, signal, ms) : error;
  } finally {
    timer?.clear();
  }
  const { text, truncated } = read;
  if (truncated) throw badPage(list, number, tooLarge);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // V8's SyntaxError quotes the text around the fault: not kept.
    throw badPage(list, number, 'was not valid JSON.');
  }
  // Without `pages`, the page is the JSON array; with it, what it found (`objectPages`: an object
  // page's items and `_links.next.href`). The one refusal points to the option, for an object page.
  let href: string | undefined;
  if (pages) ({ items: body, next: href } = pages(body, (what) => badPage(list, number, what)));
  if (!Array.isArray(body)) throw badPage(list, number, 'was not a JSON array: is this a list endpoint? See objectPages.');
  const link = response.headers.get('link');
  if (link !== null && link.length > maxLinkHeaderLength) {
    throw badPage(list, number, `came with a Link header of ${link.length} characters (over ${maxLinkHeaderLength}); the walk stops.`);
  }
  // An answer without a URL (a Response your `fetch` built) to a request by path: a relative link is
  // resolved against that path and handed on as a path, which the fetcher resolves as it did the list's.
  const base = new URL(response.url || url, pathBase);
  // The Link header wins: Okta's pagination guide names it; a link `pages` found (an object page's
  // `_links.next.href`) is taken only when the header links no next page, so a page cannot send
  // two and have the walk pick the body's. Either meets the one check below.
  let next = nextLink(link, base);
  let wrong: string | undefined;
  if (href !== undefined) {
    try {
      next ??= new URL(href, base);
    } catch {
      // Refused, not taken as the last page (a list cut short, silently); the runtime's TypeError quotes it whole: not kept.
      wrong = 'a URL that does not parse';
    }
  }
  wrong ??= next && nextLinkProblem(next, response, url);
  if (wrong !== undefined) throw badPage(list, number, `links its next page to ${wrong}; Okta sends no such link, and the walk stops.`);
  // A fragment is never sent: the link is kept as the request it makes, so a page linking itself
  // under a new fragment each time is the loop it is, and `page.next` has none to save.
  if (next !== undefined) next.hash = '';
  // An answer without a URL to a request by path has no origin of its own to hold a link to: of one no
  // copy of core recorded (your own fetcher's: no driver of ours behind it refuses another origin), any
  // link's path and query are handed on, Okta's absolute links too, for your fetcher to resolve against
  // its base as it did the list's, so the request goes where the list went (mend166: one to another
  // origin was followed there, with your fetcher's credential). Refusing them would end every such walk.
  const asPath = base.origin === pathBase && (next?.origin === pathBase || !fetchedByCore(response));
  return { items: body as T[], response, next: asPath && next ? `${next.pathname}${next.search}` : next?.href };
}

/** The origin a request given as a path is resolved against, to resolve a relative `next` link: it never leaves `readPage`. */
const pathBase = 'http://path.invalid';

/**
 * The one check of a `next` link, for the walk and the stream: what is wrong with it, or
 * `undefined`. It is the server's choice, handed to the caller's fetcher (whose runtime quotes such
 * a URL whole in its TypeError) and to the caller as `page.next` (which the caller saves):
 * - a user name or password can echo the token;
 * - another path than the page's own (so than the first request's) would fetch another list, or
 *   any endpoint of the org, with the caller's credential: Okta's next links keep the list's path
 *   and change its query (`after`);
 * - a secret of the attempt that got the page (an echoed API token, access token or DPoP proof, as
 *   the scrubber lists it: `answerSecrets`) would reach the caller, its logs and its storage.
 * The answer names none of it. Another origin or scheme is the fetcher's to refuse (`ORIGIN_MISMATCH`)
 * unless it carries a secret; of a page no driver of any copy of core got (the realm's one record of
 * answers: `sharedRecords`), whose request's secrets are unknown, it is refused here, unchecked.
 */
function nextLinkProblem(next: URL, response: Response, url: string): string | undefined {
  if (next.username !== '' || next.password !== '') return 'a URL with a user name or password';
  // Another origin or scheme (a `blob:` URL too) is left to the fetcher: ORIGIN_MISMATCH says more. But for a page no
  // driver of core got (your own fetcher's, or a Response it rebuilt): none of ours may be there to refuse it, and what the
  // request sent is unknown here, so the link cannot be checked for it (fail closed). An answer without a URL to a request
  // by path has no origin: its link is checked as on the list's, and `readPage` hands on its path alone.
  const own = new URL(response.url || url, next);
  const sameOrigin = next.protocol === own.protocol && next.origin === own.origin;
  if (sameOrigin && next.pathname !== own.pathname) return "another path than its own (Okta's next links keep the list's path)";
  if (!sameOrigin && !fetchedByCore(response)) return 'another origin than its own (unchecked: a page your own fetcher got)';
  // What the one scrubber would mask (`scrub`: the same matching, shortest secret and changed
  // forms, percent-encoded, case-changed or base64 among them).
  const secrets = answerSecrets(response);
  if (secrets.length > 0 && scrub(next.href, secrets) !== next.href) return 'a URL that carries a secret the request sent (an echoed credential)';
  return undefined;
}
