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
});
