import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { createMemoryStorage } from '../user/storage.js';
import { defaultStoreTimeoutMs } from './bounded-store.js';
import { storageTimeoutMs, type OktaStorage } from './storage.js';

useEmulators();

describe("a storage's own timeoutMs", () => {
  it('is kept between 1 ms and 60 s; none, or a nonsense value, leaves the default', () => {
    const base = createMemoryStorage();
    const declaring = (timeoutMs: number): OktaStorage => ({ get: (key) => base.get(key), set: (key, value) => base.set(key, value), remove: (key) => base.remove(key), timeoutMs });
    expect(storageTimeoutMs(undefined)).toBeUndefined();
    expect(storageTimeoutMs(base)).toBeUndefined();
    expect(storageTimeoutMs(declaring(5000))).toBe(5000);
    expect(storageTimeoutMs(declaring(10 * 60_000))).toBe(60_000);
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(storageTimeoutMs(declaring(timeoutMs))).toBeUndefined();
    // A user fleet's wait (`fleetWaitMs`): at most an hour, the same reading.
    const waiting = (fleetWaitMs: number): OktaStorage => ({ ...declaring(5000), fleetWaitMs });
    expect(storageTimeoutMs(waiting(95_000), 'fleetWaitMs', 3_600_000)).toBe(95_000);
    expect(storageTimeoutMs(waiting(2 * 3_600_000), 'fleetWaitMs', 3_600_000)).toBe(3_600_000);
    expect(storageTimeoutMs(waiting(Number.POSITIVE_INFINITY), 'fleetWaitMs', 3_600_000)).toBeUndefined();
    expect(storageTimeoutMs(base, 'fleetWaitMs', 3_600_000)).toBeUndefined();
  });

  it('bounds the service credential’s store calls: a get slower than the default bound but within the declared one is used', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const memory = createMemoryStorage();
    // Every read takes longer than the default bound (1 s); the storage says its calls may take 10 s.
    const slow: OktaStorage = {
      get: async (key) => {
        await new Promise((resolve) => setTimeout(resolve, defaultStoreTimeoutMs + 200));
        return memory.get(key);
      },
      set: (key, value) => memory.set(key, value),
      remove: (key) => memory.remove(key),
      timeoutMs: 10_000,
    };
    const credential = () =>
      createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore: slow, allowInsecureLoopback: true });
    expect((await createOktaFetch({ credential: credential() })('/api/v1/users')).status).toBe(200);
    // A second process's credential on the same storage reads the stored token instead of asking Okta.
    expect((await createOktaFetch({ credential: credential() })('/api/v1/users')).status).toBe(200);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
  });
});
