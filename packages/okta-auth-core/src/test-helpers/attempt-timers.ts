import { vi } from 'vitest';
import { AttemptTimer } from '../request/abort.js';

/** One `setTimeout` call: its callback, delay and argument (an `AttemptTimer`'s: the timer itself), and its handle. */
interface Armed {
  readonly args: [(timer?: unknown) => void, number?, unknown?];
  readonly handle: unknown;
}

/** What {@link watchAttemptTimers} answers. */
export interface AttemptTimersWatch {
  /** Fires the attempt timer armed last, as if its `timeoutMs` had run out. */
  readonly fireLatest: () => void;
  /** Ends the wait of `ms` armed last with no argument (`abortableSleep`'s: `pollSystemLog`'s after an empty page), as if it had run out, and clears its timer. */
  readonly endWait: (ms: number) => void;
  /**
   * The attempt timers still armed: neither cleared nor fired (their signal not aborted), counted
   * as `handedOn` (a driver's, armed on an answer handed on with its body: it bounds that body until
   * the caller's read of it ends, or its `timeoutMs` runs out) or `other` (any other: a read's, an authorize's).
   */
  readonly left: () => { readonly handedOn: number; readonly other: number };
  /** The delay of each attempt timer armed since the watch began (cleared or not), in the order armed. */
  readonly delays: () => number[];
}

/**
 * Watches the attempt timers (`AttemptTimer`, armed by `setTimeout(expire, timeoutMs, timer)`) so a
 * test fires one when it has seen what it waits for, not when `timeoutMs` of real time has passed:
 * a call given a long `timeoutMs` gets its headers however loaded the machine, and its stall still
 * ends in the timer's own abort. The real timer stays armed (and `unref`'d), holding what it held.
 * It also sees which were cleared (`clearTimeout`), so a test asks what a call left armed.
 */
export function watchAttemptTimers(): AttemptTimersWatch {
  const arming = vi.spyOn(globalThis, 'setTimeout');
  const clearing = vi.spyOn(globalThis, 'clearTimeout');
  const armed = (): Armed[] => arming.mock.calls.map((args, i) => ({ args: args as unknown as Armed['args'], handle: arming.mock.results[i]?.value }));
  const attempts = () => armed().filter(({ args }) => args[2] instanceof AttemptTimer);
  const running = () => {
    const cleared = new Set(clearing.mock.calls.map(([handle]) => handle as unknown));
    return attempts().filter(({ args, handle }) => !cleared.has(handle) && !(args[2] as AttemptTimer).controller.signal.aborted);
  };
  return {
    fireLatest() {
      const call = attempts().at(-1);
      if (call === undefined) throw new Error('no attempt timer was armed');
      call.args[0](call.args[2]);
    },
    endWait(ms) {
      const wait = armed()
        .filter(({ args }) => args[1] === ms && args[2] === undefined)
        .at(-1);
      if (wait === undefined) throw new Error(`no wait of ${ms} ms was armed`);
      wait.args[0]();
      clearTimeout(wait.handle as ReturnType<typeof setTimeout>);
    },
    left() {
      const timers = running();
      const handedOn = timers.filter(({ args }) => (args[2] as AttemptTimer).answer !== undefined).length;
      return { handedOn, other: timers.length - handedOn };
    },
    delays: () => attempts().map(({ args }) => args[1] ?? 0),
  };
}
