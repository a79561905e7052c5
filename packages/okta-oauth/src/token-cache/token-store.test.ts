import { inspect } from 'node:util';
import { devtoolsView } from '@org/okta-test-utils/devtools-view';
import { describe, expect, it } from 'vitest';
import { createMemoryTokenStore } from './token-store.js';

const accessToken = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.storeAccessTokenSentinel.sig';
const refreshToken = 'storeRefreshTokenSentinel-0123456789';

describe('createMemoryTokenStore', () => {
  it('shows no token to util.inspect, JSON or a V8 inspector clicked through (DevTools, workerd\'s)', async () => {
    const store = createMemoryTokenStore();
    await store.set('app', { accessToken, refreshToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 });
    expect((await store.get('app'))?.accessToken).toBe(accessToken);
    const shown = [inspect(store, { showHidden: true, depth: 8 }), JSON.stringify(store), await devtoolsView(store)];
    expect(shown[1]).toBe('{"entries":1}');
    for (const text of shown) {
      expect(text).not.toContain('storeAccessTokenSentinel');
      expect(text).not.toContain(refreshToken);
    }
  });

  it('holds 1,000 entries by default (docs/SECURITY.md, Bounds): the 1,001st write drops the oldest, and only it', async () => {
    const store = createMemoryTokenStore();
    const entry = { accessToken, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000 } as const;
    for (let n = 1; n <= 1000; n++) await store.set(`k${n}`, entry);
    expect(await store.get('k1')).toEqual(entry);
    // Read again, k1 is still the oldest write: the bound drops by age of write, as its TSDoc says.
    await store.set('k1001', entry);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k2')).toEqual(entry);
    expect(await store.get('k1001')).toEqual(entry);
  });
});
