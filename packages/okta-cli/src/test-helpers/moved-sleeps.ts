import { vi } from 'vitest';

/**
 * The lock's waits on a clock the test moves: each sleep of the wait (`Atomics.wait`, 20 ms) returns
 * at once and moves `Date` on by what it asked for, so 5 s of waiting take no time and a lock ages
 * as it would. Answers the time slept so far, and the lock file's time (a whole second, now).
 * The test file's `afterEach` undoes it (`vi.useRealTimers()`, `vi.restoreAllMocks()`).
 */
export function movedSleeps(): { readonly slept: number; readonly lockTime: Date } {
  const now = Math.floor(Date.now() / 1000) * 1000;
  vi.useFakeTimers({ toFake: ['Date'], now });
  let slept = 0;
  vi.spyOn(Atomics, 'wait').mockImplementation((_array: unknown, _index: number, _value: unknown, timeout?: number) => {
    if (timeout === undefined || slept > 60_000) throw new Error(`the lock wait went on past a minute (or without a timeout: ${String(timeout)})`);
    slept += timeout;
    vi.setSystemTime(Date.now() + timeout);
    return 'timed-out';
  });
  return {
    get slept() {
      return slept;
    },
    lockTime: new Date(now),
  };
}
