/**
 * The wait before a 429's retry when the answer names no reset (docs/SECURITY.md, Bounds: "a wait
 * without a reset is 1 s × 2^n"): 1 s, then 2 s, then 4 s, within `retry.limit` and `retry.maxWaitMs`
 * of the call. Read from the one rule (`rateLimitDecision`) that both drivers ask; the drivers'
 * first 1 s over HTTP is in `drivers-differential.server.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { newRetryState, rateLimitDecision, recordRateLimitRetry } from './request-policy.js';

/** A 429 without `X-Rate-Limit-Reset` or `Retry-After`. */
const tooMany = () => new Response(null, { status: 429 });

/** The waits the rule gives to 429s in a row, until it gives none. */
function waits(retry: { limit: number; maxWaitMs: number }): number[] {
  const state = newRetryState();
  const taken: number[] = [];
  for (let wait = rateLimitDecision(tooMany(), state, retry); wait !== undefined; wait = rateLimitDecision(tooMany(), state, retry)) {
    taken.push(wait);
    recordRateLimitRetry(tooMany(), state, wait);
  }
  return taken;
}

describe('the wait before a 429 retry without a reset', () => {
  it('doubles from 1 s: 1, 2, 4, 8 s for four retries', () => {
    expect(waits({ limit: 4, maxWaitMs: 60_000 })).toEqual([1000, 2000, 4000, 8000]);
  });

  it('stops at retry.limit, and before a wait that would take the call past retry.maxWaitMs', () => {
    expect(waits({ limit: 2, maxWaitMs: 60_000 })).toEqual([1000, 2000]);
    // 1 + 2 = 3 s taken; the next 4 s would make 7 s, over 6 s.
    expect(waits({ limit: 10, maxWaitMs: 6000 })).toEqual([1000, 2000]);
    expect(waits({ limit: 10, maxWaitMs: 7000 })).toEqual([1000, 2000, 4000]);
  });
});
