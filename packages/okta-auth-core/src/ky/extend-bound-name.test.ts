/**
 * An `extend` that hands back the instance's own ky `timeout` (`extend((parent) => ({ ...parent }))`)
 * sets no bound of its own: with a `timeoutMs` past 2^31 − 1, `createOktaKy` gives ky its most
 * (2147483647), which is not `timeoutMs`'s number, and a `TIMEOUT` ended by it, or a slot's wait
 * bounded by it, named "ky's timeout" where the bound is `timeoutMs`'s. No answer ever comes (the
 * `fetch` given waits for its signal); the 24.8 days pass on fake timers. An `extend` that does
 * change a bound (to the parent's value given as an object, to `undefined`: ky's default 10 s, to
 * `false`, through nested extends) is named by what ends the call, on a fake clock: the bound that
 * fires, and the one half of which the slot's wait takes.
 */
import ky, { type KyInstance, type Options } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { maxTimerMs } from '../request/abort.js';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { expectSlotWait } from '../test-helpers/slot-timeout.js';
import { createOktaKy } from './create-okta-ky.js';

const timeoutMs = 3_000_000_000;

/** A fetch that never answers: it rejects with its signal's reason once aborted. */
const never: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** What `call` failed with once `ms` passed. */
async function failedAfter(call: Promise<unknown>, ms: number): Promise<Error> {
  const ended = call.then(
    () => new Error('answered'),
    (error: unknown) => error as Error,
  );
  await vi.advanceTimersByTimeAsync(ms);
  const error = await ended;
  expect(isOktaAuthError(error)).toBe(true);
  return error;
}

describe("an extend handing back the instance's ky timeout names timeoutMs", () => {
  it('in the TIMEOUT that ended the call', async () => {
    const api = createOktaKy({ credential: countingCredential('https://acme.okta.com'), timeoutMs, fetch: never }).extend((parent) => ({ ...parent, headers: { 'x-test': '1' } }));
    const error = await failedAfter(api.get('api/v1/users'), maxTimerMs);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: `GET acme.okta.com/api/v1/users got no complete answer within ${timeoutMs} ms (timeoutMs).` });
  });

  it("in a slot's TIMEOUT (retry: false: the wait is half the bound)", async () => {
    const maxInFlight = createInFlightLimit(1);
    await maxInFlight.acquire({ maxWaitMs: 0, holdMs: maxTimerMs, signal: undefined, what: () => 'the test' });
    const api = createOktaKy({ credential: countingCredential('https://acme.okta.com'), timeoutMs, retry: false, maxInFlight, fetch: never }).extend((parent) => ({ ...parent }));
    const error = await failedAfter(api.get('api/v1/users'), timeoutMs / 2);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^GET acme\.okta\.com\/api\/v1\/users waited \d+ ms for a slot .* or raise the limit or timeoutMs\.$/) });
  });
});

type Extended = (options: { maxInFlight?: ReturnType<typeof createInFlightLimit>; retry?: false }) => KyInstance;
const okta = (options: object) => createOktaKy({ credential: countingCredential('https://acme.okta.com'), timeoutMs: 30_000, fetch: never, ...options });
const base = ky.create({ totalTimeout: 4_000 });
/** Options giving a key as `undefined`, which ky merges as such (its types leave the key out instead). */
const unset = (options: object): Options => options;

describe('what an extend changes names the bound that ends the call, and halves for the slot (timeoutMs 30 s)', () => {
  const rows: [string, Extended, number, string][] = [
    ["ky's timeout set to the parent's value", (o) => okta(o).extend({ timeout: 30_000 }), 30_000, 'timeoutMs'],
    ["ky's timeout set to undefined (ky's default)", (o) => okta(o).extend(unset({ timeout: undefined })), 10_000, "ky's timeout"],
    ["ky's timeout set to undefined by a function", (o) => okta(o).extend((parent) => unset({ ...parent, timeout: undefined })), 10_000, "ky's timeout"],
    ["ky's timeout: false by a function", (o) => okta(o).extend((parent) => ({ ...parent, timeout: false })), 30_000, 'timeoutMs'],
    ['an inner 5 s handed back by an outer function', (o) => okta(o).extend({ timeout: 5_000 }).extend((parent) => ({ ...parent })), 5_000, "ky's timeout"],
    ['an inner 5 s, an outer undefined', (o) => okta(o).extend({ timeout: 5_000 }).extend(unset({ timeout: undefined })), 10_000, "ky's timeout"],
    ['an inner 5 s, an outer 30 s', (o) => okta(o).extend({ timeout: 5_000 }).extend((parent) => ({ ...parent, timeout: 30_000 })), 30_000, 'timeoutMs'],
    ['an inner false handed back, then 10 s', (o) => okta(o).extend({ timeout: false }).extend((parent) => ({ ...parent })).extend({ timeout: 10_000 }), 10_000, "ky's timeout"],
    ["the base instance's totalTimeout handed back", (o) => okta({ ky: base, ...o }).extend((parent) => ({ ...parent })), 4_000, "ky's totalTimeout"],
    ["the base instance's totalTimeout set again", (o) => okta({ ky: base, ...o }).extend({ totalTimeout: 4_000 }), 4_000, "ky's totalTimeout"],
    ["the base instance's totalTimeout set to undefined", (o) => okta({ ky: base, ...o }).extend((parent) => unset({ ...parent, totalTimeout: undefined })), 30_000, 'timeoutMs'],
  ];
  it.each(rows)('%s', async (_, extended, ms, name) => {
    const error = await failedAfter(extended({}).get('api/v1/users'), ms);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: `GET acme.okta.com/api/v1/users got no complete answer within ${ms} ms (${name}).` });
    const maxInFlight = createInFlightLimit(1);
    await maxInFlight.acquire({ maxWaitMs: 0, holdMs: maxTimerMs, signal: undefined, what: () => 'the test' });
    expect(expectSlotWait(await failedAfter(extended({ maxInFlight, retry: false }).get('api/v1/users'), ms / 2), name, ms / 2)).toBe(ms / 2);
  });
});
