import { devtoolsView } from '@org/okta-test-utils/devtools-view';
import { describe, expect, it } from 'vitest';
import { TokenCache } from './token-cache.js';
import { createMemoryTokenStore, type TokenStoreEntry } from './token-store.js';

const entry = (accessToken: string): TokenStoreEntry => ({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 });

describe('TokenCache', () => {
  it("shows no token to a V8 inspector (DevTools, workerd's): neither its entry, the one it started with, nor the one refused", async () => {
    const [initial, next] = ['cacheInitialSentinel.0123456789', 'cacheNextSentinel.0123456789'];
    const previous: (string | undefined)[] = [];
    const cache = new TokenCache({
      store: createMemoryTokenStore(),
      key: 'k',
      initial: entry(initial),
      obtain: (given) => {
        previous.push(given?.accessToken);
        return Promise.resolve(entry(next));
      },
    });
    const shown = async () => {
      const text = await devtoolsView(cache);
      expect(text).toContain('TokenCache');
      for (const token of ['cacheInitialSentinel', 'cacheNextSentinel']) expect(text).not.toContain(token);
    };
    expect((await cache.get()).accessToken).toBe(initial);
    await shown();
    // Refused: never handed out again; the next get obtains a new token, given the refused entry.
    await cache.drop(initial);
    await shown();
    expect((await cache.get()).accessToken).toBe(next);
    expect(previous).toEqual([initial]);
    expect(cache.peek()?.accessToken).toBe(next);
    await shown();
    cache.clear();
    expect(cache.peek()).toBeUndefined();
  });
});
