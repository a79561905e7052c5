import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../user/storage.js';
import { entryStoreOf, type OktaStorage } from './storage.js';
import { TokenCache } from './token-cache.js';
import type { TokenStoreEntry } from './token-store.js';

const entry = (n: number): TokenStoreEntry => ({ accessToken: `token-${n}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 });

describe('one storage contract', () => {
  it('keeps token entries in an OktaStorage as JSON with their expiry, shared by every cache on it', async () => {
    const seen: { key: string; expiresAt: number | undefined }[] = [];
    const memory = createMemoryStorage();
    const storage: OktaStorage = {
      get: (key) => memory.get(key),
      set: (key, value, options) => {
        seen.push({ key, expiresAt: options?.expiresAt });
        return memory.set(key, value);
      },
      remove: (key) => memory.remove(key),
    };
    expect(entryStoreOf(storage)).toBe(entryStoreOf(storage));
    let calls = 0;
    const obtain = () => Promise.resolve(entry(++calls));
    const a = new TokenCache({ store: entryStoreOf(storage), key: 'k', obtain });
    const b = new TokenCache({ store: entryStoreOf(storage), key: 'k', obtain });
    await Promise.all([a.get(), b.get()]);
    expect(calls).toBe(1);
    expect((await new TokenCache({ store: entryStoreOf(storage), key: 'k', obtain }).get()).accessToken).toBe('token-1');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.expiresAt).toBeGreaterThan(Date.now());
    await memory.set('k', 'not json');
    expect(await entryStoreOf(storage).get('k')).toEqual({ corrupt: true });
  });

  it("maps the storage's string single flight to entries", async () => {
    const storage: OktaStorage = {
      get: () => undefined,
      set: () => undefined,
      remove: () => undefined,
      singleFlight: async (_key, obtain) => (await obtain()).value,
    };
    const cache = new TokenCache({ store: entryStoreOf(storage), key: 'k', obtain: () => Promise.resolve(entry(7)) });
    expect((await cache.get()).accessToken).toBe('token-7');
  });
});
