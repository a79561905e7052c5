/**
 * The token cache's renewal decisions: the pause after a failed early renewal ends after
 * `renewalPauseMs` (10 s); `keepOnFailure` decides which failures keep a live token (and a refused token
 * is never kept); and `obtain` gets the store's entry when it holds one, else this process's, so
 * a refresh token another process or tab rotated and stored is the one spent, whatever each writer's clock said.
 */
import { describe, expect, it } from 'vitest';
import { TokenCache, type CacheStore, type TokenCacheOptions } from './token-cache.js';
import { createMemoryTokenStore, type TokenStoreEntry } from './token-store.js';

const hour = 3_600_000;
const entry = (n: number, expiresAt: number): TokenStoreEntry => ({ accessToken: `token-${n}`, tokenType: 'Bearer', expiresAt, lifetimeMs: hour });
const outage = new Error('503');

function clocked(options: Partial<TokenCacheOptions> = {}) {
  const clock = { now: 0 };
  const cache = new TokenCache({ store: createMemoryTokenStore(), key: 'k', now: () => clock.now, initial: entry(0, hour), obtain: () => Promise.reject(outage), ...options });
  return { cache, clock };
}

describe('TokenCache renewal', () => {
  it('after a failed early renewal, the next attempt comes 10 s later (the documented pause), not before', async () => {
    let attempts = 0;
    const { cache, clock } = clocked({ keepOnFailure: () => true, obtain: () => (attempts++, Promise.reject(outage)) });
    clock.now = hour - 120_000; // inside the margin, not expired
    expect((await cache.get()).accessToken).toBe('token-0');
    expect(attempts).toBe(1);
    clock.now += 10_000 - 1;
    expect((await cache.get()).accessToken).toBe('token-0');
    expect(attempts).toBe(1);
    clock.now += 1;
    expect((await cache.get()).accessToken).toBe('token-0');
    expect(attempts).toBe(2);
  });

  it('an early renewal failing with an error keepOnFailure does not accept, or with no keepOnFailure, fails its caller with that error', async () => {
    for (const keepOnFailure of [() => false, undefined]) {
      const { cache, clock } = clocked({ keepOnFailure });
      clock.now = hour - 1000;
      await expect(cache.get()).rejects.toBe(outage);
    }
  });

  it('a refused token is never kept alive by a failed renewal, even one keepOnFailure accepts', async () => {
    const { cache, clock } = clocked({ keepOnFailure: () => true });
    clock.now = 1000; // fresh, far from expiry
    await cache.drop('token-0'); // Okta said 401 invalid_token for it
    await expect(cache.get()).rejects.toBe(outage);
  });
});

describe("TokenCache's previous entry for obtain", () => {
  /** A cache whose store holds `stored` (not fresh: inside its margin), and what obtain was given. */
  function renewing(local: TokenStoreEntry | undefined, stored: TokenStoreEntry) {
    const given: (string | undefined)[] = [];
    const ok = (): Promise<void> => Promise.resolve();
    const store: CacheStore<TokenStoreEntry> = { get: () => Promise.resolve(stored), set: ok, delete: ok };
    const { cache, clock } = clocked({ store, initial: local, obtain: (previous) => (given.push(previous?.accessToken), Promise.resolve(entry(9, clock.now + hour))) });
    clock.now = 10 * hour - 120_000;
    return { cache, given };
  }

  it("the store's entry when it expires later than this process's (another writer renewed, rotating the refresh token)", async () => {
    const { cache, given } = renewing(entry(1, 10 * hour - 60_000), entry(2, 10 * hour - 30_000));
    expect((await cache.get()).accessToken).toBe('token-9');
    expect(given).toEqual(['token-2']);
  });

  it("the store's entry when it expires earlier than this process's: each `expiresAt` is its writer's clock, a host behind stores a newer renewal that looks older (rev166b)", async () => {
    const { cache, given } = renewing(entry(1, 10 * hour - 30_000), entry(2, 10 * hour - 60_000));
    expect((await cache.get()).accessToken).toBe('token-9');
    expect(given).toEqual(['token-2']);
  });

  it("the store's entry when this process has none (a cold start on stored tokens)", async () => {
    const { cache, given } = renewing(undefined, entry(2, 10 * hour - 30_000));
    expect((await cache.get()).accessToken).toBe('token-9');
    expect(given).toEqual(['token-2']);
  });
});
