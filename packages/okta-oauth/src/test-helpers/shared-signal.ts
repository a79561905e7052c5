/**
 * What the tests of one caller's signal shared by many calls (an app's shutdown signal: sig161,
 * sig166) need: the listeners on it and Node.js's leak warnings about it (`@org/okta-test-utils`'),
 * and a fetch that holds a flight's request at the org's door until the test has counted the calls
 * waiting for it.
 */
import { abortListeners, useSignalWarnings } from '@org/okta-test-utils';
import { gate } from '../user/test-helpers/late-storage.js';

/** The `abort` listeners on a signal, and its leak warnings: `@org/okta-test-utils`' one pair, under this helper's names. */
export { abortListeners as listeners, useSignalWarnings as useWarnings };

/**
 * Every call started synchronously and waiting for a flight by promise jobs alone (no I/O, no timer
 * before its wait) is waiting once the jobs queued before this turn ran: a count of them, not a time.
 */
export const jobsRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `globalThis.fetch` (real HTTP), but once `hold(path)` was called each request for `path` waits at
 * the door until `release()`: `reached` resolves when the first one got there, the flight then
 * pending for every call that joined it.
 */
export function heldFetch(): { readonly fetch: typeof fetch; readonly hold: (path: string) => { readonly reached: Promise<void>; readonly release: () => void } } {
  let held: { readonly path: string; readonly door: ReturnType<typeof gate> } | undefined;
  const fetchThrough: typeof fetch = async (input, init) => {
    const door = held;
    if (door?.path === new URL(input instanceof Request ? input.url : String(input)).pathname) {
      door.door.reach();
      await door.door.opened;
    }
    return fetch(input, init);
  };
  return {
    fetch: fetchThrough,
    hold: (path) => {
      const door = gate();
      held = { path, door };
      return {
        reached: door.reached,
        release: () => {
          held = undefined;
          door.open();
        },
      };
    },
  };
}
