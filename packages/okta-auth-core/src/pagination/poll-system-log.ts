import { abortableSleep } from '../request/abort.js';
import { badPage, loopBack, readPage, remember, systemLogQuery, walkStart, type Page, type PageFetcher } from './page.js';
import { readOptions } from '../config/options.js';
import { refuseForeignOptions } from '../config/transport.js';
import { checkDuration } from '../config/duration.js';

/**
 * An event of Okta's System Log: the fields Okta documents as always present (and the common
 * optional ones), the rest as Okta sent them. Only the `uuid` is checked ({@link pollSystemLog}
 * refuses a page with an event without one); the other fields are what the org answered.
 * @example
 * ```ts
 * for await (const page of pollSystemLog(okta)) {
 *   for (const event of page.items) {
 *     const seen: SystemLogEvent = event;
 *     console.log(seen.published, seen.eventType, seen.actor?.alternateId);
 *   }
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#logevent-object
 */
export interface SystemLogEvent {
  /** The event's unique id. */
  readonly uuid: string;
  /** When the event was published (RFC 3339). */
  readonly published: string;
  /** What happened (`user.lifecycle.create`, `user.session.start`, …). */
  readonly eventType: string;
  /** The LogEvent format's version (`"0"`). */
  readonly version: string;
  /** How severe the event is. */
  readonly severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** What the System Log UI shows for it. */
  readonly displayMessage?: string | null;
  /** Who acted: a user, an app (`PublicClientApp`), the system. */
  readonly actor?: LogEventEntity | null;
  /** How it ended: `SUCCESS`, `FAILURE`, `DENY`, … and why. */
  readonly outcome?: {
    /** `SUCCESS`, `FAILURE`, `SKIPPED`, `ALLOW`, `DENY`, `CHALLENGE` or `UNKNOWN`. */
    readonly result: string;
    /** Why, when Okta says. */
    readonly reason?: string | null;
  } | null;
  /** What it acted on. */
  readonly target?: readonly LogEventEntity[] | null;
  /** The other fields, as Okta sent them (`client`, `transaction`, `debugContext`, …). */
  readonly [field: string]: unknown;
}

/**
 * The actor or a target of a {@link SystemLogEvent}.
 * @example
 * ```ts
 * declare const event: SystemLogEvent;
 * const actor: LogEventEntity | null | undefined = event.actor;
 * console.log(actor?.type, actor?.alternateId); // User alice@example.com
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#actor-object
 */
export interface LogEventEntity {
  /** Its id. */
  readonly id: string;
  /** Its type: `User`, `UserGroup`, `PublicClientApp`, … */
  readonly type: string;
  /** Another id, such as a user's login. */
  readonly alternateId?: string | null;
  /** Its name. */
  readonly displayName?: string | null;
}

/**
 * Options of {@link pollSystemLog}.
 * @example
 * ```ts
 * const options: PollSystemLogOptions = { intervalMs: 30_000, signal: AbortSignal.timeout(3_600_000) };
 * for await (const page of pollSystemLog(okta, '/api/v1/logs', options)) console.log(page.items.length);
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#polling-requests
 */
export interface PollSystemLogOptions {
  /** Stops the stream: a request under way is aborted, a wait ends, and the stream rejects with `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /**
   * How long to wait after a page with no events before following its `next` link: a number of
   * milliseconds from 1,000 (1 s) to 86,400,000 (24 h), rounded up to a whole one. Okta's System Log is near real time;
   * each poll counts against the `/api/v1/logs` rate limit. @default 60000
   */
  readonly intervalMs?: number | undefined;
}

/** The shortest and longest wait after an empty page. */
const intervalBounds = [1000, 86_400_000] as const;

/** How many of the last events' uuids are remembered (ten full pages), and the longest uuid kept (Okta's have 36 characters). */
const rememberedEvents = 10_000;
const maxUuidLength = 100;

const repeated = 'repeats only events already read (its cursor did not move past them); the stream stops.';

const noNext = 'came without a next link, which Okta sends on every page of a polling request (no until); the stream stops. Resume from the last next link you saved.';

/** Whether `url` (the caller's) is a polling request of the System Log (its path, no `until`, not `DESCENDING`), whose every page links a next one. */
function isPolling(url: string): boolean {
  const query = systemLogQuery(url);
  return query !== undefined && (query.get('until') ?? '') === '' && query.get('sortOrder') !== 'DESCENDING';
}

/** Why a page is refused for its event number `item` (from 1): it cannot be told from one already read. */
const noUuid = (item: number) =>
  `has an event (item ${item}) without a uuid of 1 to ${maxUuidLength} characters, which every System Log event carries (Okta's have 36) and by which the stream tells new events from those already read; the stream stops. Poll Okta's /api/v1/logs, not a proxy or a list that drops the field.`;

/**
 * The uuids of a page's events, or the number (from 1) of the first event without one of 1 to
 * {@link maxUuidLength} characters: such an event could never be a repeat, so a cursor that did
 * not move would serve the same page of them again and again.
 */
function uuidsOf(items: readonly unknown[]): string[] | number {
  const uuids: string[] = [];
  for (const item of items) {
    const uuid = typeof item === 'object' && item !== null ? (item as { uuid?: unknown }).uuid : undefined;
    if (typeof uuid !== 'string' || uuid.length === 0 || uuid.length > maxUuidLength) return uuids.length + 1;
    uuids.push(uuid);
  }
  return uuids;
}

/**
 * Remembers the uuids of a page's events, the last {@link rememberedEvents} only; false when the
 * page has events and every one of them has a uuid already read (Okta's cursor never repeats one).
 */
function rememberEvents(remembered: Set<string>, uuids: readonly string[]): boolean {
  let fresh = uuids.length === 0;
  for (const uuid of uuids) {
    if (!remembered.has(uuid)) fresh = true;
    remembered.delete(uuid);
    remembered.add(uuid);
  }
  for (const old of remembered) {
    if (remembered.size <= rememberedEvents) break;
    remembered.delete(old);
  }
  return fresh;
}

/**
 * Follows Okta's System Log as a stream of pages, as its docs describe a *polling request*
 * (`/api/v1/logs` without `until`, in ascending order): every page links a `next` page, even an
 * empty one, so there is no last page. Each page is yielded as it comes (pages of events follow
 * each other at once, until the org has caught up); after a page with no events the stream waits
 * `intervalMs`, then follows that page's `next` link, which returns the events recorded since.
 * It never ends by itself: stop it with `signal` or by leaving the loop (`break`).
 *
 * Keep the last page's `next` (a URL on your org) to resume after a restart: pass it as `url`,
 * and no event is read twice or skipped. A *bounded* request (`since` and `until`) ends with its
 * last page, which has no `next`; a page of a polling request (your `url`'s: no `until`, not
 * `DESCENDING`, whatever its `next` links add) without one is `INVALID_RESPONSE` (after that page), not a silent end. Each request goes through your fetcher: authorized afresh, on
 * the org's origin only, 429s waited out. The refusals are `paginatePages`'s (a page over 32 MiB,
 * not a JSON array, a `Link` header over 64 KiB, a `next` link to another path than the page's own,
 * with a user name or password or carrying a secret the request sent: `INVALID_RESPONSE`, naming
 * your URL's path and the page's number, before that page is yielded, so `page.next` is never such
 * a link); a `next` link back to one of the last 100 pages of events read (a page
 * of events linking to itself, an A↔B cycle) and a page whose events were all read already (of the
 * last 10,000, by `uuid`: a cursor that did not move, under another URL, or went back), each of
 * which would read the same data again and again; a page with an event without a `uuid` of 1 to
 * 100 characters (every System Log event has one: without it, no repeat could be seen), before
 * that page. Partly repeated pages are yielded as sent. A signal that fired while you held a page
 * sends no further request (`ABORTED`), even through a fetcher that ignores it. An `intervalMs` out
 * of bounds, a `signal` that is not an AbortSignal, a `url` that does not parse (not quoted) and a
 * `limit` or `since` option (they go in the URL's query) are `INVALID_CONFIG` before any request.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * for await (const page of pollSystemLog(okta, '/api/v1/logs?since=2026-11-30T00:00:00Z', { signal: stop.signal })) {
 *   for (const event of page.items) console.log(event.published, event.eventType, event.actor?.alternateId);
 *   // save page.next, and pass it as the URL to resume where you stopped
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/api/system-log/#polling-requests
 */
export async function* pollSystemLog<T = SystemLogEvent>(fetcher: PageFetcher, url: string | URL = '/api/v1/logs', options: PollSystemLogOptions = {}): AsyncGenerator<Page<T>, void, undefined> {
  let current = walkStart('pollSystemLog', fetcher, url);
  const given = readOptions(options, 'pollSystemLog(fetcher, url, options)');
  // Query parameters of the System Log (okta-sdk-nodejs's listLogEvents takes them as options): as ours, they would be ignored.
  refuseForeignOptions(given, { limit: "the URL's query (?limit=1000)", since: "the URL's query (?since=2026-12-01T00:00:00Z)" });
  const { intervalMs: interval, signal } = given;
  const intervalMs = checkDuration(interval, 'intervalMs', 60_000, intervalBounds);
  // The URLs of the last pages of events: Okta's cursor moves past what a page returned, so a
  // link back to one of them (itself, A↔B) would read the same events again, at once, for ever.
  // An empty page may link to itself: its events are still to come.
  const read: string[] = [];
  // The uuids of the last events read: a next link that did not move past them (the same cursor
  // under another URL, or one going back) returns them again, at once, for ever.
  const uuids = new Set<string>();
  // Whether the stream is a polling one is the caller's URL's to say: a next link that adds an
  // `until` or turns it DESCENDING (no Okta link does) must not make a page without one its end.
  const polling = isPolling(current);
  for (let count = 1; ; count++) {
    const page: Page<T> = await readPage<T>(fetcher, current, url, count, signal);
    const events = uuidsOf(page.items);
    if (typeof events === 'number') throw badPage(url, count, noUuid(events));
    if (!rememberEvents(uuids, events)) throw badPage(url, count, repeated);
    yield page;
    if (page.next === undefined) {
      if (polling) throw badPage(url, count, noNext);
      return;
    }
    if (page.items.length > 0) remember(read, current, page);
    if (read.includes(page.next)) throw badPage(url, count, loopBack);
    if (page.items.length === 0) await abortableSleep(intervalMs, signal);
    current = page.next;
  }
}
