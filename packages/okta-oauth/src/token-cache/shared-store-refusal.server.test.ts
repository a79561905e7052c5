/**
 * Two credentials of one service app on one `tokenStore` (one created per handler, or one a
 * multi-org tenant change replaced while a job still holds it) share their token requests: a
 * cache joins the flight under way for its key. Okta refuses the token (401 `invalid_token`):
 * the credential that got the 401 drops it and retries once "with a new token". When the other
 * credential's flight had read that very token from the store before the drop deleted it, the
 * retry joined that flight and was handed the refused token again: sent again, refused again,
 * and the call failed. Over real HTTP against @org/okta-emulator; the store's read is held by
 * the test (not timed) until the retry has joined.
 */
import type { RequestAttempt } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { createMemoryTokenStore, type TokenStore } from './token-store.js';

useEmulators();

/** A memory store whose next `get`, once armed, reads the entry and holds it until released. */
function holdingStore() {
  const inner = createMemoryTokenStore();
  let held: { readonly reached: () => void; readonly released: Promise<void> } | undefined;
  const store: TokenStore = {
    async get(key) {
      const entry = await inner.get(key);
      const hold = held;
      held = undefined;
      if (hold !== undefined) {
        hold.reached();
        await hold.released;
      }
      return entry;
    },
    set: (key, entry) => inner.set(key, entry),
    delete: (key) => inner.delete(key),
  };
  /** Holds the next read; resolves `reached` when it has read, and lets it answer on `release()`. */
  const holdNextRead = () => {
    let reached = (): void => undefined;
    let release = (): void => undefined;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    held = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
    return { reached: reachedPromise, release };
  };
  return { store, holdNextRead };
}

describe('a token Okta refused, on a store two credentials share', () => {
  it('the retry gets a new token, not the refused one another credential read from the store before it was dropped', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const { store, holdNextRead } = holdingStore();
    const options = { orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], dpop: 'off', tokenStore: store, allowInsecureLoopback: true, fetch: wire.fetch } as const;
    const one = createServiceAppCredential(options);
    const other = createServiceAppCredential(options);
    const attempt = (): RequestAttempt => ({ method: 'GET', url: new URL('/api/v1/users', org.url) });

    const first = await one.authorize(attempt());
    expect(wire.tokenRequests()).toHaveLength(1);
    // The other credential's first call reads the store (the token, still there) and is held there.
    const hold = holdNextRead();
    const others = other.authorize(attempt());
    await hold.reached;
    // Okta refuses the token: dropped (deleted from the store), and the request retried.
    const refused = new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    expect(await one.challenge?.({ attempt: attempt(), request: new Request(attempt().url, { headers: first }), response: refused, errorCode: undefined })).toBe(true);
    const retry = one.authorize(attempt());
    hold.release();

    const again = await retry;
    expect(again.authorization).toMatch(/^Bearer /);
    expect(again.authorization).not.toBe(first.authorization);
    expect(wire.tokenRequests()).toHaveLength(2);
    // The other credential took what the store held when it read: Okta's 401 tells it in turn.
    expect((await others).authorization).toBe(first.authorization);
  });
});
