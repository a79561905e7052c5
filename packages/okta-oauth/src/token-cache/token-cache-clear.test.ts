/**
 * `clear()` (sign-out) leaves the cache holding no token: neither its entry nor the one last
 * refused, also when a refusal is under way as it runs or comes after it (a request sent before
 * sign-out and answered 401 after, which `createTokenCredential` drops). Read from the module's
 * own state (`heldBy`), never through timing or a garbage collection. A refused token the cache
 * still holds as its entry, or one its store kept (a failed delete), stays refused.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure, until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { gate } from '../user/test-helpers/late-storage.js';
import { TokenCache } from './token-cache.js';
import { heldBy } from './held-tokens.js';
import type { TokenStore, TokenStoreEntry } from './token-store.js';

const hour = 3_600_000;
const entry = (accessToken: string): TokenStoreEntry => ({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + hour, lifetimeMs: hour });

/**
 * A cache on a map-backed store whose reads the test may hold (`hold`), counting token requests
 * and listing what was written; `obtaining(n)` holds (or fails) the n-th token request.
 */
function cacheOn(options: { failDelete?: boolean; failReads?: () => boolean; obtaining?: (n: number) => Promise<void> } = {}) {
  const written: string[] = [];
  const entries = new Map<string, TokenStoreEntry>();
  let gate: Promise<void> | undefined;
  let obtained = 0;
  let deletes = 0;
  const store: TokenStore = {
    get: async (key) => {
      await gate;
      if (options.failReads?.() === true) throw new Error('store down');
      return entries.get(key);
    },
    set: (key, value) => {
      written.push(value.accessToken);
      entries.set(key, value);
      return Promise.resolve();
    },
    delete: (key) => {
      deletes++;
      if (options.failDelete === true) return Promise.reject(new Error('store down'));
      entries.delete(key);
      return Promise.resolve();
    },
  };
  const obtain = async () => {
    const n = ++obtained;
    const name = `token-${String(n)}`;
    await options.obtaining?.(n);
    return entry(name);
  };
  const cache = new TokenCache({ store, key: 'k', storeTimeoutMs: 60_000, obtain });
  return {
    cache,
    entries,
    written,
    obtained: () => obtained,
    deletes: () => deletes,
    hold: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

const nothing = { local: undefined, refused: undefined };

describe('TokenCache.clear()', () => {
  it('drops its entry and the token last refused', async () => {
    const { cache } = cacheOn();
    expect((await cache.get()).accessToken).toBe('token-1');
    await cache.drop('token-1');
    expect(heldBy(cache)).toEqual({ local: expect.objectContaining({ accessToken: 'token-1' }), refused: 'token-1' });
    cache.clear();
    expect(heldBy(cache)).toEqual(nothing);
  });

  it('keeps nothing of a refusal under way as it runs', async () => {
    const { cache, hold } = cacheOn();
    await cache.get();
    const open = hold();
    const dropping = cache.drop('token-1');
    cache.clear();
    open();
    await dropping;
    expect(heldBy(cache)).toEqual(nothing);
  });

  it('keeps nothing of a refusal that comes after it (a request sent before sign-out, answered 401 after), and still removes that token from the store', async () => {
    const { cache, entries } = cacheOn();
    await cache.get();
    cache.clear();
    await cache.drop('token-1');
    expect(heldBy(cache)).toEqual(nothing);
    expect(entries.size).toBe(0);
  });

  it("keeps nothing of an earlier session's token refused after the cache got a new entry", async () => {
    const { cache, entries } = cacheOn();
    await cache.get();
    cache.clear();
    entries.clear();
    expect((await cache.get()).accessToken).toBe('token-2');
    await cache.drop('token-1');
    expect(heldBy(cache)).toEqual({ local: expect.objectContaining({ accessToken: 'token-2' }), refused: undefined });
    expect((await cache.get()).accessToken).toBe('token-2');
  });

  it('a refused token the cache or its store still holds stays refused: never handed out again', async () => {
    // Held as the entry: the next get obtains a new token.
    const { cache } = cacheOn();
    await cache.get();
    await cache.drop('token-1');
    expect(heldBy(cache).refused).toBe('token-1');
    expect((await cache.get()).accessToken).toBe('token-2');
    // Kept by a store whose delete failed, after a clear(): a read of the store never serves it.
    const failing = cacheOn({ failDelete: true });
    await failing.cache.get();
    failing.cache.clear();
    await failing.cache.drop('token-1');
    expect(heldBy(failing.cache)).toEqual({ local: undefined, refused: 'token-1' });
    expect(failing.entries.get('k')?.accessToken).toBe('token-1');
    expect((await failing.cache.get()).accessToken).toBe('token-2');
    // Kept by a store that could not be read: it may still hold it.
    let down = false;
    const unread = cacheOn({ failReads: () => down });
    await unread.cache.get();
    unread.cache.clear();
    down = true;
    await unread.cache.drop('token-1');
    expect(heldBy(unread.cache)).toEqual({ local: undefined, refused: 'token-1' });
    down = false;
    expect((await unread.cache.get()).accessToken).toBe('token-2');
  });
});

describe('a flight under way at clear()', () => {
  it('is not joined by a get() after it, keeps nothing, writes nothing to the store, and its waiting callers never get its token', async () => {
    const release = gate();
    const { cache, entries, written, obtained } = cacheOn({ obtaining: () => release.opened });
    const waiting = cache.get();
    // Its token request has started (the store was read, nothing there).
    await until(() => obtained() === 1, 'the first token request');
    cache.clear();
    const after = cache.get();
    release.open();
    // Both ask again after clear(): a token of their own, never the cleared flight's token-1.
    expect((await after).accessToken).toBe('token-2');
    expect((await waiting).accessToken).toBe('token-2');
    expect(obtained()).toBe(2);
    expect(written).toEqual(['token-2']);
    expect([...entries.values()].map((stored) => stored.accessToken)).toEqual(['token-2']);
  });

  it('ending, leaves the flight a later call started in place: the next caller joins that one', async () => {
    const [first, second] = [gate(), gate()];
    const down = () => Promise.reject(new Error('Okta is down'));
    const { cache, obtained } = cacheOn({ obtaining: (n) => (n === 1 ? first.opened.then(down) : n === 2 ? second.opened : Promise.resolve()) });
    const waiting = cache.get();
    await until(() => obtained() === 1, 'the first token request');
    cache.clear();
    const after = cache.get();
    await until(() => obtained() === 2, "the later call's own token request");
    first.open();
    // Its callers have its outcome once it has left the single flight.
    await expect(waiting).rejects.toThrow('Okta is down');
    const joining = cache.get();
    second.open();
    expect((await joining).accessToken).toBe('token-2');
    expect((await after).accessToken).toBe('token-2');
    expect(obtained()).toBe(2);
  });
});

describe('a drop() its caller aborts mid-way', () => {
  it('stops that caller at once; the refusal goes on: the store no longer holds the token, and a newer entry is used', async () => {
    const { cache, entries, hold, deletes } = cacheOn();
    await cache.get();
    const open = hold();
    const controller = new AbortController();
    const dropping = cache.drop('token-1', controller.signal);
    controller.abort();
    expect((await failure(dropping, isOktaAuthError)).code).toBe('ABORTED');
    open();
    await until(() => deletes() === 1, "the refused token's delete");
    expect(entries.has('k')).toBe(false);
    expect((await cache.get()).accessToken).toBe('token-2');
    expect(heldBy(cache)).toEqual({ local: expect.objectContaining({ accessToken: 'token-2' }), refused: 'token-1' });
  });
});
