/**
 * One caller's signal shared by every call (an app's shutdown signal, sig166) while calls wait for a
 * slot of a `maxInFlight` limit, against the emulator: its `hold` fault keeps the one call in flight
 * until the test lets it go, and the limit counts the calls waiting, so what is counted is never a
 * matter of time. The limit listens on the signal it is given for each waiting call
 * (`in-flight-limit.ts`), but every driver gives it the attempt's own signal, which follows the
 * caller's by core's one listener (`anySignal`): the caller's signal holds one listener of ours while
 * 199 calls wait, none once they settled (held on main too). Its abort ends every waiting call at once,
 * `ABORTED` with its reason as `cause`.
 */
import { abortListeners as listeners, until, useSignalWarnings } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createInFlightLimit, type InFlightLimit } from './in-flight-limit.js';

const org = useApiTokenOrg();
const calls = 200;
const path = 'api/v1/users?limit=1';

/** Node.js's leak warnings about a signal (past 10 listeners on one EventTarget), collected for this file. */
const warnedAbout = useSignalWarnings().about;

/** One GET through a driver on `limit`, its answer's body read (an answer handed on with it follows the signal until then). */
type Send = (maxInFlight: InFlightLimit, signal: AbortSignal) => Promise<number>;
const read = async (response: Response): Promise<number> => (await response.text(), response.status);
const credential = () => org.ssws(org.org.url);

/**
 * Each driver, and the listeners it keeps on the caller's signal while its calls wait (`held`) and once they settled (`left`):
 * core's one, and for the ky drivers the typed signal's one per caller's signal (`typedSignal`, sig165: not per call).
 */
const drivers: Record<string, { readonly send: Send; readonly held: number; readonly left: number }> = {
  createOktaFetch: { send: (maxInFlight, signal) => createOktaFetch({ credential: credential(), maxInFlight })(`/${path}`, { signal }).then(read), held: 1, left: 0 },
  createOktaKy: { send: (maxInFlight, signal) => createOktaKy({ credential: credential(), maxInFlight })(path, { signal }).then(read), held: 2, left: 1 },
  // Each attempt's timer follows ky's own signal of the call (`followCall`), which ky made to follow yours: the typed signal's one alone.
  'oktaKyHooks on your own ky instance': {
    send: (maxInFlight, signal) => ky.create({ baseUrl: `${org.org.url}/`, timeout: false, hooks: oktaKyHooks({ credential: credential(), maxInFlight }) })(path, { signal }).then(read),
    held: 1,
    left: 1,
  },
};

describe.each(Object.keys(drivers))("maxInFlight through %s: many calls waiting for a slot on one caller's signal", (name) => {
  const { send, held, left } = drivers[name]!;

  it(`${calls} calls add no listener of their own to it while they wait or after, nor a warning (held on main too)`, async () => {
    const id = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const limit = createInFlightLimit(1);
    const shutdown = new AbortController();
    const outcomes = Array.from({ length: calls }, () => send(limit, shutdown.signal));
    await until(() => org.org.heldAnswers(id) === 1 && limit.waiting === calls - 1, 'one call in flight, the others waiting for its slot');
    expect(listeners(shutdown.signal)).toBe(held);
    org.org.clearFaults();
    expect(new Set(await Promise.all(outcomes))).toEqual(new Set([200]));
    expect(listeners(shutdown.signal)).toBe(left);
    expect(warnedAbout(shutdown.signal)).toEqual([]);
  });

  it(`its abort ends the ${calls} calls at once, ABORTED with its reason as cause`, async () => {
    const id = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const limit = createInFlightLimit(1);
    const shutdown = new AbortController();
    const outcomes = Array.from({ length: calls }, () => send(limit, shutdown.signal).then(() => 'settled', (error: unknown) => error));
    await until(() => org.org.heldAnswers(id) === 1 && limit.waiting === calls - 1, 'one call in flight, the others waiting for its slot');
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    // The one in flight too: its answer is still held.
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toMatchObject({ code: 'ABORTED', cause: reason });
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
    org.org.clearFaults();
  });
});
