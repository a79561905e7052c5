/**
 * A caller's signal shared by every call (an app's shutdown signal) through renewals of a token
 * store's `singleFlight` (the fleet, token-cache/fleet.ts), over real HTTP against
 * @org/okta-emulator (sig161). The fleet combined the signal it is given (the flight's own, fired
 * once no caller waits: the caller's signal only gets the fleet's count of callers, one listener per
 * flight) with its own controller by `AbortSignal.any`, beside core's one combiner (`anySignal`):
 * where it is missing (Next.js's edge runtime, Vercel's `edge-runtime` 4, edge156) every renewal
 * through the fleet failed with its `TypeError`. Now by core's `anySignal`: N renewals leave no
 * dependant signal (`AbortSignal.any`'s, nodejs/node#55351) and no listener on the caller's signal
 * (held on main too), and its abort still ends the fleet's wait.
 */
import type { RequestAttempt } from '@org/okta-auth-core';
import { abortListeners as listeners, dependants, until } from '@org/okta-test-utils';
import type { OktaEmulator } from '@org/okta-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { createMemoryTokenStore, type TokenStore } from './token-store.js';

useEmulators();

const anyOwn = Object.getOwnPropertyDescriptor(AbortSignal, 'any');

afterEach(() => {
  vi.useRealTimers();
  if (anyOwn !== undefined) Object.defineProperty(AbortSignal, 'any', anyOwn);
});

/** A memory store shared by a fleet: its `singleFlight` runs `obtain` (or `wait`, given) and stores the entry; each flight's signal recorded. */
function fleetStore(wait?: (signal: AbortSignal | undefined) => Promise<never>) {
  const inner = createMemoryTokenStore();
  const signals: (AbortSignal | undefined)[] = [];
  const store: TokenStore = {
    get: (key) => inner.get(key),
    set: (key, entry) => inner.set(key, entry),
    delete: (key) => inner.delete(key),
    async singleFlight(key, obtain, { signal }) {
      signals.push(signal);
      if (wait) return wait(signal);
      const entry = await obtain();
      await inner.set(key, entry);
      return entry;
    },
  };
  return { store, signals };
}

/** A service app's credential on `store`, and the attempt of a call given `signal`. */
function credentialOn(org: OktaEmulator, store: TokenStore) {
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore: store, allowInsecureLoopback: true });
  const attempt = (signal: AbortSignal): RequestAttempt => ({ method: 'GET', url: new URL('/api/v1/users', org.url), signal });
  return { credential, attempt };
}

const renewals = (org: OktaEmulator): number => org.counters().tokenRequests.client_credentials?.success ?? 0;

describe("a caller's signal shared by every renewal through a store's singleFlight", () => {
  it('30 renewals leave no dependant signal and no listener on it', async () => {
    // `Date` moves only when the test says (the client's and the org's: one process), past each token's renewal point.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const org = await emulator({ seed: { users: 1 }, tokenLifetimeSeconds: 10 });
    const fleet = fleetStore();
    const { credential, attempt } = credentialOn(org, fleet.store);
    const shutdown = new AbortController();
    for (let i = 0; i < 30; i++) {
      vi.setSystemTime(Date.now() + 6000);
      expect((await credential.authorize(attempt(shutdown.signal))).authorization).toMatch(/^Bearer /);
    }
    expect({ flights: fleet.signals.length, renewals: renewals(org) }).toEqual({ flights: 30, renewals: 30 });
    expect(dependants(shutdown.signal)).toBe(0);
    expect(listeners(shutdown.signal)).toBe(0);
    // The signals each flight's store was given fired once its wait ended: none follows the caller's any more.
    expect(fleet.signals.every((signal) => signal?.aborted === true)).toBe(true);
  });

  it('without AbortSignal.any (Next.js edge runtime, edge-runtime 4), each renewal goes through the fleet and leaves nothing on it', async () => {
    Object.defineProperty(AbortSignal, 'any', { value: undefined, configurable: true, writable: true });
    const org = await emulator({ seed: { users: 1 } });
    const fleet = fleetStore();
    const shutdown = new AbortController();
    for (let i = 0; i < 3; i++) {
      const { credential, attempt } = credentialOn(org, fleet.store);
      expect((await credential.authorize(attempt(shutdown.signal))).authorization).toMatch(/^Bearer /);
    }
    expect(listeners(shutdown.signal)).toBe(0);
    expect({ flights: fleet.signals.length, renewals: renewals(org) }).toEqual({ flights: 3, renewals: 3 });
  });

  it("its abort during a renewal ends the fleet's wait (ABORTED, the store's signal fired) and leaves no listener", async () => {
    const org = await emulator({ seed: { users: 1 } });
    // The store waits for another process's renewal until its signal fires.
    const fleet = fleetStore((signal) => new Promise<never>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('the wait for another process ended')))));
    const { credential, attempt } = credentialOn(org, fleet.store);
    const shutdown = new AbortController();
    const asked = credential.authorize(attempt(shutdown.signal)).then(() => 'settled', (error: unknown) => error);
    await until(() => fleet.signals.length === 1, "the store's singleFlight");
    expect(fleet.signals[0]?.aborted).toBe(false);
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    expect(await asked).toMatchObject({ code: 'ABORTED' });
    expect(fleet.signals[0]?.aborted).toBe(true);
    // The fleet's count of the flight's callers (`fleetObtain.join`) leaves it once the flight has settled, right after.
    await until(() => listeners(shutdown.signal) === 0, "the fleet's listener on the caller's signal gone");
    expect(renewals(org)).toBe(0);
  });
});
