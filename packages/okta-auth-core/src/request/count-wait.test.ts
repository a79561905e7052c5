/**
 * The call's total of waits (`countWait`, read by `waitLeft`) is never NaN (fix145): a wait that is no number
 * counts as none, so every later wait is still measured against what `retry.maxWaitMs` leaves.
 */
import { describe, expect, it } from 'vitest';
import { countWait, waitLeft } from './rate-limit-verdict.js';

describe('countWait', () => {
  it('counts a wait that is no number (NaN, undefined) as none', () => {
    const state = { waitedMs: 300 };
    countWait(state, Number.NaN);
    countWait(state, undefined as unknown as number);
    expect(state.waitedMs).toBe(300);
    expect(waitLeft(state, { maxWaitMs: 1000 }).maxWaitMs).toBe(700);
  });
});
