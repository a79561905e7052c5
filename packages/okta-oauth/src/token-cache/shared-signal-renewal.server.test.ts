/**
 * One caller's signal shared by every call (an app's shutdown signal, sig166) while a service app's
 * token renewal is under way, over real HTTP against @org/okta-emulator: 200 calls wait for one
 * renewal, its token request held at the org's door until the test has counted them.
 *
 * Through core's drivers (`createOktaFetch`) the credential is asked with each attempt's own signal,
 * which follows the caller's by core's one listener (`anySignal`, anysig159): one listener while the
 * calls wait, none after, on main too. A credential asked directly (`authorize(attempt)`, an
 * integration of yours, the attempt's signal the caller's) waited for the renewal through core's
 * `waitFor`, and the fleet counted each caller (`fleetObtain.join`, with or without a store's
 * `singleFlight`), each with a listener of its own on that signal until the renewal settled: 400
 * listeners for 200 calls on main, and Node.js's leak warning. Both now follow it through `anySignal`. The signal's abort still
 * ends every call at once, `ABORTED` with its reason as `cause`, and with the fleet the store's wait
 * for another process ends once no caller waits.
 */
import { createOktaFetch, type RequestAttempt } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { dependants } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { heldFetch, jobsRun, listeners, useWarnings } from '../test-helpers/shared-signal.js';
import { createMemoryTokenStore, type TokenStore } from './token-store.js';

useEmulators();
const warnings = useWarnings();

const calls = 200;
const path = '/api/v1/users';

/** A memory store; with `fleet`, one whose `singleFlight` runs `obtain` (as a shared store's does for the process that takes the lock), each flight's signal recorded. */
function storeOf(fleet: boolean): { readonly store: TokenStore; readonly flights: AbortSignal[] } {
  const inner = createMemoryTokenStore();
  const flights: AbortSignal[] = [];
  if (!fleet) return { store: inner, flights };
  const store: TokenStore = {
    get: (key) => inner.get(key),
    set: (key, entry) => inner.set(key, entry),
    delete: (key) => inner.delete(key),
    async singleFlight(key, obtain, { signal }) {
      if (signal) flights.push(signal);
      const entry = await obtain();
      await inner.set(key, entry);
      return entry;
    },
  };
  return { store, flights };
}

/** A service app's credential on a new org and `store`, its token requests through a {@link heldFetch}. */
async function serviceOn(store: TokenStore) {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const door = heldFetch();
  const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore: store, allowInsecureLoopback: true, fetch: door.fetch });
  return { org, credential, door };
}

type Service = Awaited<ReturnType<typeof serviceOn>>;

const renewals = (org: OktaEmulator): number => org.counters().tokenRequests.client_credentials?.success ?? 0;

/** How each call asks: through core's fetch driver, or the credential directly with the caller's signal as its attempt's. */
const drivers: Record<string, { readonly call: (service: Service, signal: AbortSignal) => Promise<unknown>; readonly fixed: string }> = {
  createOktaFetch: {
    // The body read: an answer handed on with its body follows the caller's signal until that read ends (anysig159).
    call: ({ credential }, signal) => createOktaFetch({ credential })(path, { signal }).then(async (response) => (await response.text(), response.status)),
    fixed: 'held on main too',
  },
  'authorize(attempt)': {
    call: ({ org, credential }, signal) => credential.authorize({ method: 'GET', url: new URL(path, org.url), signal } satisfies RequestAttempt).then(() => 200),
    fixed: "main: two per call, the cache's wait and the fleet's count",
  },
};

describe.each(Object.keys(drivers))("%s: many calls waiting for one renewal on one caller's signal", (driver) => {
  const { call, fixed } = drivers[driver]!;

  describe.each([false, true])('with a store singleFlight: %s', (fleet) => {
    it(`${calls} calls hold one listener on it while the renewal is pending and none once settled, nor a warning (${fixed})`, async () => {
      const { store, flights } = storeOf(fleet);
      const service = await serviceOn(store);
      const held = service.door.hold('/oauth2/v1/token');
      const shutdown = new AbortController();
      const outcomes = Array.from({ length: calls }, () => call(service, shutdown.signal));
      await held.reached;
      await jobsRun();
      expect(listeners(shutdown.signal)).toBe(1);
      expect(dependants(shutdown.signal)).toBe(0);
      held.release();
      expect(new Set(await Promise.all(outcomes))).toEqual(new Set([200]));
      // One renewal for them all: every call had joined it while it was held.
      expect(renewals(service.org)).toBe(1);
      expect(flights).toHaveLength(fleet ? 1 : 0);
      expect(listeners(shutdown.signal)).toBe(0);
      expect(warnings.about(shutdown.signal)).toEqual([]);
    });

    it(`its abort ends all ${calls} calls at once, ABORTED with its reason as cause, and leaves no listener`, async () => {
      const { store, flights } = storeOf(fleet);
      const service = await serviceOn(store);
      const held = service.door.hold('/oauth2/v1/token');
      const shutdown = new AbortController();
      const outcomes = Array.from({ length: calls }, () => call(service, shutdown.signal).then(() => 'settled', (error: unknown) => error));
      await held.reached;
      await jobsRun();
      const reason = new Error('shutting down');
      shutdown.abort(reason);
      // Ended by the abort itself: the renewal is still held at the door.
      for (const outcome of await Promise.all(outcomes)) expect(outcome).toMatchObject({ code: 'ABORTED', cause: reason });
      expect(listeners(shutdown.signal)).toBe(0);
      // With the fleet, no caller waits any more: the store's wait for another process was told.
      expect(flights.every((signal) => signal.aborted)).toBe(true);
      held.release();
      // A call after it, with no signal, still gets a token (the renewal it joins, or one of its own).
      expect(await call(service, new AbortController().signal)).toBe(200);
      expect(warnings.about(shutdown.signal)).toEqual([]);
    });
  });
});
