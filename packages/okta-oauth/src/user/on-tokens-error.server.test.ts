/**
 * `onTokens`'s contract through the core's drivers: "if it throws, the request that caused the
 * refresh fails with that error". A user credential whose access token expired refreshes on the
 * next request (real HTTP, the emulator); the throwing `onTokens` must reach the caller as the
 * very error it threw, through createOktaFetch, createOktaKy and oktaKyHooks alike, never as a
 * network failure. The new tokens are kept, so the next request succeeds.
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { createOktaKy, oktaKyHooks } from '@org/okta-auth-core/ky';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import ky from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import { createSignInClient } from './sign-in-client.js';

const redirectUri = 'http://127.0.0.1:5173/callback';
const login = 'onto@example.com';
const password = 'Correct-Horse-9';

let org: OktaEmulator | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

class TokenVaultError extends Error {}

const drivers: Record<string, (credential: OktaCredential) => (path: string) => Promise<unknown>> = {
  createOktaFetch: (credential) => {
    const okta = createOktaFetch({ credential });
    return async (path) => (await okta(path)).json();
  },
  createOktaKy: (credential) => {
    const api = createOktaKy({ credential });
    return (path) => api.get(path.slice(1)).json();
  },
  oktaKyHooks: (credential) => {
    const api = ky.create({ baseUrl: `${credential.origin}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential }) });
    return (path) => api.get(path.slice(1)).json();
  },
};

describe.each(Object.keys(drivers))('a throwing onTokens through %s', (name) => {
  it('fails the request that refreshed with that very error; the next request uses the new tokens', async () => {
    org = await startEmulator();
    const user = org.createUser({ login, password, admin: true, firstName: 'On', lastName: 'Tokens' });
    const clock = { now: Date.now() };
    const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const client = createSignInClient({
      orgUrl: org.url,
      allowInsecureLoopback: true,
      clientId: app.clientId,
      redirectUri,
      scopes: ['openid', 'offline_access', 'okta.users.read'],
      now: () => clock.now,
    });
    const { url, transaction } = await client.startSignIn();
    const { tokens } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    const thrown = new TokenVaultError('the session store is down');
    let calls = 0;
    const credential = client.credential(tokens, {
      onTokens: () => {
        calls++;
        throw thrown;
      },
    });
    clock.now += 3600_000;
    org.setClockOffset(3600);
    const get = drivers[name]!(credential);
    const path = `/api/v1/users/${user.id}`;
    const got: unknown = await get(path).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(got).toBe(thrown);
    expect(calls).toBe(1);
    expect(await get(path)).toMatchObject({ id: user.id });
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});

describe('a forced refresh awaited inside onTokens (the README says so)', () => {
  it('waits for its own renewal: it and the request that renewed end TIMEOUT at timeoutMs; the new tokens are kept', async () => {
    org = await startEmulator();
    org.createUser({ login, password, admin: true });
    const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const client = createSignInClient({ orgUrl: org.url, allowInsecureLoopback: true, clientId: app.clientId, redirectUri, scopes: ['openid', 'offline_access', 'okta.users.read'], timeoutMs: 500 });
    const { url, transaction } = await client.startSignIn();
    const { tokens } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    let inner: Promise<unknown> | undefined;
    let calls = 0;
    const credential = client.credential(tokens, {
      onTokens: async (renewed) => {
        calls += 1;
        if (renewed === null || calls > 1) return;
        inner = credential.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
        await inner;
      },
    });
    const outer = await credential.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
    const timedOut = { code: 'TIMEOUT', message: 'onTokens did not settle within 500 ms (timeoutMs): it was abandoned.' };
    expect(outer).toMatchObject(timedOut);
    expect(await inner).toMatchObject(timedOut);
    expect(calls).toBe(1);
    expect((await credential.getAccessToken()).reveal()).not.toBe('');
  });
});
