import { inspect } from 'node:util';
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { exportJWK, generateKeyPair } from 'jose';
import { failure as expectFailure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import type { OktaSignInError } from './errors.js';
import { createSignInClient, type SignInClientOptions } from './sign-in-client.js';
import { startFakeOrg, type FakeOrg, type FakeOrgOptions } from './test-helpers/fake-org.js';
import { UserTokens } from './tokens.js';

const redirectUri = 'https://app.example.com/callback';
const scopes = ['openid', 'offline_access', 'okta.users.read'];

async function setup(orgOptions: FakeOrgOptions = {}, clientOptions: Partial<SignInClientOptions> = {}) {
  const org = await startFakeOrg(orgOptions);
  const client = createSignInClient({ orgUrl: org.origin, clientId: org.clientId, redirectUri, scopes, fetch: org.fetch, ...clientOptions });
  return { org, client };
}

async function signIn(org: FakeOrg, client: ReturnType<typeof createSignInClient>) {
  const { url, transaction } = await client.startSignIn();
  return client.finishSignIn(org.approve(url), transaction);
}

/** Sign-in errors and the token endpoint's errors share the package's guard. */
const failure = async (promise: Promise<unknown>): Promise<OktaSignInError> => (await expectFailure(promise, isOktaOAuthError)) as unknown as OktaSignInError;

describe('startSignIn', () => {
  it('builds an authorization code + PKCE S256 request and a plain-JSON transaction', async () => {
    const { client } = await setup();
    const { url, transaction } = await client.startSignIn({ loginHint: 'ada@example.com' });
    expect(url.origin + url.pathname).toBe('https://acme.okta.com/oauth2/v1/authorize');
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('0oa-fake-client');
    expect(p.get('redirect_uri')).toBe(redirectUri);
    expect(p.get('scope')).toBe('openid offline_access okta.users.read');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toBe(transaction.state);
    expect(p.get('nonce')).toBe(transaction.nonce);
    expect(p.get('login_hint')).toBe('ada@example.com');
    expect(p.has('code_verifier')).toBe(false);
    expect(JSON.parse(JSON.stringify(transaction))).toEqual(transaction);
    expect(transaction.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it('refuses extra parameters that would override the protocol ones', async () => {
    const { client } = await setup();
    expect((await failure(client.startSignIn({ extraParams: { state: 'x' } }))).code).toBe('INVALID_CONFIG');
  });
});

describe('finishSignIn', () => {
  it('exchanges the code and returns masked tokens and validated claims', async () => {
    const { org, client } = await setup();
    const { tokens, claims } = await signIn(org, client);
    expect(claims?.sub).toBe('00u-ada');
    expect(claims?.email).toBe('ada@example.com');
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.scopes).toEqual(scopes);
    const at = tokens.accessToken.reveal();
    expect(JSON.stringify(tokens)).not.toContain(at);
    expect(inspect(tokens)).not.toContain(at);
    expect(String(tokens.accessToken)).not.toContain(at);
    const exchange = org.requests.find((r) => r.body?.get('grant_type') === 'authorization_code');
    expect(exchange?.body?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange?.body?.get('client_id')).toBe(org.clientId);
  });

  it('finds the transaction in storage by state when none is passed, and only once', async () => {
    const { org, client } = await setup();
    const { url } = await client.startSignIn();
    const callback = org.approve(url);
    const { claims } = await client.finishSignIn(callback);
    expect(claims?.sub).toBe('00u-ada');
    expect((await failure(client.finishSignIn(callback))).code).toBe('STATE_MISMATCH');
  });

  it('shares one code exchange when the same callback is finished twice at once', async () => {
    const { org, client } = await setup();
    const { url } = await client.startSignIn();
    const callback = org.approve(url);
    const cancelled = new AbortController();
    const first = client.finishSignIn(callback, undefined, { signal: cancelled.signal });
    const second = client.finishSignIn(callback);
    cancelled.abort(); // a UI framework's effect cleanup: the other caller still gets the result
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status).toBe('rejected');
    expect(b.status === 'fulfilled' && b.value.claims?.sub).toBe('00u-ada');
    expect(org.requests.filter((r) => r.body?.get('grant_type') === 'authorization_code')).toHaveLength(1);
  });

  it('accepts the path and query a server received', async () => {
    const { org, client } = await setup();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(org.approve(url));
    const { tokens } = await client.finishSignIn(`${callback.pathname}${callback.search}`, transaction);
    expect(tokens.refreshToken?.reveal()).toMatch(/^rt-/);
  });

  it('refuses a wrong state', async () => {
    const { org, client } = await setup();
    const { url, transaction } = await client.startSignIn();
    const error = await failure(client.finishSignIn(org.approve(url, { state: 'forged-state-value-123456' }), transaction));
    expect(error.code).toBe('STATE_MISMATCH');
    expect(org.requests.some((r) => r.path === '/oauth2/v1/token')).toBe(false);
  });

  it('refuses a wrong or missing iss (RFC 9207)', async () => {
    const { org, client } = await setup();
    let { url, transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn(org.approve(url, { iss: 'https://evil.okta.com' }), transaction))).code).toBe('ISSUER_MISMATCH');
    ({ url, transaction } = await client.startSignIn());
    expect((await failure(client.finishSignIn(org.approve(url, { iss: null }), transaction))).code).toBe('ISSUER_MISMATCH');
  });

  it('accepts a missing iss when the org does not advertise it', async () => {
    const { org, client } = await setup();
    org.metadataOverrides.authorization_response_iss_parameter_supported = false;
    const { url, transaction } = await client.startSignIn();
    const { claims } = await client.finishSignIn(org.approve(url, { iss: null }), transaction);
    expect(claims?.sub).toBe('00u-ada');
  });

  it('turns error=access_denied into ACCESS_DENIED and login_required into LOGIN_REQUIRED', async () => {
    const { org, client } = await setup();
    let { url, transaction } = await client.startSignIn();
    const denied = await failure(client.finishSignIn(org.approve(url, { error: 'access_denied' }), transaction));
    expect(denied.code).toBe('ACCESS_DENIED');
    expect(denied.error).toBe('access_denied');
    expect(denied.error_description).toBe('The user denied access.');
    ({ url, transaction } = await client.startSignIn({ prompt: 'none' }));
    expect((await failure(client.finishSignIn(org.approve(url, { error: 'login_required' }), transaction))).code).toBe('LOGIN_REQUIRED');
    ({ url, transaction } = await client.startSignIn());
    expect((await failure(client.finishSignIn(org.approve(url, { error: 'server_error' }), transaction))).code).toBe('AUTHORIZATION_ERROR');
  });

  it('refuses a replayed transaction locally, and a wrong code verifier with invalid_grant', async () => {
    const { org, client } = await setup();
    const { url, transaction } = await client.startSignIn();
    const callback = org.approve(url);
    await client.finishSignIn(callback, transaction);
    const exchanges = org.requests.filter((r) => r.body?.get('grant_type') === 'authorization_code').length;
    const replay = await failure(client.finishSignIn(callback, transaction));
    expect(replay.code).toBe('STATE_MISMATCH');
    expect(replay.message).toMatch(/already used/);
    expect(org.requests.filter((r) => r.body?.get('grant_type') === 'authorization_code')).toHaveLength(exchanges);

    const second = await client.startSignIn();
    const wrongVerifier = { ...second.transaction, codeVerifier: 'x'.repeat(43) };
    const bad = await failure(client.finishSignIn(org.approve(second.url), wrongVerifier));
    expect(bad.code).toBe('TOKEN_REQUEST_FAILED');
    expect(bad.error).toBe('invalid_grant');
    expect(bad.message).not.toContain('x'.repeat(43));
  });

  it('refuses a callback without code, an expired transaction and a malformed one', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now, transactionMaxAgeSeconds: 600 });
    let { url, transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn(`${redirectUri}?state=${transaction.state}&iss=${org.origin}`, transaction))).code).toBe('INVALID_CALLBACK');
    ({ url, transaction } = await client.startSignIn());
    clock.now += 601_000;
    expect((await failure(client.finishSignIn(org.approve(url), transaction))).code).toBe('INVALID_TRANSACTION');
    expect((await failure(client.finishSignIn(org.approve(url), { ...transaction, state: 1 } as never))).code).toBe('INVALID_TRANSACTION');
  });

  // Each ID-token corruption is refused over HTTP against the emulator: sign-in-client.server.test.ts.

  it('tolerates clock skew within clockSkewSeconds and refuses beyond it', async () => {
    const { org, client } = await setup({}, { clockSkewSeconds: 120 });
    org.setClockOffset(100);
    await expect(signIn(org, client)).resolves.toMatchObject({ claims: { sub: '00u-ada' } });
    org.setClockOffset(300);
    expect((await failure(signIn(org, client))).reason).toBe('issued-in-future');
  });

  it('checks auth_time when maxAgeSeconds was asked for', async () => {
    const { org, client } = await setup({}, { clockSkewSeconds: 0 });
    let { url, transaction } = await client.startSignIn({ maxAgeSeconds: 3600 });
    expect(url.searchParams.get('max_age')).toBe('3600');
    expect((await client.finishSignIn(org.approve(url), transaction)).claims?.auth_time).toBeTypeOf('number');
    ({ url, transaction } = await client.startSignIn({ maxAgeSeconds: 1 }));
    expect((await failure(client.finishSignIn(org.approve(url), transaction))).reason).toBe('auth-time');
  });

  it('refetches the JWKS once after a key rotation, and caches it otherwise', async () => {
    const { org, client } = await setup();
    await signIn(org, client);
    await signIn(org, client);
    const keyFetches = () => org.requests.filter((r) => r.path === '/oauth2/v1/keys').length;
    expect(keyFetches()).toBe(1);
    await org.rotateSigningKey();
    await signIn(org, client);
    expect(keyFetches()).toBe(2);
    expect(org.requests.filter((r) => r.path === '/.well-known/openid-configuration')).toHaveLength(1);
  });
});

describe('discovery', () => {
  it('refuses a document whose issuer is not the org URL, and does not cache the failure', async () => {
    const { org, client } = await setup();
    org.metadataOverrides.issuer = 'https://other.okta.com';
    const error = await failure(client.startSignIn());
    expect(error.code).toBe('DISCOVERY_FAILED');
    delete org.metadataOverrides.issuer;
    await expect(client.startSignIn()).resolves.toMatchObject({ url: expect.any(URL), transaction: { state: expect.any(String) } });
  });

  it('refuses endpoints on another origin', async () => {
    const { org, client } = await setup();
    org.metadataOverrides.token_endpoint = 'https://evil.example.com/token';
    expect((await failure(client.metadata())).code).toBe('DISCOVERY_FAILED');
  });
});

describe('credential', () => {
  it('authorizes with the access token and renews it on read when it is about to expire (rotation)', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({ rotation: 'rotate', tokenLifetimeSeconds: 3600 }, { now: () => clock.now });
    const result = await signIn(org, client);
    const persisted: (UserTokens | null)[] = [];
    const credential = client.credential(result, { onTokens: (t) => void persisted.push(t) });
    const attempt = { method: 'GET', url: new URL(`${org.origin}/api/v1/users/me`) };
    expect((await credential.authorize(attempt)).authorization).toBe(`Bearer ${result.tokens.accessToken.reveal()}`);
    expect(org.refreshCount()).toBe(0);

    clock.now += 3600_000 - 30_000; // inside the 60 s renewal window
    const headers = await credential.authorize(attempt);
    expect(org.refreshCount()).toBe(1);
    expect(headers.authorization).not.toBe(`Bearer ${result.tokens.accessToken.reveal()}`);
    expect(persisted).toHaveLength(1);
    expect(persisted[0]?.refreshToken?.reveal()).not.toBe(result.tokens.refreshToken?.reveal());
    expect(credential.tokens).toBe(persisted[0]);
    expect(credential.claims?.sub).toBe('00u-ada');
  });

  it('keeps the refresh token when Okta does not rotate it', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({ rotation: 'static' }, { now: () => clock.now });
    const { tokens } = await signIn(org, client);
    const credential = client.credential(tokens);
    clock.now += 3600_000;
    await credential.getAccessToken();
    expect(credential.tokens?.refreshToken?.reveal()).toBe(tokens.refreshToken?.reveal());
    expect(credential.tokens?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  });

  it('refreshes once for many concurrent requests', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now });
    const credential = client.credential(await signIn(org, client));
    clock.now += 3600_000;
    const attempt = () => ({ method: 'GET', url: new URL(`${org.origin}/api/v1/users`) });
    const all = await Promise.all(Array.from({ length: 10 }, () => credential.authorize(attempt())));
    expect(new Set(all.map((h) => h.authorization)).size).toBe(1);
    expect(org.refreshCount()).toBe(1);
  });

  it('turns a rejected refresh token into LOGIN_REQUIRED, drops the tokens and tells onTokens', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now });
    const persisted: (UserTokens | null)[] = [];
    const credential = client.credential(await signIn(org, client), { onTokens: (t) => void persisted.push(t) });
    org.revokeAllRefreshTokens();
    clock.now += 3600_000;
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.error).toBe('invalid_grant');
    expect(credential.tokens).toBeUndefined();
    expect(persisted).toEqual([null]);
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
  });

  it('uses the current token when an early renewal fails for a passing reason', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now });
    const { tokens } = await signIn(org, client);
    const credential = client.credential(tokens);
    clock.now += 3600_000 - 30_000;
    org.failNextToken(503, { error: 'temporarily_unavailable' });
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    // Early renewal pauses briefly after a failure instead of making every request wait on it.
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    expect(org.refreshCount()).toBe(0);
    clock.now += 60_000; // now expired: the failure must surface
    org.failNextToken(503, { error: 'temporarily_unavailable' });
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(credential.tokens).toBe(tokens);
  });

  it('retries once with a refreshed token after a 401 invalid_token from an Okta API', async () => {
    const { org, client } = await setup();
    const credential = client.credential(await signIn(org, client));
    org.expireAccessTokens();
    const okta = createOktaFetch({ credential, fetch: org.fetch });
    const response = await okta('/api/v1/users/me');
    expect(response.status).toBe(200);
    expect(org.refreshCount()).toBe(1);
  });

  it("never hands the user's token to another origin", async () => {
    const { org, client } = await setup();
    const credential = client.credential(await signIn(org, client));
    const error = await credential.authorize({ method: 'GET', url: new URL('https://evil.example.com/api/v1/users') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaAuthError(error) && error.code).toBe('ORIGIN_MISMATCH');
  });

  it('explains a refused API call in terms of the signed-in user', async () => {
    const { org, client } = await setup();
    const credential = client.credential(await signIn(org, client));
    expect(credential.explain?.({ status: 403, errorCode: 'E0000006' })).toContain("admin role");
    expect(credential.explain?.({ status: 403, errorCode: 'insufficient_scope' })).toContain('okta.users.read');
  });

  it('fails with LOGIN_REQUIRED when the token expired and there is no refresh token', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now, scopes: ['openid', 'okta.users.read'] });
    const credential = client.credential(await signIn(org, client));
    clock.now += 3601_000;
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
  });

  it('persists to the storage it is given and never shows tokens', async () => {
    const { org, client } = await setup();
    const saved = new Map<string, string>();
    const storage = { get: (k: string) => saved.get(k), set: (k: string, v: string) => void saved.set(k, v), remove: (k: string) => void saved.delete(k) };
    const { tokens } = await signIn(org, client);
    const credential = client.credential(tokens, { storage });
    await credential.getAccessToken({ forceRefresh: true });
    const stored = saved.get(`okta-oauth:${org.clientId}:tokens`);
    expect(stored).toBeDefined();
    expect(UserTokens.fromStorable(stored ?? '').accessToken.reveal()).toBe(credential.tokens?.accessToken.reveal());
    expect(JSON.stringify(credential)).toBe(`{"kind":"user","origin":"${org.origin}"}`);
    expect(inspect(credential)).not.toContain('at-');
    await credential.signOut();
    expect(saved.size).toBe(0);
  });

  it('adopts tokens another tab already refreshed into the shared storage', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now });
    const saved = new Map<string, string>();
    const storage = { get: (k: string) => saved.get(k), set: (k: string, v: string) => void saved.set(k, v), remove: (k: string) => void saved.delete(k) };
    const { tokens } = await signIn(org, client);
    const tabA = client.credential(tokens, { storage });
    const tabB = client.credential(tokens, { storage });
    clock.now += 3600_000;
    const a = await tabA.getAccessToken();
    const b = await tabB.getAccessToken();
    expect(b.reveal()).toBe(a.reveal());
    expect(org.refreshCount()).toBe(1);
  });
});

describe('credential storage', () => {
  function memory() {
    const saved = new Map<string, string>();
    return { saved, storage: { get: (k: string) => saved.get(k), set: (k: string, v: string) => void saved.set(k, v), remove: (k: string) => void saved.delete(k) } };
  }

  it('restores the credential of a user signed in earlier (after a reload), with their claims', async () => {
    const { org, client } = await setup();
    const { saved, storage } = memory();
    expect(await client.restoreCredential({ storage })).toBeUndefined();
    const { tokens } = await signIn(org, client);
    const first = client.credential(tokens, { storage });
    await first.getAccessToken();
    const restored = await client.restoreCredential({ storage });
    expect((await restored?.getAccessToken())?.reveal()).toBe(tokens.accessToken.reveal());
    expect(restored?.claims?.sub).toBe('00u-ada');
    await restored?.signOut();
    expect(saved.size).toBe(0);
    expect(await client.restoreCredential({ storage })).toBeUndefined();
    saved.set(`okta-oauth:${org.clientId}:tokens`, 'garbage');
    expect(await client.restoreCredential({ storage })).toBeUndefined();
  });

  it("never picks up another user's tokens from a shared store", async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now });
    const { saved, storage } = memory();
    const { tokens } = await signIn(org, client);
    const credential = client.credential(tokens, { storage });
    await credential.getAccessToken();
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const otherUser = new UserTokens({
      accessToken: 'at-of-somebody-else-1234567890',
      tokenType: 'Bearer',
      expiresAt: clock.now + 7200_000,
      idToken: `${b64({ alg: 'RS256' })}.${b64({ sub: '00u-bob' })}.sig`,
    });
    saved.set(`okta-oauth:${org.clientId}:tokens`, JSON.stringify(otherUser.toStorable()));
    clock.now += 3600_000;
    const token = await credential.getAccessToken();
    expect(token.reveal()).not.toBe('at-of-somebody-else-1234567890');
    expect(org.refreshCount()).toBe(1);
  });

  it('revokes tokens that a refresh brought back after the user signed out', async () => {
    const clock = { now: Date.now() };
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    const org = await startFakeOrg();
    const client = createSignInClient({
      orgUrl: org.origin,
      clientId: org.clientId,
      redirectUri,
      scopes,
      now: () => clock.now,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const isRefresh = request.url.endsWith('/token') && (await request.clone().text()).includes('grant_type=refresh_token');
        const response = await org.fetch(request);
        if (isRefresh) {
          reached();
          await gate;
        }
        return response;
      },
    });
    const credential = client.credential(await signIn(org, client));
    clock.now += 3600_000;
    const renewing = credential.getAccessToken().then(
      () => 'renewed',
      (e: unknown) => (e as OktaSignInError).code,
    );
    await atGate; // Okta has issued the new tokens; the answer is still on its way
    await credential.signOut();
    release();
    expect(await renewing).toBe('LOGIN_REQUIRED');
    const revoked = org.requests.filter((r) => r.path === '/oauth2/v1/revoke').map((r) => r.body?.get('token') ?? '');
    expect(revoked).toHaveLength(4);
    expect(revoked.filter((t) => t.startsWith('at-')).every((t) => !org.accessTokenActive(t))).toBe(true);
    expect(credential.tokens).toBeUndefined();
  });
});

describe('credential across tabs', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lets one tab refresh under a Web Lock while the other picks the result up from shared storage', async () => {
    // A minimal Web Locks: one holder per name, others queue.
    const queues = new Map<string, Promise<unknown>>();
    vi.stubGlobal('navigator', {
      locks: {
        request<T>(name: string, callback: () => Promise<T>): Promise<T> {
          const previous = queues.get(name) ?? Promise.resolve();
          const run = previous.then(callback, callback);
          queues.set(name, run.catch(() => undefined));
          return run;
        },
      },
    });
    const clock = { now: Date.now() };
    const { org, client } = await setup({ rotation: 'rotate' }, { now: () => clock.now });
    const saved = new Map<string, string>();
    const storage = { get: (k: string) => saved.get(k), set: (k: string, v: string) => void saved.set(k, v), remove: (k: string) => void saved.delete(k) };
    const { tokens } = await signIn(org, client);
    const tabA = client.credential(tokens, { storage });
    const tabB = client.credential(tokens, { storage });
    clock.now += 3600_000;
    const [a, b] = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);
    expect(b.reveal()).toBe(a.reveal());
    // Without the lock both tabs would spend the same rotating refresh token.
    expect(org.refreshCount()).toBe(1);
  });
});

describe('device sign-in', () => {
  async function deviceSetup(script: string[]) {
    const sleeps: number[] = [];
    const { org, client } = await setup({}, { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
    org.scriptDevice(script);
    const device = await client.startDeviceSignIn();
    return { org, device, sleeps };
  }

  it('shows the user code and polls through authorization_pending and slow_down to tokens', async () => {
    const { device, sleeps, org } = await deviceSetup(['authorization_pending', 'slow_down', 'authorization_pending', 'approve']);
    expect(device.userCode).toBe('WDJB-MJHT');
    expect(device.verificationUri).toBe(`${org.origin}/activate`);
    expect(device.verificationUriComplete).toContain('user_code=WDJB-MJHT');
    expect(device.intervalSeconds).toBe(5);
    const { tokens, claims } = await device.poll();
    expect(tokens.refreshToken?.reveal()).toMatch(/^rt-/);
    expect(claims?.sub).toBe('00u-ada');
    expect(sleeps).toEqual([5000, 5000, 10_000, 10_000]);
    const polls = org.requests.filter((r) => r.body?.get('grant_type') === 'urn:ietf:params:oauth:grant-type:device_code');
    expect(polls).toHaveLength(4);
    expect(polls[0]?.body?.get('client_id')).toBe(org.clientId);
  });

  it('never polls back to back, whatever interval Okta sends', async () => {
    const sleeps: number[] = [];
    const { org, client } = await setup({}, { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) });
    org.deviceInterval = 0;
    org.scriptDevice(['authorization_pending', 'approve']);
    const device = await client.startDeviceSignIn();
    expect(device.intervalSeconds).toBe(1);
    await device.poll();
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('stops on expired_token and access_denied', async () => {
    expect((await failure((await deviceSetup(['expired_token'])).device.poll())).code).toBe('DEVICE_CODE_EXPIRED');
    const denied = await failure((await deviceSetup(['authorization_pending', 'access_denied'])).device.poll());
    expect(denied.code).toBe('ACCESS_DENIED');
    expect(denied.error).toBe('access_denied');
  });

  it('stops at expires_in without asking again', async () => {
    const clock = { now: Date.now() };
    const { org, client } = await setup({}, { now: () => clock.now, sleep: (ms) => ((clock.now += ms), Promise.resolve()) });
    const device = await client.startDeviceSignIn();
    expect((await failure(device.poll())).code).toBe('DEVICE_CODE_EXPIRED');
    expect(org.requests.filter((r) => r.body?.get('grant_type')?.endsWith('device_code') === true).length).toBe(119);
  });

  it('can be cancelled with an AbortSignal', async () => {
    const { org, client } = await setup();
    org.scriptDevice([]);
    const device = await client.startDeviceSignIn();
    const controller = new AbortController();
    const polling = device.poll({ signal: controller.signal });
    controller.abort();
    const error = await polling.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaAuthError(error) && error.code).toBe('ABORTED');
  });
});

describe('sign-out and introspection', () => {
  it('revokes the refresh token then the access token and builds the end-session URL', async () => {
    const { org, client } = await setup({}, { postLogoutRedirectUri: 'https://app.example.com/' });
    const { tokens } = await signIn(org, client);
    const result = await client.signOut(tokens, { state: 'bye' });
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    const revokes = org.requests.filter((r) => r.path === '/oauth2/v1/revoke');
    expect(revokes.map((r) => r.body?.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    expect(org.accessTokenActive(tokens.accessToken.reveal())).toBe(false);
    expect(result.logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
    expect(result.logoutUrl?.searchParams.get('post_logout_redirect_uri')).toBe('https://app.example.com/');
    expect(result.logoutUrl?.searchParams.get('state')).toBe('bye');
  });

  it('introspects tokens for a confidential client with client_secret_basic', async () => {
    const { org, client } = await setup({ clientSecret: 'a-very-secret-value-1234' }, { clientSecret: 'a-very-secret-value-1234' });
    const { tokens } = await signIn(org, client);
    const exchange = org.requests.find((r) => r.body?.get('grant_type') === 'authorization_code');
    expect(exchange?.headers.get('authorization')).toBe(`Basic ${btoa(`${org.clientId}:a-very-secret-value-1234`)}`);
    expect((await client.introspect(tokens.accessToken)).active).toBe(true);
    await client.signOut(tokens);
    expect((await client.introspect(tokens.accessToken, { tokenTypeHint: 'access_token' })).active).toBe(false);
  });

  it('authenticates a confidential client with private_key_jwt, aud = the endpoint invoked', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const { org, client } = await setup({ clientPublicKey: publicKey }, { privateKey: await exportJWK(privateKey), keyId: 'key-1' });
    const { tokens } = await signIn(org, client);
    expect((await client.introspect(tokens.accessToken)).active).toBe(true);
    await client.signOut(tokens);
    const assertions = org.requests.filter((r) => r.body?.has('client_assertion') === true);
    expect(assertions.map((r) => r.path)).toEqual(['/oauth2/v1/token', '/oauth2/v1/introspect', '/oauth2/v1/revoke', '/oauth2/v1/revoke']);
    expect(new Set(assertions.map((r) => r.body?.get('client_assertion'))).size).toBe(4);
  });

  it('refuses introspection for a public client', async () => {
    const { client } = await setup();
    expect((await failure(client.introspect('token-value'))).code).toBe('INVALID_CONFIG');
  });
});

describe('createSignInClient', () => {
  it('validates every option up front', () => {
    const base = { orgUrl: 'https://acme.okta.com', clientId: 'abc', scopes: ['openid'] };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return isOktaAuthError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(code(() => createSignInClient(base))).toBe('none');
    expect(code(() => createSignInClient({ ...base, clientId: '' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, scopes: [] }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, scopes: ['a b"'] }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, redirectUri: 'https://app/cb#frag' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, redirectUri: '/relative' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, orgUrl: 'http://127.0.0.1:8080' }))).toBe('INVALID_ORG_URL');
    expect(code(() => createSignInClient({ ...base, orgUrl: 'http://127.0.0.1:8080', allowInsecureLoopback: true }))).toBe('none');
    expect(code(() => createSignInClient({ ...base, clientSecret: 's', privateKey: '-----BEGIN PRIVATE KEY-----' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, clockSkewSeconds: -1 }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, clientSecret: '' }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, timeoutMs: -1 }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, fetch: 'nope' as never }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: { algorithm: 'HS256' as never } }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, dpop: { keyPair: {} as never } }))).toBe('INVALID_CONFIG');
    expect(code(() => createSignInClient({ ...base, privateKey: 'not a key' }))).toBe('INVALID_KEY');
  });

  it('does not show its secret', () => {
    const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: 'abc', scopes: ['openid'], clientSecret: 'super-secret-value-9999' });
    expect(JSON.stringify(client)).not.toContain('super-secret');
    expect(inspect(client)).not.toContain('super-secret');
  });
});
