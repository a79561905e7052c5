import { describe, expect, it } from 'vitest';
import { OktaOAuthError } from '../errors.js';
import { tokenCacheBinding, tokenCacheKey } from './cache-key.js';
import { fleetObtain } from './fleet.js';
import { isFresh, renewalMarginMs } from './renewal.js';
import { TokenCache } from './token-cache.js';
import { createMemoryTokenStore, type TokenStore, type TokenStoreEntry } from './token-store.js';

function entry(now: number, lifetimeSeconds: number, n = 1): TokenStoreEntry {
  return { accessToken: `token-${n}`, tokenType: 'Bearer', expiresAt: now + lifetimeSeconds * 1000, lifetimeMs: lifetimeSeconds * 1000 };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('renewal margin', () => {
  it.each([
    [3600, 360],
    [300, 60],
    [600, 60],
    [60, 30],
    [10, 5],
  ])('a %i s token is renewed %i s before expiry', (lifetime, margin) => {
    expect(renewalMarginMs(lifetime * 1000)).toBe(margin * 1000);
  });

  it('a token is fresh until the margin starts', () => {
    const e = entry(0, 3600);
    expect(isFresh(e, 3_239_999)).toBe(true);
    expect(isFresh(e, 3_240_000)).toBe(false);
  });
});

describe('tokenCacheKey', () => {
  const clientBinding = 'client_secret_basic:hmac:abc';
  it('sorts and de-duplicates scopes and separates every part', () => {
    const a = tokenCacheKey({ tokenEndpoint: 'https://a.okta.com/oauth2/v1/token', clientId: 'c', clientBinding, scopes: ['b', 'a', 'b'] });
    const b = tokenCacheKey({ tokenEndpoint: 'https://a.okta.com/oauth2/v1/token', clientId: 'c', clientBinding, scopes: ['a', 'b'] });
    expect(a).toBe(b);
    expect(a).toContain('bearer');
    expect(tokenCacheKey({ tokenEndpoint: 'https://a.okta.com/oauth2/v1/token', clientId: 'c', clientBinding, scopes: ['a', 'b'], dpopJkt: 'jkt' })).not.toBe(a);
    expect(tokenCacheKey({ tokenEndpoint: 'https://b.okta.com/oauth2/v1/token', clientId: 'c', clientBinding, scopes: ['a', 'b'] })).not.toBe(a);
    expect(tokenCacheKey({ tokenEndpoint: 'https://a.okta.com/oauth2/v1/token', clientId: 'c', clientBinding: 'x', scopes: ['a', 'b'] })).not.toBe(a);
    expect(tokenCacheKey({ tokenEndpoint: 'x', clientId: 'c|d', clientBinding, scopes: [] })).not.toBe(tokenCacheKey({ tokenEndpoint: 'x|c', clientId: 'd', clientBinding, scopes: [] }));
  });

  it('binds the client authentication without containing the secret', async () => {
    const { clientSecretBasic } = await import('../client-auth/client-secret.js');
    const { bindClientAuth, oinAppAuth } = await import('../client-auth/client-auth.js');
    const bound = (secret: string) => bindClientAuth('c', clientSecretBasic(secret), oinAppAuth);
    const right = await tokenCacheBinding(bound('right-secret-value'));
    const again = await tokenCacheBinding(bound('right-secret-value'));
    const wrong = await tokenCacheBinding(bound('wrong-secret-value'));
    expect(right).toBe(again);
    expect(wrong).not.toBe(right);
    expect(right).not.toContain('right-secret-value');
    const local = await tokenCacheBinding({ method: 'private_key_jwt', binding: () => Promise.resolve(undefined) });
    expect(local).not.toBe(await tokenCacheBinding({ method: 'private_key_jwt', binding: () => Promise.resolve(undefined) }));
  });
});

describe('TokenCache', () => {
  it('makes one token request for 200 concurrent callers on a cold cache', async () => {
    let now = Date.now();
    let calls = 0;
    const gate = deferred<undefined>();
    const cache = new TokenCache({
      store: createMemoryTokenStore(),
      key: 'k',
      now: () => now,
      obtain: async () => {
        calls++;
        await gate.promise;
        return entry(now, 3600, calls);
      },
    });
    const waiting = Array.from({ length: 200 }, () => cache.get());
    gate.resolve(undefined);
    const results = await Promise.all(waiting);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.accessToken))).toEqual(new Set(['token-1']));
    now += 3000 * 1000;
    expect((await cache.get()).accessToken).toBe('token-1');
    now += 300 * 1000; // inside the 360 s margin
    expect((await cache.get()).accessToken).toBe('token-2');
    expect(calls).toBe(2);
  });

  it('gives every waiter the same error, caches nothing and tries again next time', async () => {
    let calls = 0;
    const gate = deferred<undefined>();
    const failure = new OktaOAuthError('TOKEN_REQUEST_FAILED', 'refused', { error: 'invalid_client', status: 401 });
    const cache = new TokenCache({
      store: createMemoryTokenStore(),
      key: 'k',
      obtain: async () => {
        calls++;
        await gate.promise;
        if (calls === 1) throw failure;
        return entry(Date.now(), 3600, calls);
      },
    });
    const waiting = Array.from({ length: 20 }, () => cache.get().catch((e: unknown) => e));
    gate.resolve(undefined);
    const errors = await Promise.all(waiting);
    expect(errors.every((e) => e === failure)).toBe(true);
    expect(calls).toBe(1);
    expect((await cache.get()).accessToken).toBe('token-2');
  });

  it('shares one request between caches on the same store and key', async () => {
    const store = createMemoryTokenStore();
    let calls = 0;
    const obtain = async () => {
      calls++;
      await Promise.resolve();
      return entry(Date.now(), 3600, calls);
    };
    const a = new TokenCache({ store, key: 'k', obtain });
    const b = new TokenCache({ store, key: 'k', obtain });
    await Promise.all([a.get(), b.get(), a.get()]);
    expect(calls).toBe(1);
  });

  it('drops only the token that failed, and gives the refused entry to obtain (where a user entry keeps its refresh token)', async () => {
    const seen: (string | undefined)[] = [];
    let calls = 0;
    const cache = new TokenCache({
      store: createMemoryTokenStore(),
      key: 'k',
      obtain: (previous) => {
        seen.push(previous?.accessToken);
        calls++;
        return Promise.resolve(entry(Date.now(), 3600, calls));
      },
    });
    await cache.get();
    await cache.drop('token-0');
    expect((await cache.get()).accessToken).toBe('token-1');
    await cache.drop('token-1');
    expect((await cache.get()).accessToken).toBe('token-2');
    expect(seen).toEqual([undefined, 'token-1']);
  });

  it('lets a caller stop waiting without cancelling the shared request', async () => {
    const gate = deferred<undefined>();
    const cache = new TokenCache({
      store: createMemoryTokenStore(),
      key: 'k',
      obtain: async () => {
        await gate.promise;
        return entry(Date.now(), 3600);
      },
    });
    const controller = new AbortController();
    const impatient = cache.get(controller.signal);
    const patient = cache.get();
    controller.abort();
    await expect(impatient).rejects.toMatchObject({ code: 'ABORTED' });
    gate.resolve(undefined);
    expect((await patient).accessToken).toBe('token-1');
  });

  it('keeps working when the store fails', async () => {
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
      delete: () => Promise.reject(new Error('redis down')),
    };
    let calls = 0;
    const cache = new TokenCache({ store: broken, key: 'k', obtain: () => Promise.resolve(entry(Date.now(), 3600, ++calls)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    await cache.drop('token-1');
  });
});

describe('TokenCache with a misbehaving store', () => {
  const hung = (): Promise<never> => new Promise(() => undefined);

  it('bounds a store that never settles, logs it, and keeps the token in memory', async () => {
    const events: unknown[] = [];
    const store: TokenStore = { get: hung, set: hung, delete: hung };
    let calls = 0;
    const cache = new TokenCache({ store, key: 'k', storeTimeoutMs: 20, logger: (e) => events.push(e), obtain: () => Promise.resolve(entry(Date.now(), 3600, ++calls)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(calls).toBe(1);
    expect(events).toEqual([
      { type: 'token-store', operation: 'get', outcome: 'timeout' },
      { type: 'token-store', operation: 'set', outcome: 'timeout' },
    ]);
  });

  it("stops a caller's wait on a hung store read when its signal fires", async () => {
    const store: TokenStore = { get: hung, set: hung, delete: hung };
    const cache = new TokenCache({ store, key: 'k', storeTimeoutMs: 60_000, obtain: () => Promise.resolve(entry(Date.now(), 3600)) });
    // The attempt's own timer (its reason core's `timeoutMs` TimeoutError) is TIMEOUT; the caller's deadline ABORTED (page152).
    await expect(cache.get(AbortSignal.abort(new DOMException('timeoutMs', 'TimeoutError')))).rejects.toMatchObject({ code: 'TIMEOUT' });
    await expect(cache.get(AbortSignal.timeout(20))).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('treats a corrupted entry as a miss', async () => {
    const events: unknown[] = [];
    const store: TokenStore = { get: () => Promise.resolve({ accessToken: 42 } as unknown as TokenStoreEntry), set: () => Promise.resolve(), delete: () => Promise.resolve() };
    const cache = new TokenCache({ store, key: 'k', logger: (e) => events.push(e), obtain: () => Promise.resolve(entry(Date.now(), 3600)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(events).toContainEqual({ type: 'token-store', operation: 'get', outcome: 'corrupt' });
  });

  it('asks Okta itself when the fleet single flight hangs, and passes Okta errors through it', async () => {
    let calls = 0;
    const store: TokenStore = { get: () => Promise.resolve(undefined), set: () => Promise.resolve(), delete: () => Promise.resolve(), singleFlight: hung };
    const cache = new TokenCache({ store, key: 'k', fleet: fleetObtain, fleetWaitMs: 20, obtain: () => Promise.resolve(entry(Date.now(), 3600, ++calls)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    const failure = new OktaOAuthError('TOKEN_REQUEST_FAILED', 'refused', { error: 'invalid_client', status: 401 });
    const relay: TokenStore = { get: () => Promise.resolve(undefined), set: () => Promise.resolve(), delete: () => Promise.resolve(), singleFlight: (_key, obtain) => obtain() };
    const failing = new TokenCache({ store: relay, key: 'k', fleet: fleetObtain, obtain: () => Promise.reject(failure) });
    await expect(failing.get()).rejects.toBe(failure);
  });

  it("ends the store's fleet wait (its signal) once the credential stops waiting for it", async () => {
    let signal: AbortSignal | undefined;
    const store: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      singleFlight: (_key, _obtain, options) => ((signal = options.signal), hung()),
    };
    const cache = new TokenCache({ store, key: 'k', fleet: fleetObtain, fleetWaitMs: 20, obtain: () => Promise.resolve(entry(Date.now(), 3600)) });
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(signal?.aborted).toBe(true);
  });

  it("uses the store's singleFlight only when given the fleet part (a user credential's cache is not)", async () => {
    let flights = 0;
    const store: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      singleFlight: (_key, obtain) => (flights++, obtain()),
    };
    await new TokenCache({ store, key: 'a', obtain: () => Promise.resolve(entry(Date.now(), 3600)) }).get();
    expect(flights).toBe(0);
    await new TokenCache({ store, key: 'b', fleet: fleetObtain, obtain: () => Promise.resolve(entry(Date.now(), 3600)) }).get();
    expect(flights).toBe(1);
  });
});

describe('createMemoryTokenStore', () => {
  it('forgets expired entries, bounds its size and prints no token', async () => {
    const store = createMemoryTokenStore({ maxEntries: 2 });
    await store.set('a', entry(Date.now(), -1));
    expect(await store.get('a')).toBeUndefined();
    await store.set('a', entry(Date.now(), 60, 1));
    await store.set('b', entry(Date.now(), 60, 2));
    await store.set('c', entry(Date.now(), 60, 3));
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('c'))?.accessToken).toBe('token-3');
    expect(JSON.stringify(store)).toBe('{"entries":2}');
    await store.delete('c');
    expect(await store.get('c')).toBeUndefined();
  });
});

describe('createMemoryTokenStore options', () => {
  it('refuses a maxEntries that is no bound (NaN, a string, zero, a fraction, past a million) with INVALID_CONFIG', () => {
    for (const maxEntries of [Number.NaN, '10' as unknown as number, 0, -1, 2.5, Number.POSITIVE_INFINITY, 1_000_001, 1e12]) {
      expect(() => createMemoryTokenStore({ maxEntries })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    }
    expect(() => createMemoryTokenStore({ maxEntries: 1 })).not.toThrow();
    expect(() => createMemoryTokenStore({ maxEntries: 1_000_000 })).not.toThrow();
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const store = createMemoryTokenStore({ maxEntries: 2 });
    const now = Date.now();
    for (const key of ['a', 'b', 'c']) await store.set(key, entry(now, 3600));
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });
});
