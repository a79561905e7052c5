/**
 * The backoff before a status retry (`status-retry.ts`): ky's 0.3 s × 2^(n−1), without jitter, at most
 * `createOktaKy`'s `backoffLimit` (5 s). A pure function: the server tests see the retries, and that a backoff
 * past what the call has left of `retry.maxWaitMs` is not started (drivers-differential-scripted, waitsum142).
 */
import { describe, expect, it } from 'vitest';
import { statusRetryWaitMs } from './status-retry.js';

describe('statusRetryWaitMs', () => {
  it('waits 300 ms before the first retry and doubles after: 300, 600, 1200', () => {
    expect([1, 2, 3].map((n) => statusRetryWaitMs(n))).toEqual([300, 600, 1200]);
  });

  it('waits no more than 5 s', () => {
    expect([statusRetryWaitMs(5), statusRetryWaitMs(6)]).toEqual([4800, 5000]);
  });
});
