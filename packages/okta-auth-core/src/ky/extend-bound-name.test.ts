/**
 * An `extend` that hands back the instance's own ky `timeout` (`extend((parent) => ({ ...parent }))`)
 * sets no bound of its own: with a `timeoutMs` past 2^31 − 1, `createOktaKy` gives ky its most
 * (2147483647), which is not `timeoutMs`'s number, and a `TIMEOUT` ended by it, or a slot's wait
 * bounded by it, named "ky's timeout" where the bound is `timeoutMs`'s. No answer ever comes (the
 * `fetch` given waits for its signal); the 24.8 days pass on fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { maxTimerMs } from '../request/abort.js';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';

const timeoutMs = 3_000_000_000;

/** A fetch that never answers: it rejects with its signal's reason once aborted. */
const never: typeof fetch = (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
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
    expect(error).toMatchObject({ code: 'TIMEOUT', message: `GET /api/v1/users got no complete answer within ${timeoutMs} ms (timeoutMs).` });
  });

  it("in a slot's TIMEOUT (retry: false: the wait is half the bound)", async () => {
    const maxInFlight = createInFlightLimit(1);
    await maxInFlight.acquire({ maxWaitMs: 0, holdMs: maxTimerMs, signal: undefined, what: () => 'the test' });
    const api = createOktaKy({ credential: countingCredential('https://acme.okta.com'), timeoutMs, retry: false, maxInFlight, fetch: never }).extend((parent) => ({ ...parent }));
    const error = await failedAfter(api.get('api/v1/users'), timeoutMs / 2);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^GET \/api\/v1\/users waited \d+ ms for a slot .* or raise the limit or timeoutMs\.$/) });
  });
});
