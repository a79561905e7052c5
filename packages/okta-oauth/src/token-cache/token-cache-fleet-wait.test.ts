/**
 * The token cache's wait for another process's token request (a store's `singleFlight`): 5 s by
 * default, then this process asks Okta itself (docs/SECURITY.md, Bounds). On a moved clock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fleetObtain } from './fleet.js';
import { TokenCache } from './token-cache.js';
import type { TokenStore, TokenStoreEntry } from './token-store.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('the fleet wait of a token cache', () => {
  it('asks Okta itself exactly 5 s after a singleFlight that never answers, by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let flights = 0;
    let fleetSignal: AbortSignal | undefined;
    const store: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      singleFlight: (_key, _obtain, options) => ((flights++, (fleetSignal = options.signal)), new Promise<never>(() => undefined)),
    };
    let asked = 0;
    const entry: TokenStoreEntry = { accessToken: 'token-1', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 };
    const cache = new TokenCache({ store, key: 'k', fleet: fleetObtain, obtain: () => (asked++, Promise.resolve(entry)) });
    let token: string | undefined;
    void cache.get().then((got) => (token = got.accessToken));
    await vi.advanceTimersByTimeAsync(4999);
    expect({ flights, asked, aborted: fleetSignal?.aborted }).toEqual({ flights: 1, asked: 0, aborted: false });
    await vi.advanceTimersByTimeAsync(1);
    expect({ asked, aborted: fleetSignal?.aborted, token }).toEqual({ asked: 1, aborted: true, token: 'token-1' });
  });
});
