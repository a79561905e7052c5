/**
 * A page whose body stalls after its headers, in every walk that reads pages (`paginate`,
 * `paginatePages`, and `pollSystemLog`'s first page, the page a page of events links, and its
 * re-poll after an empty page), through every driver and a fetcher of your own: the walk's read of
 * it is bounded (`TIMEOUT` naming the request and `timeoutMs`), and the caller's abort during it is
 * `ABORTED`. Either way the walk is over, no timer of the walk's is left armed nor a listener on the
 * caller's signal, and a later walk on the same fetcher reads that page. Through `oktaKyHooks` on
 * your own instance the walk hung for ever (ky's `timeout` and `totalTimeout` end with the headers;
 * page159), and an abort there was typed `NETWORK_ERROR`, as through `createOktaKy`.
 */
import type { Handler } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paginate, paginatePages, type PageFetcher } from './paginate.js';
import { pollSystemLog } from './poll-system-log.js';
import { watchAttemptTimers, type AttemptTimersWatch } from '../test-helpers/attempt-timers.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { rejection } from '../test-helpers/outcome.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { watchListeners } from '../test-helpers/signal-listeners.js';

/** A walk over a scripted org, and what it yields before the page that stalls. */
interface Walk {
  /** The caller's list. */
  readonly list: string;
  /** The org's pages by path and query: each one's items and the path and query its `next` links (none: the last). */
  readonly pages: Readonly<Record<string, readonly [items: readonly unknown[], next?: string]>>;
  /** The page whose body stops after its first bytes, the first time it is asked for. */
  readonly stalls: string;
  /** The library's own generator over `fetcher`, from `url`. */
  readonly start: (fetcher: PageFetcher, url: string, signal?: AbortSignal) => AsyncGenerator<unknown, void, undefined>;
  /** What it yields before that page (a page as its items). */
  readonly before: readonly unknown[];
  /** The first thing a later walk from that page yields. */
  readonly resumed: unknown;
}

const intervalMs = 1000;
const logs = '/api/v1/logs?since=2026-11-30T00%3A00%3A00Z';
const poll = (fetcher: PageFetcher, url: string, signal?: AbortSignal) => pollSystemLog(fetcher, url, { intervalMs, signal });
const users = { '/api/v1/users': [[{ id: 'a' }], '/api/v1/users?after=2'], '/api/v1/users?after=2': [[{ id: 'b' }]] } as const;

const walks: Record<string, Walk> = {
  paginate: { list: '/api/v1/users', pages: users, stalls: '/api/v1/users?after=2', start: (fetcher, url, signal) => paginate(fetcher, url, { signal }), before: [{ id: 'a' }], resumed: { id: 'b' } },
  paginatePages: { list: '/api/v1/users', pages: users, stalls: '/api/v1/users?after=2', start: (fetcher, url, signal) => paginatePages(fetcher, url, { signal }), before: [[{ id: 'a' }]], resumed: [{ id: 'b' }] },
  "pollSystemLog's first page": { list: logs, pages: { [logs]: [[{ uuid: 'a' }], '/api/v1/logs?after=a'] }, stalls: logs, start: poll, before: [], resumed: [{ uuid: 'a' }] },
  // A page of events is followed at once.
  "pollSystemLog's page a page of events links": {
    list: logs,
    pages: { [logs]: [[{ uuid: 'a' }], '/api/v1/logs?after=a'], '/api/v1/logs?after=a': [[{ uuid: 'b' }], '/api/v1/logs?after=b'] },
    stalls: '/api/v1/logs?after=a',
    start: poll,
    before: [[{ uuid: 'a' }]],
    resumed: [{ uuid: 'b' }],
  },
  // An empty page is followed after intervalMs (the test ends that wait itself): the re-poll.
  "pollSystemLog's re-poll after an empty page": {
    list: logs,
    pages: { [logs]: [[], '/api/v1/logs?after=0'], '/api/v1/logs?after=0': [[{ uuid: 'a' }], '/api/v1/logs?after=a'] },
    stalls: '/api/v1/logs?after=0',
    start: poll,
    before: [[]],
    resumed: [{ uuid: 'a' }],
  },
};

/** A URL as path and query. */
const at = (url: string): string => {
  const { pathname, search } = new URL(url, 'http://x');
  return `${pathname}${search}`;
};

const okta = useScriptedServer();

/** The org of `walk`: its pages, each linking its next; the page at `walk.stalls` stops after its first bytes the first time it is asked for. */
function served(walk: Walk): Handler {
  return (request, res, index) => {
    const [items = [], next] = walk.pages[request.path] ?? [];
    res.writeHead(200, { 'content-type': 'application/json', ...(next === undefined ? {} : { link: `<${next}>; rel="next"` }) });
    const again = okta.requests.slice(0, index).some((earlier) => earlier.path === request.path);
    if (request.path === walk.stalls && !again) res.write('[{"id":');
    else res.end(JSON.stringify(items));
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** Long, so the headers come however loaded the machine (the test fires the timer itself); core's default, which bounds the read of a fetcher of your own. */
const timeoutMs = 30_000;

/**
 * `fetcher`, telling when the headers of the page at `stalls` came; resolved after the walk's own
 * continuation ran (its read of the body has begun, its timer armed).
 */
function watched(fetcher: PageFetcher, stalls: string): { pages: PageFetcher; reading: Promise<void> } {
  let began!: () => void;
  const reading = new Promise<void>((resolve) => (began = resolve));
  return {
    pages: async (url, init) => {
      const response = await fetcher(url, init);
      if (at(url) === stalls) setImmediate(began);
      return response;
    },
    reading,
  };
}

/**
 * `walk` over `fetcher`, read step by step: what it yielded (a page as its items), its generator, and
 * `ended`, its error (failing the test when it has not settled 5 s after being asked). The wait
 * after an empty page of `pollSystemLog` is ended once armed (the generator resumes within microtasks).
 */
function walkOf(walk: Walk, fetcher: PageFetcher, signal: AbortSignal | undefined, timers: AttemptTimersWatch) {
  const generator = walk.start(fetcher, walk.list, signal);
  const seen: unknown[] = [];
  const error = rejection(async () => {
    for (let step = await generator.next(); step.done !== true; step = await generator.next()) {
      const { items } = step.value as { items?: unknown[] };
      seen.push(items ?? step.value);
      if (items?.length === 0) setImmediate(() => timers.endWait(intervalMs));
    }
  });
  const ended = async () => {
    const outcome = await Promise.race([error, new Promise<'still pending'>((resolve) => setTimeout(() => resolve('still pending'), 5_000).unref())]);
    if (outcome === 'still pending') throw new Error('the walk did not settle');
    return outcome;
  };
  return { seen, generator, ended };
}

const fetchers: Record<string, () => PageFetcher> = {
  ...Object.fromEntries(Object.entries(drivers).map(([name, make]) => [name, () => make({ credential: countingCredential(okta.origin), timeoutMs }).pages])),
  // No driver of ours: the walk bounds the read with core's default timeoutMs (30 s).
  'a fetcher of your own': () => (url, init) => fetch(new URL(url, okta.origin), init),
};

/** `walk` through the fetcher `name`, watched, once the headers of the page that stalls came. */
async function stalled(walk: Walk, name: string, signal: AbortSignal | undefined) {
  okta.handle(served(walk));
  const timers = watchAttemptTimers();
  const listeners = signal && watchListeners(signal);
  const { pages, reading } = watched(fetchers[name]!(), walk.stalls);
  const run = walkOf(walk, pages, signal, timers);
  await reading;
  return { timers, listeners, pages, run };
}

/**
 * After the walk's error: its generator is done, no timer is left armed (the drivers' own, handed on
 * with a page's body, let go once that body's read ended: timer161; before, each stayed until its
 * `timeoutMs`), none of core's listeners on the caller's signal, and a later walk on the same fetcher
 * from the page that stalled reads it.
 */
async function expectOver(walk: Walk, { timers, listeners, pages, run }: Awaited<ReturnType<typeof stalled>>): Promise<void> {
  expect(await run.generator.next()).toEqual({ done: true, value: undefined });
  // No timer left armed: the walk's own, and the drivers', each let go when the read of the body it bounded ended.
  expect(timers.left()).toEqual({ handedOn: 0, other: 0 });
  // Core's listeners left: ky's typed signal's alone (createOktaKy and the hooks: one per caller's signal, however many
  // calls share it); the others are the runtime's (undici's, one per Request of a fetcher of your own, until collected).
  // Core's listeners were seen being added (the one per caller's signal at least): else `left` could not see any.
  if (listeners !== undefined) expect(listeners.added()).toBeGreaterThan(0);
  const core = listeners?.left() ?? [];
  expect(core.filter((names) => !names.includes('typedSignal'))).toEqual([]);
  expect(core.length).toBeLessThanOrEqual(1);
  const later = walk.start(pages, walk.stalls);
  const { value } = await later.next();
  await later.return();
  expect((value as { items?: unknown } | undefined)?.items ?? value).toEqual(walk.resumed);
}

const rows = Object.keys(walks).flatMap((walk) => Object.keys(fetchers).map((fetcher) => [walk, fetcher] as const));

describe.each(rows)('%s: a page whose body stalls, through %s', (walkName, name) => {
  const walk = walks[walkName]!;
  const request = () => (name === 'a fetcher of your own' ? 'the answer (HTTP 200)' : `GET ${new URL(okta.origin).host}${new URL(walk.list, 'http://x').pathname}`);

  // Without a signal too (the read's timer then follows none), on one walk: they share that read (readPage).
  const signals: [string, () => AbortSignal | undefined][] = [["the caller's signal", () => new AbortController().signal]];
  if (walkName === 'paginate') signals.push(['no signal', () => undefined]);

  it.each(signals)('with %s, is TIMEOUT naming the request and timeoutMs once the timer bounding the read fires; the walk is then over, leaving nothing', async (_, signal) => {
    const walking = await stalled(walk, name, signal());
    walking.timers.fireLatest();
    const error = await walking.run.ended();
    expect(walking.run.seen).toEqual(walk.before);
    // createOktaKy's timer, armed on the body it hands on, may be ky's: its TIMEOUT does not say how long.
    const within = name === 'ky instance' ? "the request's timeout (timeoutMs)" : `${timeoutMs} ms (timeoutMs)`;
    expect([error.code, error.message]).toEqual(['TIMEOUT', `${request()} got no complete answer within ${within}: the body stalled.`]);
    await expectOver(walk, walking);
  });

  it("is ABORTED when the caller's signal fires during the read, its reason the cause; the walk is then over, leaving nothing", async () => {
    const caller = new AbortController();
    const walking = await stalled(walk, name, caller.signal);
    const reason = new Error('stop walking');
    caller.abort(reason);
    const error = await walking.run.ended();
    expect(walking.run.seen).toEqual(walk.before);
    expect([error.code, error.message, error.cause]).toEqual(['ABORTED', `${request()} was aborted by the caller.`, reason]);
    await expectOver(walk, walking);
  });
});
