/**
 * The wait a slot's `TIMEOUT` reports, to the millisecond, on a stopped clock (fake timers, and
 * `performance.now` with them): nothing runs between an attempt's start and its wait, so the wait
 * is exactly half of its bound (in whole ms, floored), in every driver. The server tests of the
 * same waits (`expectSlotWait`) bound it from above only, as real time passes there: a wait of a
 * quarter of the bound, or none, passed them all. The test holds the one slot; the `fetch` given
 * never answers (nothing is sent: the slot is never free).
 */
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

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
