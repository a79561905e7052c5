import { vi } from 'vitest';
import { AttemptTimer } from '../request/abort.js';

/**
 * Watches the attempt timers (`AttemptTimer`, armed by `setTimeout(expire, timeoutMs, timer)`) so a
 * test fires one when it has seen what it waits for, not when `timeoutMs` of real time has passed:
 * a call given a long `timeoutMs` gets its headers however loaded the machine, and its stall still
 * ends in the timer's own abort. The real timer stays armed (and `unref`'d), holding what it held.
 */
export function watchAttemptTimers(): { readonly fireLatest: () => void } {
  const armed = vi.spyOn(globalThis, 'setTimeout');
  return {
    /** Fires the attempt timer armed last, as if its `timeoutMs` had run out. */
    fireLatest() {
      const calls = (armed.mock.calls as unknown as [(timer: AttemptTimer) => void, number?, unknown?][]).filter((args) => args[2] instanceof AttemptTimer);
      const call = calls[calls.length - 1];
      if (call === undefined) throw new Error('no attempt timer was armed');
      call[0](call[2] as AttemptTimer);
    },
  };
}
