/**
 * `createSignInClient` from `@org/okta-oauth/sign-in` over real HTTP against @org/okta-emulator:
 * ID token claims checked without jose, the signature only with the opt-in verifier, the
 * parts it leaves out refused with a message naming the entry point that has them, and
 * `signOut`, `restoreCredential` and `metadata` as functions taking the client (the `/sign-in`
 * client has no such methods; anything but a client made by `createSignInClient` is refused).
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import { fillSignInForm } from '@org/okta-test-utils';
import { decodeJwt } from 'jose';
import { clientSecretBasic, clientSecretJwt } from '../client-auth/client-secret.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { jwksIdTokenVerifier } from './id-token-jwks.js';
import { metadata, restoreCredential, signOut } from './client-functions.js';
import { createSignInClient as createRootSignInClient } from './sign-in-client.js';
import { leanSignInClient as createSignInClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { createMemoryStorage } from './storage.js';
import { clientFor, idTokenCorruptions, login, password, postLogoutRedirectUri, redirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { UserTokens } from './tokens.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});
const spa = (options: Partial<SignInClientOptions> = {}): SignInClientBase => spaOf(org, options, undefined, createSignInClient);

describe('createSignInClient of @org/okta-oauth/sign-in', () => {
  it('signs a user in, renews by refresh, and calls an Okta API without a signature check', async () => {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now });
    const { tokens, claims } = await signIn(signInClient);
    expect(claims?.iss).toBe(org.url);
    const credential = signInClient.credential({ tokens, claims });
    clock.now += 3600_000;
    org.setClockOffset(3600);
    const okta = createOktaFetch({ credential });
    expect((await okta(env.userPath)).status).toBe(200);
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    expect(credential.claims?.sub).toBe(claims?.sub);
  });

  /** The claim corruptions: every one but a bad signature and an unknown key. */
  const claimChecks = idTokenCorruptions.filter(([, reason]) => reason !== 'signature');
  it('covers the claim corruptions', () => {
    expect(claimChecks.map(([kind]) => kind)).toEqual(['audience', 'nonce', 'expired', 'issuer', 'azp', 'future-iat']);
  });
  for (const [verifier, options] of [
    ['without a verifier', {}],
    ['with jwksIdTokenVerifier', { idTokenVerifier: jwksIdTokenVerifier }],
  ] as const) {
    for (const [kind, reason] of claimChecks) {
      it(`refuses an ID token with a bad ${kind} ${verifier}`, async () => {
        const signInClient = spa(options);
        org.corruptNextIdToken(kind);
        const error = await failure(signIn(signInClient));
        expect(error.code).toBe('ID_TOKEN_INVALID');
        expect(error.reason).toBe(reason);
      });
    }
  }

  for (const kind of ['signature', 'unknown-kid'] as const) {
    it(`refuses a bad ${kind} with jwksIdTokenVerifier`, async () => {
      const signInClient = spa({ idTokenVerifier: jwksIdTokenVerifier });
      org.corruptNextIdToken(kind);
      const error = await failure(signIn(signInClient));
      expect(error.code).toBe('ID_TOKEN_INVALID');
      expect(error.reason).toBe('signature');
    });

    it(`accepts a bad ${kind} without a verifier, by design (TLS stands for the signature; the claims are checked)`, async () => {
      const signInClient = spa();
      org.corruptNextIdToken(kind);
      const { claims } = await signIn(signInClient);
      expect(claims?.aud).toBe(signInClient.clientId);
    });
  }

  // Twentieth session (the red teams' leftovers): jose's "multiple matching keys" was reported as a malformed ID token.
  it("refuses an ID token whose kid the org's JWKS publishes twice as an ambiguous key set, not as a malformed token", async () => {
    const { keys } = (await (await fetch(`${org.url}/oauth2/v1/keys`)).json()) as { keys: Record<string, unknown>[] };
    org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 200, body: { keys: [...keys, ...keys.map((key) => ({ ...key }))] }, count: 1 });
    const error = await failure(signIn(spa({ idTokenVerifier: jwksIdTokenVerifier })));
    expect(error).toMatchObject({
      code: 'ID_TOKEN_INVALID',
      reason: 'signature',
      message: expect.stringContaining("the org's key set (jwks_uri) publishes more than one key for its kid and algorithm"),
    });
  });

  it('jwksIdTokenVerifier keeps the key set per client, and not a failed fetch', async () => {
    const wire = recordingFetch();
    const keyFetches = () => wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/keys').length;
    const first = spa({ idTokenVerifier: jwksIdTokenVerifier, fetch: wire.fetch });
    org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 404, count: 1 });
    const error = await failure(signIn(first));
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', status: 404, message: expect.stringContaining('/oauth2/v1/keys') });
    await signIn(first);
    await signIn(first);
    expect(keyFetches()).toBe(2);
    await signIn(spa({ idTokenVerifier: jwksIdTokenVerifier, fetch: wire.fetch }));
    expect(keyFetches()).toBe(3);
  });

  it('refuses a claim corruption on refresh too', async () => {
    const signInClient = spa();
    const { tokens, claims } = await signIn(signInClient);
    const credential = signInClient.credential({ tokens, claims });
    org.corruptNextIdToken('audience');
    const error = await failure(credential.getAccessToken({ forceRefresh: true }));
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.reason).toBe('audience');
  });

  it("hands a verifier's own error to the caller as itself", async () => {
    const mine = new Error('my verifier says no');
    const signInClient = spa({ idTokenVerifier: () => Promise.reject(mine) });
    await expect(signIn(signInClient)).rejects.toBe(mine);
  });

  it('takes any clientAuth the app imports (a confidential web app with client_secret_basic)', async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const signInClient = clientFor(org, { clientId: app.clientId }, { clientAuth: clientSecretBasic(app.clientSecret ?? '') }, createSignInClient);
    const { tokens } = await signIn(signInClient);
    expect(tokens.tokenType).toBe('Bearer');
  });

  it('has Okta\'s clock with the JWT client authentications it is given (their assertions carry the time), and only then', async () => {
    // The org ten minutes behind: an assertion stamped with the local time is "issued in the future".
    org.setClockOffset(-600);
    for (const method of ['private_key_jwt', 'client_secret_jwt'] as const) {
      const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: method });
      const clientAuth = method === 'private_key_jwt' ? privateKeyJwt(app.privateKeyPem ?? '', { keyId: app.keyId }) : clientSecretJwt(app.clientSecret ?? '');
      const wire = recordingFetch();
      // Bracketed by the clock read before and after the sign-in, whatever real time it took.
      const before = Math.floor(Date.now() / 1000);
      const { tokens } = await signIn(clientFor(org, { clientId: app.clientId }, { clientAuth, fetch: wire.fetch }, createSignInClient));
      const after = Math.ceil(Date.now() / 1000);
      expect(tokens.tokenType).toBe('Bearer');
      // Refused once with the local time, then re-signed once with the time of Okta's (whole-second) Date.
      const iats = wire.tokenRequests().map((request) => decodeJwt(request.form?.get('client_assertion') ?? '').iat ?? 0);
      expect(iats).toHaveLength(2);
      expect(iats[0]).toBeGreaterThanOrEqual(before);
      expect(iats[0]).toBeLessThanOrEqual(after);
      expect(iats[1]).toBeGreaterThanOrEqual(before - 600 - 1);
      expect(iats[1]).toBeLessThanOrEqual(after - 600);
    }
    // A public client signs nothing with the time: a refused code exchange is not sent again, however far
    // off Okta's Date is (the root entry's client has Okta's clock for every app, and re-signs once).
    for (const [create, sent] of [[createSignInClient, 1], [createRootSignInClient, 2]] as const) {
      const wire = recordingFetch();
      const client: SignInClientBase = spaOf(org, { fetch: wire.fetch }, undefined, create);
      const { url, transaction } = await client.startSignIn();
      const callback = new URL(await fillSignInForm(url, login, password));
      callback.searchParams.set('code', 'not-a-code-okta-issued');
      expect(await failure(client.finishSignIn(callback, transaction))).toMatchObject({ error: 'invalid_grant' });
      expect(wire.tokenRequests()).toHaveLength(sent);
    }
  });

  it('refuses what it leaves out with INVALID_CONFIG naming @org/okta-oauth', async () => {
    const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const base = { orgUrl: org.url, allowInsecureLoopback: true, clientId: app.clientId, redirectUri, scopes: ['openid'] };
    for (const options of [{ dpop: 'required' as const }, { privateKey: '-----BEGIN PRIVATE KEY-----' }, { clientSecret: 'a-secret-value' }]) {
      let thrown: unknown;
      try {
        createSignInClient({ ...base, ...options });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('@org/okta-oauth') });
    }
    const signInClient = createSignInClient(base);
    // A JavaScript caller's calls (the /sign-in client's own type takes none: lean-entry-types.test.ts).
    expect(await failure(signInClient.startDeviceSignIn())).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('createSignInClient from @org/okta-oauth') });
    expect(await failure(signInClient.introspect('token'))).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(() => createSignInClient({ ...base, idTokenVerifier: 'jwks' as never })).toThrow(/idTokenVerifier must be a function/);
  });
});

describe('signOut, restoreCredential and metadata of @org/okta-oauth/sign-in', () => {
  it('leaves them off the /sign-in client; the root client has them as methods', () => {
    const client = spa();
    for (const name of ['signOut', 'restoreCredential', 'metadata']) expect(name in client).toBe(false);
    const root = spaOf(org);
    for (const name of ['signOut', 'restoreCredential', 'metadata'] as const) expect(typeof root[name]).toBe('function');
  });

  it('signOut(client, tokens) revokes both tokens at Okta and builds the end-session URL', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const { tokens } = await signIn(client);
    const result = await signOut(client, tokens, { state: 'bye' });
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    expect(result.notRevoked).toEqual([]);
    const revokes = wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/revoke');
    expect(revokes.map((r) => r.form?.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    const okta = createOktaFetch({ credential: client.credential(tokens) });
    expect((await failure(okta(env.userPath))).code).toBe('LOGIN_REQUIRED');
    expect(result.logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
    expect(result.logoutUrl?.searchParams.get('post_logout_redirect_uri')).toBe(postLogoutRedirectUri);
    expect(result.logoutUrl?.searchParams.get('state')).toBe('bye');
  });

  it('signOut(client, credential) ends the credential\'s session, then revokes its tokens (the credential has no signOut method)', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const storage = createMemoryStorage();
    const told: unknown[] = [];
    const credential = client.credential(await signIn(client), { storage, onTokens: (next) => void told.push(next) });
    const accessToken = (await credential.getAccessToken()).reveal();
    expect('signOut' in credential).toBe(false);
    const result = await signOut(client, credential, { state: 'bye' });
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    expect(result.logoutUrl?.searchParams.get('state')).toBe('bye');
    expect(told).toEqual([null]);
    expect(await storage.get(`okta-oauth:${client.clientId}:tokens`)).toBeUndefined();
    expect(credential.tokens).toBeUndefined();
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
    const bare = await fetch(new URL(env.userPath, org.url), { headers: { authorization: `Bearer ${accessToken}` } });
    expect(bare.status).toBe(401);
    expect(await signOut(client, credential)).toEqual({ revoked: [], notRevoked: [], logoutUrl: undefined });
    expect(wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/revoke')).toHaveLength(2);
  });

  it('signOut refuses a credential of another client, and what is no credential, before sending anything', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const other = spa();
    const credential = other.credential(await signIn(other));
    expect(await failure(signOut(client, credential))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('another sign-in client') });
    expect(await failure(signOut(client, { ...credential }))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('credential') });
    expect(wire.sent).toHaveLength(0);
    expect(credential.tokens).toBeDefined();
  });

  it('restoreCredential(client, { storage }) restores the tokens a credential kept, with their claims', async () => {
    const client = spa();
    const storage = createMemoryStorage();
    expect(await restoreCredential(client, { storage })).toBeUndefined();
    const { tokens } = await signIn(client);
    await client.credential(tokens, { storage }).getAccessToken();
    const restored = await restoreCredential(client, { storage });
    expect((await restored?.getAccessToken())?.reveal()).toBe(tokens.accessToken.reveal());
    expect(restored?.claims?.sub).toBe(env.userId);
    const okta = createOktaFetch({ credential: restored ?? client.credential(tokens) });
    expect((await okta(env.userPath)).status).toBe(200);
    if (restored !== undefined) await signOut(client, restored);
    expect(await restoreCredential(client, { storage })).toBeUndefined();
  });

  it('metadata(client) fetches the discovery document once per client', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const first = await metadata(client);
    expect(first.issuer).toBe(org.url);
    expect(await metadata(client)).toBe(first);
    expect(wire.sent.filter((r) => r.url.pathname === '/.well-known/openid-configuration')).toHaveLength(1);
  });

  it('refuses what is not a sign-in client, and bad arguments, with INVALID_CONFIG naming the function', async () => {
    const client = spa();
    const copy = { ...client };
    const tokens = new UserTokens({ accessToken: 'at', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 });
    expect(await failure(signOut(copy, tokens))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('signOut') });
    expect(await failure(restoreCredential(null as never, { storage: createMemoryStorage() }))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('restoreCredential') });
    expect(await failure(metadata({} as SignInClientBase))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('metadata') });
    expect(await failure(signOut(client, 'at' as never))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('UserTokens') });
    expect(await failure(restoreCredential(client, {} as never))).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('{ storage }') });
  });
});
