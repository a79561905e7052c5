/**
 * A service app token Okta refused (401 `invalid_token`) is dropped from a shared `tokenStore`
 * only while the store still holds it, on @org/okta-emulator: a fresh token another process
 * stores between the cache's read and its removal stays when the storage has `removeIfEqual`
 * (and this process's retry uses it: no extra token request); without it, the removal takes it
 * (the documented window of one storage call) and this process asks Okta again.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { createMemoryStorage } from '../user/storage.js';
import type { OktaStorage } from './storage.js';
import type { TokenStore, TokenStoreEntry } from './token-store.js';

useEmulators();

/** A memory storage whose next `get()` after `between()` lets another writer store first (it answers what it read before). */
function racedStorage(compare: boolean) {
  const memory = createMemoryStorage();
  const keys = new Set<string>();
  let writer: ((key: string) => void) | undefined;
  const storage: OktaStorage = {
    get(key) {
      const value = memory.get(key);
      writer?.(key);
      writer = undefined;
      return value;
    },
    set: (key, value) => {
      keys.add(key);
      return memory.set(key, value);
    },
    remove: (key) => memory.remove(key),
  };
  if (compare) storage.removeIfEqual = (key, value) => memory.removeIfEqual?.(key, value) ?? false;
  return { storage, memory, keys, between: (write: (key: string) => void) => (writer = write) };
}

it.each([true, false])("a refused token's removal leaves a fresh token another process stored meanwhile (removeIfEqual: %s)", async (compare) => {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const credential = (tokenStore: OktaStorage) =>
    createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true });
  const shared = racedStorage(compare);
  const mine = createOktaFetch({ credential: credential(shared.storage) });
  expect((await mine('/api/v1/users')).status).toBe(200);
  org.revokeAccessTokens();
  // The other process obtains a fresh token (after the revocation) and stores it under the same key.
  const elsewhere = createMemoryStorage();
  expect((await createOktaFetch({ credential: credential(elsewhere) })('/api/v1/users')).status).toBe(200);
  // This process's next call is refused; just after its drop reads the refused token, the other process's write lands.
  let theirs: string | undefined;
  shared.between((key) => {
    theirs = elsewhere.get(key) as string;
    void shared.memory.set(key, theirs);
  });
  expect((await mine('/api/v1/users')).status).toBe(200);
  expect(theirs).toContain('accessToken');
  const kept = [...shared.keys].some((key) => shared.memory.get(key) === theirs);
  expect(kept, `the other process's token stays (removeIfEqual: ${compare})`).toBe(compare);
  expect(org.counters().tokenRequests.client_credentials).toEqual({ success: compare ? 2 : 3 });
});

it("an entry-valued TokenStore's delete gets the key alone, as its interface says (a delete forwarding its arguments to a Redis client)", async () => {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const entries = new Map<string, TokenStoreEntry>();
  const deletes: unknown[][] = [];
  const tokenStore: TokenStore = {
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, entry) => Promise.resolve(void entries.set(key, entry)),
    delete: (...args: [string]) => {
      deletes.push(args);
      entries.delete(args[0]);
      return Promise.resolve();
    },
  };
  const okta = createOktaFetch({
    credential: createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore, allowInsecureLoopback: true }),
  });
  expect((await okta('/api/v1/users')).status).toBe(200);
  org.revokeAccessTokens();
  expect((await okta('/api/v1/users')).status).toBe(200);
  expect(deletes).toEqual([[[...entries.keys()][0]]]);
  expect(org.counters().tokenRequests.client_credentials).toEqual({ success: 2 });
});
