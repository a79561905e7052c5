/**
 * `waitFor`, the wait of many callers for one shared flight (okta-oauth's discovery, JWKS, token
 * renewals, sign-in callbacks, sign-out's removal), given one caller's signal that every call
 * shares (an app's shutdown signal, sig166): it listened on that signal once per waiting caller
 * until the flight settled, where a call in flight, a sleep and a bounded wait follow it by one
 * listener for all (`anySignal`: anysig159, sig165). 200 waiters held 200 listeners, and Node.js
 * warned past 10. Now each wait follows the signal through `anySignal` with a controller of its own,
 * left when the flight settles: one listener while they wait, none after, and the signal's abort
 * still ends every wait at once, `ABORTED` with its reason as `cause`. No garbage collection is
 * needed for any count here.
 */
import { abortListeners as listeners, useSignalWarnings } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { waitFor } from './abort.js';

const waiters = 200;

/** Node.js's leak warnings about a signal (past 10 listeners on one EventTarget), collected for this file. */
const warnedAbout = useSignalWarnings().about;

/** A flight the test settles. */
function flight<T>() {
  let settle: { resolve: (value: T) => void; reject: (error: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const shared = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return { shared, ...settle };
}

describe("waitFor, many callers on one caller's signal", () => {
  it(`${waiters} waiters of one flight hold one listener on it while they wait and none once it settled, nor a warning`, async () => {
    const shutdown = new AbortController();
    const { shared, resolve } = flight<string>();
    const waits = Array.from({ length: waiters }, () => waitFor(shared, shutdown.signal));
    expect(listeners(shutdown.signal)).toBe(1);
    resolve('keys');
    expect(await Promise.all(waits)).toEqual(Array.from({ length: waiters }, () => 'keys'));
    expect(listeners(shutdown.signal)).toBe(0);
    expect(warnedAbout(shutdown.signal)).toEqual([]);
  });

  it(`${waiters} waiters of flights that fail hand on each failure as itself and leave no listener`, async () => {
    const shutdown = new AbortController();
    const flights = Array.from({ length: waiters }, () => flight<string>());
    const waits = flights.map(({ shared }) => waitFor(shared, shutdown.signal).then(() => 'settled', (error: unknown) => error));
    expect(listeners(shutdown.signal)).toBe(1);
    const down = new Error('store down');
    for (const { reject } of flights) reject(down);
    expect(new Set(await Promise.all(waits))).toEqual(new Set([down]));
    expect(listeners(shutdown.signal)).toBe(0);
  });

  it('its abort ends every wait at once, ABORTED with its reason as cause, the flight going on; none left', async () => {
    const shutdown = new AbortController();
    const { shared, resolve } = flight<string>();
    const ended: unknown[] = [];
    const waits = Array.from({ length: waiters }, () => waitFor(shared, shutdown.signal).catch((error: unknown) => void ended.push(error)));
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    // Before the flight settles and before any timer: the abort itself ended them.
    await Promise.all(waits);
    expect(ended).toHaveLength(waiters);
    for (const error of ended) expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(listeners(shutdown.signal)).toBe(0);
    // The flight is nobody's to stop: a caller without a signal still gets it.
    resolve('keys');
    expect(await waitFor(shared, undefined)).toBe('keys');
    // A signal that had fired ends a wait at once too, with its reason; an attempt's timeout stays TIMEOUT.
    await expect(waitFor(shared, shutdown.signal)).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
    await expect(waitFor(new Promise(() => undefined), AbortSignal.abort(new DOMException('timeoutMs', 'TimeoutError')))).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});
