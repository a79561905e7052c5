/**
 * The waits before an attempt on a fake clock (fake timers, and `performance.now` with them), in
 * every driver. A slot's: nothing runs between an attempt's start and its wait, so the wait its
 * `TIMEOUT` reports is exactly half of its bound (whole ms, floored); the server tests of the same
 * waits (`expectSlotWait`) bound it from above only, as real time passes there: a wait of a quarter
 * of the bound, or none, passed them all (the test holds the one slot; nothing is sent). A rate-limit
 * coordinator's, after an `authorize` that took 600 ms of a 1000-ms bound: against a call's own ky
 * `timeout` in createOktaKy (it encloses the instance's fetch) and a ky `totalTimeout`, at most half of
 * the 400 left, so a wait of 300 ms is not taken (one `reserve`, the attempt sent at once); half of the
 * whole bound, as before a first attempt until waits112, passed every test. Against `timeoutMs` (in
 * createOktaFetch and oktaKyHooks since coordwait139, in createOktaKy since kywait140) it is outside the
 * attempt's timer, bounded by `retry.maxWaitMs`: taken, the attempt restarted, authorized afresh under a
 * timer of its own. After a 429 through
 * `createOktaKy`, what is left of the attempt's ky `timeout` is read on the monotonic clock, as
 * every remainder (`boundLeft`): the wall clock set back an hour mid-attempt (an NTP step) let the
 * coordinator's wait take half of `timeoutMs` (15 s) inside a ky `timeout` of 1 s, which ended the call.
 */
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import type { OktaCredential } from '../credential.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

const origin = 'https://acme.okta.com';
const path = 'api/v1/users';
/** A fetch that is never to be called: the slot is held throughout. */
const never: typeof fetch = () => Promise.reject(new Error('sent'));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

type Send = (maxInFlight: InFlightLimit) => Promise<unknown>;

/** What `send` failed with, the one slot held by the test, once the fake clock ran `ms`. */
async function slotTimeout(send: Send, ms: number): Promise<unknown> {
  const limit = createInFlightLimit(1);
  await limit.acquire({ maxWaitMs: 0, holdMs: 60_000, signal: undefined, what: () => 'the test' });
  const ended = send(limit).then(
    () => new Error('answered'),
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(ms);
  const error = await ended;
  expect(isOktaAuthError(error)).toBe(true);
  expect(limit.waiting).toBe(0);
  return error;
}

const credential = countingCredential(origin);
const rows: [string, Send, number, string][] = [
  ['createOktaFetch, retry: false, timeoutMs 400', (maxInFlight) => createOktaFetch({ credential, maxInFlight, retry: false, timeoutMs: 400, fetch: never })(`/${path}`), 200, 'timeoutMs'],
  ['createOktaFetch, an odd timeoutMs (401)', (maxInFlight) => createOktaFetch({ credential, maxInFlight, timeoutMs: 401, fetch: never })(`/${path}`), 200, 'timeoutMs'],
  ['createOktaFetch, retry.maxWaitMs under half', (maxInFlight) => createOktaFetch({ credential, maxInFlight, retry: { maxWaitMs: 150 }, timeoutMs: 1_000, fetch: never })(`/${path}`), 150, 'retry.maxWaitMs'],
  ["createOktaKy, a call's ky timeout", (maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 30_000, fetch: never }).get(path, { timeout: 1_000 }), 500, "ky's timeout"],
  ["createOktaKy, a call's ky totalTimeout (1001)", (maxInFlight) => createOktaKy({ credential, maxInFlight, timeoutMs: 30_000, fetch: never }).get(path, { totalTimeout: 1_001 }), 500, "ky's totalTimeout"],
  ['oktaKyHooks on your own instance, timeoutMs', (maxInFlight) => ky.create({ baseUrl: `${origin}/`, retry: 0, fetch: never, hooks: oktaKyHooks({ credential, maxInFlight, timeoutMs: 800 }) }).get(path), 400, 'timeoutMs'],
  ["oktaKyHooks on your own instance, ky's totalTimeout", (maxInFlight) => ky.create({ baseUrl: `${origin}/`, retry: 0, fetch: never, hooks: oktaKyHooks({ credential, maxInFlight, timeoutMs: 30_000 }) }).get(path, { totalTimeout: 1_200 }), 600, "ky's totalTimeout"],
];

describe('a first attempt with nothing before its wait waits exactly half of its bound for a slot', () => {
  it.each(rows)('%s', async (_, send, waited, boundBy) => {
    expect(expectSlotWait(await slotTimeout(send, waited), boundBy, waited)).toBe(waited);
  });
});

/** The credential whose `authorize` resolves 600 ms (fake) after it is called. */
const slow: OktaCredential = { kind: 'ssws', origin, authorize: () => new Promise((resolve) => setTimeout(() => resolve({ authorization: 'SSWS test-token-of-the-org' }), 600)) };
/** Answers every request at once, counting them. */
const answering = (sent: string[]): typeof fetch => (input) => {
  sent.push(input instanceof Request ? input.url : String(input));
  return Promise.resolve(new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } }));
};

type Coordinated = (rateLimitCoordinator: CoordinatedRateLimits, fetch: typeof globalThis.fetch) => Promise<unknown>;

const coordinated: [string, Coordinated][] = [
  ["createOktaKy (a call's ky timeout 1000)", (rateLimitCoordinator, fetch) => createOktaKy({ credential: slow, rateLimitCoordinator, fetch }).get(path, { timeout: 1_000 })],
  ["oktaKyHooks on your own instance (ky's totalTimeout 1000)", (rateLimitCoordinator, fetch) => ky.create({ baseUrl: `${origin}/`, retry: 0, fetch, hooks: oktaKyHooks({ credential: slow, rateLimitCoordinator }) }).get(path, { totalTimeout: 1_000 })],
  ['createOktaFetch (retry.maxWaitMs 250)', (rateLimitCoordinator, fetch) => createOktaFetch({ credential: slow, rateLimitCoordinator, retry: { maxWaitMs: 250 }, fetch })(`/${path}`)],
  ['oktaKyHooks on your own instance (retry.maxWaitMs 250)', (rateLimitCoordinator, fetch) => ky.create({ baseUrl: `${origin}/`, retry: 0, fetch, hooks: oktaKyHooks({ credential: slow, rateLimitCoordinator, retry: { maxWaitMs: 250 } }) }).get(path)],
];

/** A coordinator whose first reserve asks 300 ms, then "send now"; the times it was asked in `reserved`. */
function waitsOnce(): { reserved: number[]; coordinator: ReturnType<typeof coordinateRateLimits> } {
  const reserved: number[] = [];
  return { reserved, coordinator: coordinateRateLimits({ reserve: () => (reserved.push(performance.now()), reserved.length === 1 ? 300 : 0), observe: () => undefined }) };
}

describe("a rate-limit coordinator's wait before a first attempt: at most its bound (half of what remains of a call's ky timeout in createOktaKy, of a totalTimeout)", () => {
  it.each(coordinated)('%s', async (_, send) => {
    const { reserved, coordinator } = waitsOnce();
    const sent: string[] = [];
    const call = send(coordinator, answering(sent));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(((await call) as Response).status).toBe(200);
    // Asked once, 600 ms in: its 300 ms past the 200 left to wait (or past retry.maxWaitMs), not taken; the attempt sent then.
    expect([reserved, sent]).toEqual([[600], [`${origin}/${path}`]]);
  });
});

const outsideTimer: [string, Coordinated][] = [
  ['createOktaKy (timeoutMs 1000)', (rateLimitCoordinator, fetch) => createOktaKy({ credential: slow, rateLimitCoordinator, timeoutMs: 1_000, fetch }).get(path)],
  ['createOktaFetch (timeoutMs 1000)', (rateLimitCoordinator, fetch) => createOktaFetch({ credential: slow, rateLimitCoordinator, timeoutMs: 1_000, fetch })(`/${path}`)],
  ["oktaKyHooks on your own instance (timeoutMs and ky's timeout 1000)", (rateLimitCoordinator, fetch) => ky.create({ baseUrl: `${origin}/`, retry: 0, timeout: 1_000, fetch, hooks: oktaKyHooks({ credential: slow, rateLimitCoordinator, timeoutMs: 1_000 }) }).get(path)],
];

describe("a rate-limit coordinator's wait before a first attempt, outside the attempt's timer (every driver)", () => {
  it.each(outsideTimer)('%s: taken past half of timeoutMs, the attempt then authorized afresh with a timer of its own', async (_, send) => {
    const { reserved, coordinator } = waitsOnce();
    const sent: string[] = [];
    const call = send(coordinator, answering(sent));
    await vi.advanceTimersByTimeAsync(2_000);
    // Authorized (600 ms), the 300 ms taken and asked again (900), authorized again (600 ms): sent at 1500 ms, past the
    // first timer's 1000 ms (the old bound, half of the 400 ms left, did not take it).
    expect(((await call) as Response).status).toBe(200);
    expect([reserved, sent]).toEqual([[600, 900], [`${origin}/${path}`]]);
  });
});

describe("createOktaKy after a 429: what is left of the attempt's ky timeout, whatever the wall clock does", () => {
  it('bounds the coordinator\'s wait by the monotonic clock: the wall clock set back an hour mid-attempt changes nothing', async () => {
    const reserved: number[] = [];
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (reserved.push(performance.now()), reserved.length === 2 ? 2_000 : 0), observe: () => undefined });
    let sent = 0;
    const answer: typeof fetch = () => {
      sent += 1;
      if (sent > 1) return Promise.resolve(new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } }));
      vi.setSystemTime(Date.now() - 3_600_000);
      return Promise.resolve(new Response('{}', { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' } }));
    };
    const call = createOktaKy({ credential: countingCredential(origin), rateLimitCoordinator, timeoutMs: 30_000, fetch: answer }).get(path, { timeout: 1_000 });
    const ended = call.then((response) => response.status, (error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    // Its 2 s past half of the (under) 1000 ms left: not taken, the 429 waited out by the client (1 s), then answered.
    expect([await ended, sent, reserved.length]).toEqual([200, 2, 3]);
  });
});
