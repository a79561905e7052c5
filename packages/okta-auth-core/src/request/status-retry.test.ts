/**
 * The fetch driver's backoff between status retries (`status-retry.ts`): ky's 0.3 s × 2^(n−1), without
 * jitter, bounded by `retry.maxWaitMs`. A pure function: the server tests see the retries, not the waits.
 */
import { describe, expect, it } from 'vitest';
import { statusRetryWaitMs } from './status-retry.js';

describe('statusRetryWaitMs', () => {
  it('waits 300 ms before the first retry and doubles after: 300, 600, 1200', () => {
    expect([1, 2, 3].map((n) => statusRetryWaitMs(n, 60_000))).toEqual([300, 600, 1200]);
  });

  it('waits no more than maxWaitMs', () => {
    expect([statusRetryWaitMs(2, 500), statusRetryWaitMs(1, 0)]).toEqual([500, 0]);
  });
});
