/**
 * Issue 12 item 8 (the user credential's part): an `onTokens` callback or a token storage that
 * never settles is bounded by the caller's signal and `timeoutMs` (a typed TIMEOUT), never
 * wedges the credential's single refresh: later calls use the new tokens. Twelfth session: nor does
 * an `idTokenVerifier` (user code too, and no caller's signal reaches it inside a refresh): one
 * that never settled once left the refresh flight pending for ever, and every later call waited
 * on it until its own signal.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createServiceAppCredential, createSignInClient, privateKeyJwt, UserTokens, type OktaStorage, type UserCredentialOptions } from '@org/okta-oauth';
import { describe, it, type TestContext } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';
import { signJwt } from './test-helpers/scripted.js';

/** The calls that must succeed race this timeout with real HTTP: room for a busy 2-core machine (the never-settling ones wait it out). */
const TIMEOUT_MS = 2000;

/** The test's own org, closed when the test ends: the tests run at once (each its own org and client), as most of each is a wait for timeoutMs. */
async function own(org: Promise<HostileOrg>, { onTestFinished }: TestContext): Promise<HostileOrg> {
  const started = await org;
  onTestFinished(() => started.close());
  return started;
}

const never = () => new Promise<never>(() => undefined);

/** An org that refreshes tokens and serves /api/v1/users to the newest access token. */
async function refreshingOrg(): Promise<HostileOrg> {
  let n = 0;
  let current = '';
  return startHostileOrg({
    '/oauth2/v1/token': () => {
      current = `renewed-access-token-${++n}-0123456789`;
      return { body: { access_token: current, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-token-${n}-0123456789`, scope: 'okta.users.read' } };
    },
    '/api/v1/users': ({ headers }) => (headers.authorization === `Bearer ${current}` ? { body: [] } : { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, body: {} }),
    '/oauth2/v1/revoke': () => ({ status: 200 }),
  });
}

function expiredCredential(url: string, options: UserCredentialOptions) {
  const client = createSignInClient({ orgUrl: url, clientId: '0oaWeb', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, timeoutMs: TIMEOUT_MS });
  const tokens = new UserTokens({ accessToken: 'expired-access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0-0123456789' });
  const credential = client.credential(tokens, options);
  return { credential, okta: createOktaFetch({ credential, retry: false, timeoutMs: TIMEOUT_MS }) };
}

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isOktaAuthError(error) ? error.code : `untyped ${String(error)}`),
  );

describe.concurrent('hostile oauth: user code that never settles', () => {
  it('an onTokens that never settles fails only the refreshing request (TIMEOUT) and later calls use the new tokens', { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const org = await own(refreshingOrg(), context);
    const { credential, okta } = expiredCredential(org.url, { onTokens: never });
    expect(await outcome(okta('/api/v1/users'))).toBe('TIMEOUT');
    expect(await outcome(okta('/api/v1/users'))).toBe('ok');
    expect(credential.tokens?.accessToken.reveal()).toBe('renewed-access-token-1-0123456789');
  });

  it('getAccessToken without a signal is bounded by timeoutMs when onTokens never settles', { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const org = await own(refreshingOrg(), context);
    const { credential } = expiredCredential(org.url, { onTokens: never });
    expect(await outcome(credential.getAccessToken())).toBe('TIMEOUT');
    expect(await outcome(credential.getAccessToken())).toBe('ok');
  });

  it('a token storage whose get and set never settle does not wedge the refresh', { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const org = await own(refreshingOrg(), context);
    const storage: OktaStorage = { get: never, set: never, remove: () => undefined };
    const { credential, okta } = expiredCredential(org.url, { storage });
    // The first write of the tokens never lands: the first request says so, in time.
    expect(await outcome(okta('/api/v1/users'))).toBe('TIMEOUT');
    // The refresh reads the storage (abandoned after timeoutMs: a miss), renews, and cannot write the new tokens.
    expect(await outcome(credential.getAccessToken())).toBe('TIMEOUT');
    // The single refresh has settled; the new tokens are in memory.
    expect(await outcome(okta('/api/v1/users'))).toBe('ok');
    expect(await outcome(okta('/api/v1/users'))).toBe('ok');
  });

  it('signOut with an onTokens that never settles ends the session, revokes, and fails with TIMEOUT', { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const org = await own(refreshingOrg(), context);
    const { credential } = expiredCredential(org.url, { onTokens: never });
    expect(await outcome(credential.signOut())).toBe('TIMEOUT');
    expect(credential.tokens).toBeUndefined();
    expect(org.to('/oauth2/v1/revoke')).toHaveLength(2);
  });

  it('an idTokenVerifier that never settles once fails that refresh (TIMEOUT), and the next call renews', { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const now = Math.floor(Date.now() / 1000);
    let n = 0;
    const org = await own(startHostileOrg({
      '/oauth2/v1/token': (_request, o) => {
        n++;
        const idToken = signJwt({ alg: 'RS256', kid: 'k1' }, { iss: o.url, aud: '0oaWeb', sub: '00uAda', iat: now, exp: now + 3600 });
        return { body: { access_token: `renewed-access-token-${n}-0123456789`, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-token-${n}-0123456789`, id_token: idToken, scope: 'openid' } };
      },
    }), context);
    let checks = 0;
    const idTokenVerifier = () => (++checks === 1 ? never() : Promise.resolve());
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaWeb', scopes: ['openid'], allowInsecureLoopback: true, retry: false, timeoutMs: TIMEOUT_MS, idTokenVerifier });
    const tokens = new UserTokens({ accessToken: 'expired-access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0-0123456789' });
    const credential = client.credential(tokens);
    // Each call bounded by its own signal, so the wedged flight fails the test rather than hangs it.
    const call = () => outcome(credential.getAccessToken({ signal: AbortSignal.timeout(3 * TIMEOUT_MS) }));
    expect(await call()).toBe('TIMEOUT');
    expect(await call()).toBe('ok');
    expect(credential.tokens?.accessToken.reveal()).toBe('renewed-access-token-2-0123456789');
  });

  it("a client assertion signer (a KMS call) that never settles once fails that call (TIMEOUT), and the next call gets a token", { timeout: 15_000 }, async (context) => {
    const { expect } = context;
    const org = await own(startHostileOrg({
      '/oauth2/v1/token': () => ({ body: { access_token: 'service-access-token-0123456789', token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' } }),
      '/api/v1/users': () => ({ body: [] }),
    }), context);
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    let signatures = 0;
    const sign = async (data: Uint8Array<ArrayBuffer>) => (++signatures === 1 ? never() : new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data)));
    // The token request's timeoutMs below the call's: the token flight ends first, so the next call starts its own.
    const options = { orgUrl: org.url, clientId: '0oaService', scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, retry: false, timeoutMs: TIMEOUT_MS / 2 } as const;
    const credential = createServiceAppCredential({ ...options, clientAuth: privateKeyJwt({ alg: 'ES256', kid: 'kms-key-1', sign }) });
    const okta = createOktaFetch({ credential, retry: false, timeoutMs: TIMEOUT_MS });
    expect(await outcome(okta('/api/v1/users'))).toBe('TIMEOUT');
    expect(await outcome(okta('/api/v1/users'))).toBe('ok');
    expect(org.to('/oauth2/v1/token')).toHaveLength(1);
  });
});
