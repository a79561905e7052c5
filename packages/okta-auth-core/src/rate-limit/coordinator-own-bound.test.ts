/**
 * A coordinator's own bound (coord165): `coordinateRateLimits` bounds each call into a coordinator by the `timeoutMs` it
 * declares (1 to 10,000 ms, core's one duration check), 250 ms when it declares none. Until coord165 the bound was a fixed
 * 250 ms: a Redis answering in 300 ms had every call cut, logged as a failed coordinator call and skipped (the fleet ran
 * uncoordinated while Redis was only slow), whatever `commandTimeoutMs` the user gave. On vitest's fake timers: the
 * outcome at each step, never a measured time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { coordinateRateLimits, type RateLimitCoordinator } from './rate-limit-coordinator.js';

const url = new URL('https://acme.okta.com/api/v1/users');

afterEach(() => {
  vi.useRealTimers();
});

/** A coordinator whose first answer, a wait of 20 ms, comes `lateMs` after it is asked; then "send now". */
function late(lateMs: number, timeoutMs?: number): { coordinator: RateLimitCoordinator; asked: () => number } {
  let asked = 0;
  const coordinator = {
    reserve: () => (++asked === 1 ? new Promise<number>((resolve) => setTimeout(() => resolve(20), lateMs)) : 0),
    observe: () => undefined,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
  return { coordinator, asked: () => asked };
}

describe("a coordinator's own bound (timeoutMs)", () => {
  it('a coordinator answering after 300 ms that declares timeoutMs 600 is used: the wait it asked is taken, no event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { coordinator, asked } = late(300, 600);
    const events: unknown[] = [];
    const backoffs: unknown[] = [];
    const waited = coordinateRateLimits(coordinator).wait(url, { maxWaitMs: 60_000, signal: undefined, logger: (event) => void events.push(event), log: (event) => void backoffs.push(event) });
    await vi.advanceTimersByTimeAsync(320);
    // Before: cut at 250 ms, a `timeout` event, and `false` (the attempt sent uncoordinated).
    expect(await waited).toBe(true);
    expect({ asked: asked(), events, backoffs }).toEqual({ asked: 2, events: [], backoffs: [{ type: 'backoff', waitMs: 20, requestId: undefined, bucket: 'GET /api/v1/users' }] });
  });

  it('bounds the call at what it declares: still waiting 1 ms before, a timeout at it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const events: unknown[] = [];
    const coordinator = coordinateRateLimits({ reserve: () => new Promise<never>(() => undefined), observe: () => undefined, timeoutMs: 600 });
    let outcome: unknown = 'waiting';
    void coordinator.wait(url, { maxWaitMs: 60_000, signal: undefined, logger: (event) => void events.push(event) }).then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(599);
    expect({ outcome, events }).toEqual({ outcome: 'waiting', events: [] });
    await vi.advanceTimersByTimeAsync(1);
    expect({ outcome, events }).toEqual({ outcome: false, events: [{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'timeout' }] });
  });

  it('without one, 250 ms as before; the wrapped coordinator says the bound it keeps, so wrapping it again keeps it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { coordinator } = late(300);
    const wrapped = coordinateRateLimits(coordinator);
    expect(wrapped.timeoutMs).toBe(250);
    const waited = wrapped.wait(url, { maxWaitMs: 60_000, signal: undefined, logger: undefined });
    await vi.advanceTimersByTimeAsync(320);
    expect(await waited).toBe(false);
    expect(coordinateRateLimits(coordinateRateLimits({ ...coordinator, timeoutMs: 600.5 })).timeoutMs).toBe(601);
  });

  it.each([[0], [-1], [10_001], [Number.NaN], [Number.POSITIVE_INFINITY], ['600'], [{}]])('refuses a timeoutMs of %s: INVALID_CONFIG naming it and its range', (timeoutMs) => {
    let error: unknown;
    try {
      coordinateRateLimits({ reserve: () => 0, observe: () => undefined, timeoutMs: timeoutMs as number });
    } catch (thrown) {
      error = thrown;
    }
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['INVALID_CONFIG', 'The timeoutMs option must be a number of milliseconds from 1 to 10000 (1 ms to 10 s).']);
  });

  it('takes null as none (250 ms), and 1 ms to 10 s', () => {
    const bound = (timeoutMs: unknown) => coordinateRateLimits({ reserve: () => 0, observe: () => undefined, timeoutMs: timeoutMs as number }).timeoutMs;
    expect([bound(null), bound(undefined), bound(1), bound(10_000)]).toEqual([250, 250, 1, 10_000]);
  });
});
