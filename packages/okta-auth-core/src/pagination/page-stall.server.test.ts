/**
 * A page whose body stalls after its headers, through every driver and a fetcher of your own: the
 * walk's read of it is bounded (`TIMEOUT` naming the request and `timeoutMs`), and the caller's abort
 * during it is `ABORTED`. Through `oktaKyHooks` on your own instance the walk hung for ever (ky's
 * `timeout` and `totalTimeout` end with the headers; page159), and an abort there was typed
 * `NETWORK_ERROR`, as through `createOktaKy`.
 */
import type { Handler } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { paginate, type PageFetcher } from './paginate.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { rejection } from '../test-helpers/outcome.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

/** Page 1 links page 2, whose body stops after its first bytes. */
const stallingPage2: Handler = (request, res) => {
  const second = request.path.includes('after=');
  res.writeHead(200, { 'content-type': 'application/json', ...(second ? {} : { link: `</api/v1/users?after=2>; rel="next"` }) });
  if (second) res.write('[{"id":');
  else res.end('[{"id":"a"}]');
};

const okta = useScriptedServer(stallingPage2);

afterEach(() => {
  vi.restoreAllMocks();
});

/** Long, so the headers come however loaded the machine (the test fires the timer itself); core's default, which bounds the read of a fetcher of your own. */
const timeoutMs = 30_000;

/**
 * `fetcher`, telling when page 2's headers came; resolved after the walk's own continuation ran (its
 * read of the body has begun, its timer armed).
 */
function watched(fetcher: PageFetcher): { pages: PageFetcher; reading: Promise<void> } {
  let began!: () => void;
  const reading = new Promise<void>((resolve) => (began = resolve));
  return {
    pages: async (url, init) => {
      const response = await fetcher(url, init);
      if (url.includes('after=')) setImmediate(began);
      return response;
    },
    reading,
  };
}

/** The walk's items, or its error; 'still pending' when it has not settled 5 s after `ended` was asked. */
function walkOf(fetcher: PageFetcher, signal?: AbortSignal) {
  const items: unknown[] = [];
  const walk = rejection(async () => {
    for await (const item of paginate(fetcher, '/api/v1/users', { signal })) items.push(item);
  });
  return {
    items,
    ended: () => Promise.race([walk, new Promise<'still pending'>((resolve) => setTimeout(() => resolve('still pending'), 5_000).unref())]),
  };
}

const fetchers: Record<string, () => PageFetcher> = {
  ...Object.fromEntries(Object.entries(drivers).map(([name, make]) => [name, () => make({ credential: countingCredential(okta.origin), timeoutMs }).pages])),
  // No driver of ours: the walk bounds the read with core's default timeoutMs (30 s).
  'a fetcher of your own': () => (url, init) => fetch(new URL(url, okta.origin), init),
};

describe.each(Object.keys(fetchers))('a page whose body stalls, through %s', (name) => {
  it('is TIMEOUT naming the request and timeoutMs, once the timer bounding the read fires', async () => {
    const timers = watchAttemptTimers();
    const { pages, reading } = watched(fetchers[name]!());
    const walk = walkOf(pages);
    await reading;
    timers.fireLatest();
    const error = await walk.ended();
    expect(walk.items).toEqual([{ id: 'a' }]);
    if (error === 'still pending') throw new Error('the walk did not settle');
    const request = name === 'a fetcher of your own' ? 'the answer (HTTP 200)' : `GET ${new URL(okta.origin).host}/api/v1/users`;
    // createOktaKy's timer, armed on the body it hands on, may be ky's: its TIMEOUT does not say how long.
    const within = name === 'ky instance' ? "the request's timeout (timeoutMs)" : `${timeoutMs} ms (timeoutMs)`;
    expect([error.code, error.message]).toEqual(['TIMEOUT', `${request} got no complete answer within ${within}: the body stalled.`]);
  });

  it("is ABORTED when the caller's signal fires during the read, its reason the cause", async () => {
    const { pages, reading } = watched(fetchers[name]!());
    const caller = new AbortController();
    const walk = walkOf(pages, caller.signal);
    await reading;
    const reason = new Error('stop walking');
    caller.abort(reason);
    const error = await walk.ended();
    if (error === 'still pending') throw new Error('the walk did not settle');
    const request = name === 'a fetcher of your own' ? 'the answer (HTTP 200)' : `GET ${new URL(okta.origin).host}/api/v1/users`;
    expect([error.code, error.message, error.cause]).toEqual(['ABORTED', `${request} was aborted by the caller.`, reason]);
  });
});
