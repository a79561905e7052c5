/**
 * The signed-in user's credential and sign-out against @org/okta-emulator over HTTP: storage and
 * restore, tabs sharing storage (with and without Web Locks), a renewal racing a sign-out, what
 * it refuses, and the confidential client's introspection and revocation.
 */
import { inspect } from 'node:util';
import { createOktaFetch, isOktaApiError, isOktaAuthError, type OktaApiError } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import { signOut } from './client-functions.js';
import { createSignInClient, type SignInClientOptions } from './sign-in-client.js';
import { leanSignInClient as createLeanClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase } from './sign-in-options.js';
import { clientFor, postLogoutRedirectUri, redirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { stubWebLocks } from './test-helpers/web-locks.js';

const env = useSignInOrg();
let org: OktaEmulator;
let userPath: string;
beforeEach(() => {
  ({ org, userPath } = env);
});
const spa = (options: Partial<SignInClientOptions> = {}) => spaOf(org, options);

/** A client whose clock and the org's both run `later()` ahead, so tokens expire on both sides. */
function expiringSpa({ create = createSignInClient, ...options }: Partial<SignInClientOptions> & { create?: (options: SignInClientOptions) => SignInClientBase } = {}) {
  const clock = { now: Date.now() };
  const client = spaOf(org, { now: () => clock.now, ...options }, undefined, create);
  const later = (ms = 3600_000): void => {
    clock.now += ms;
    org.setClockOffset((clock.now - Date.now()) / 1000);
  };
  return { client, later };
}

function memory() {
  const saved = new Map<string, string>();
  return { saved, storage: { get: (k: string) => saved.get(k), set: (k: string, v: string) => void saved.set(k, v), remove: (k: string) => void saved.delete(k) } };
}

/** Two tabs holding the same signed-in user's tokens in one shared storage, an hour later. */
async function twoTabsLater() {
  const { client, later } = expiringSpa();
  const { storage } = memory();
  const { tokens } = await signIn(client);
  const tabs = { tabA: client.credential(tokens, { storage }), tabB: client.credential(tokens, { storage }) };
  later();
  return tabs;
}

const refreshes = () => org.counters().tokenRequests.refresh_token?.success ?? 0;

describe('the user credential', () => {
  it('exposes the renewed tokens and the claims after a renewal on read', async () => {
    const { client, later } = expiringSpa();
    const result = await signIn(client);
    const persisted: unknown[] = [];
    const credential = client.credential(result, { onTokens: (t) => void persisted.push(t) });
    later(3600_000 - 30_000); // inside the renewal window
    await credential.getAccessToken();
    expect(persisted).toHaveLength(1);
    expect(credential.tokens).toBe(persisted[0]);
    expect(credential.claims?.sub).toBe(env.userId);
  });

  it('fails with LOGIN_REQUIRED when the token expired and there is no refresh token', async () => {
    const { client, later } = expiringSpa({ scopes: ['openid', 'okta.users.read'] });
    const credential = client.credential(await signIn(client));
    later(3601_000);
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
    expect(refreshes()).toBe(0);
  });

  it("never hands the user's token to another origin", async () => {
    const client = spa();
    const credential = client.credential(await signIn(client));
    // A next link's host name is the server's choice and can echo a secret, lower-cased: never quoted.
    const error = await credential.authorize({ method: 'GET', url: new URL('https://00echoedtokensentinel.example.com/api/v1/users') }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaAuthError(error) && error.code).toBe('ORIGIN_MISMATCH');
    expect(JSON.stringify({ message: (error as Error).message, cause: (error as Error).cause })).not.toContain('echoedtokensentinel');
  });

  it('explains a refused API call in terms of the signed-in user', async () => {
    const client = spa();
    const credential = client.credential(await signIn(client));
    const attempt = { method: 'GET', url: new URL('/api/v1/users', credential.origin) };
    const answer = (errorCode: string) => ({ attempt, request: new Request(attempt.url), response: new Response(null, { status: 403 }), errorCode });
    expect(credential.explain?.(answer('E0000006'))).toContain('admin role');
    expect(credential.explain?.(answer('insufficient_scope'))).toContain('okta.users.read');
  });

  it("explains Okta's 403 for a token lacking the API's scope (E0000006 and an insufficient_scope challenge) as the scope's, not the admin role's", async () => {
    // The admin signed in without okta.users.read: Okta answers 403 E0000006 with the scope in WWW-Authenticate (before spa143: "admin role").
    const client = spa({ scopes: ['openid', 'offline_access'] });
    const credential = client.credential(await signIn(client));
    const error: unknown = await createOktaFetch({ credential, retry: false })('/api/v1/users').then(() => undefined, (e: unknown) => e);
    expect(isOktaApiError(error) && [error.status, error.errorCode, error.missingScope]).toEqual([403, 'E0000006', 'okta.users.read']);
    expect((error as OktaApiError).hint).toBe(
      "The user's token lacks a scope this API needs (granted: openid offline_access): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again (it acts with the user's admin role; their own groups come with the groups scope).",
    );
  });
});

describe('credential storage', () => {
  it('persists to the storage it is given, never shows tokens, and signOut clears it', async () => {
    const client = spa();
    const { saved, storage } = memory();
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens, { storage });
    const renewed = await credential.getAccessToken({ forceRefresh: true });
    expect(saved.get(`okta-oauth:${client.clientId}:tokens`)).toContain(renewed.reveal());
    expect(JSON.stringify(credential)).toBe(`{"kind":"user","origin":"${org.url}"}`);
    expect(inspect(credential)).not.toContain(renewed.reveal());
    await credential.signOut();
    expect(saved.size).toBe(0);
  });

  it('adopts tokens another tab already renewed into the shared storage', async () => {
    const { tabA, tabB } = await twoTabsLater();
    const a = await tabA.getAccessToken();
    const b = await tabB.getAccessToken();
    expect(b.reveal()).toBe(a.reveal());
    expect(refreshes()).toBe(1);
  });

  it('restores the credential of a user signed in earlier (after a reload), with their claims', async () => {
    const client = spa();
    const { saved, storage } = memory();
    expect(await client.restoreCredential({ storage })).toBeUndefined();
    const { tokens } = await signIn(client);
    await client.credential(tokens, { storage }).getAccessToken();
    const restored = await client.restoreCredential({ storage });
    expect((await restored?.getAccessToken())?.reveal()).toBe(tokens.accessToken.reveal());
    expect(restored?.claims?.sub).toBe(env.userId);
    await restored?.signOut();
    expect(saved.size).toBe(0);
    expect(await client.restoreCredential({ storage })).toBeUndefined();
    saved.set(`okta-oauth:${client.clientId}:tokens`, 'garbage');
    expect(await client.restoreCredential({ storage })).toBeUndefined();
  });

  it('restores no tokens a token answer could not give: a scope with control characters or a tab (it would reach every hint), a refresh token that cannot go in a form, an expiry over 366 days ahead', async () => {
    const client = spa();
    const { saved, storage } = memory();
    const key = `okta-oauth:${client.clientId}:tokens`;
    await client.credential((await signIn(client)).tokens, { storage }).getAccessToken();
    const stored = JSON.parse(saved.get(key) ?? '{}') as Record<string, string>;
    // Tokens and ID token still this client's: only what the token answer's rules refuse differs.
    const escape = '\u001b]8;;https://evil.example\u0007okta.users.read\u001b]8;;\u0007\r\n';
    const edits = [{ scope: `openid ${escape}` }, { scope: 'openid\tokta.users.read' }, { scope: 'openid \u009b2J' }, { refreshToken: `${stored.refreshToken}\r\nX-Injected: 1` }, { expiresAt: Date.now() + 400 * 86_400_000 }];
    for (const edited of edits) {
      saved.set(key, JSON.stringify({ ...stored, ...edited }));
      const restored = await client.restoreCredential({ storage });
      const attempt = { method: 'GET', url: new URL('/api/v1/users', org.url) };
      const hint = restored?.explain?.({ attempt, request: new Request(attempt.url), response: new Response(null, { status: 403 }), errorCode: 'insufficient_scope' });
      expect(hint).toBeUndefined();
      expect(restored).toBeUndefined();
    }
  });

  it.each([
    ['credential.signOut() of @org/okta-oauth', createSignInClient],
    ['signOut(client, credential) of @org/okta-oauth/sign-in', createLeanClient],
  ])('revokes tokens that a renewal brought back after the user signed out: %s', async (_, create) => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let broughtBack = '';
    const { client, later } = expiringSpa({
      create,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const isRefresh = request.url.endsWith('/token') && (await request.clone().text()).includes('grant_type=refresh_token');
        const response = await fetch(request);
        if (isRefresh) {
          broughtBack = ((await response.clone().json()) as { access_token: string }).access_token;
          reached();
          await gate;
        }
        return response;
      },
    });
    const credential = client.credential(await signIn(client));
    later();
    const renewing = credential.getAccessToken().then(
      () => 'renewed',
      (e: unknown) => (e as { code?: string }).code,
    );
    await atGate; // Okta has issued the new tokens; the answer is still on its way
    await signOut(client, credential);
    release();
    expect(await renewing).toBe('LOGIN_REQUIRED');
    expect(org.counters().requests['POST /oauth2/v1/revoke']).toBe(4); // the signed-out pair, then the pair brought back
    const bare = await fetch(new URL(userPath, org.url), { headers: { authorization: `Bearer ${broughtBack}` } });
    expect(bare.status).toBe(401);
    expect(credential.tokens).toBeUndefined();
  });
});

describe('credential across tabs', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lets one tab renew under a Web Lock while the other picks the result up from shared storage', async () => {
    stubWebLocks();
    const { tabA, tabB } = await twoTabsLater();
    const [a, b] = await Promise.all([tabA.getAccessToken(), tabB.getAccessToken()]);
    expect(b.reveal()).toBe(a.reveal());
    // Without the lock both tabs would spend the same rotating refresh token.
    expect(refreshes()).toBe(1);
  });
});

describe('sign-out and introspection', () => {
  it('revokes the refresh token then the access token and builds the end-session URL', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const { tokens } = await signIn(client);
    const result = await client.signOut(tokens, { state: 'bye' });
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    const revokes = wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/revoke');
    expect(revokes.map((r) => r.form?.get('token_type_hint'))).toEqual(['refresh_token', 'access_token']);
    const bare = await fetch(new URL(userPath, org.url), { headers: { authorization: `Bearer ${tokens.accessToken.reveal()}` } });
    expect(bare.status).toBe(401);
    expect(result.logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
    expect(result.logoutUrl?.searchParams.get('post_logout_redirect_uri')).toBe(postLogoutRedirectUri);
    expect(result.logoutUrl?.searchParams.get('state')).toBe('bye');
  });

  it('introspects tokens for a confidential client with client_secret_basic', async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    const client = clientFor(org, app, { fetch: wire.fetch });
    const { tokens } = await signIn(client);
    expect(wire.tokenRequests()[0]?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${app.clientSecret ?? ''}`)}`);
    expect(wire.tokenRequests()[0]?.form?.has('client_secret')).toBe(false);
    expect((await client.introspect(tokens.accessToken)).active).toBe(true);
    await client.signOut(tokens);
    expect((await client.introspect(tokens.accessToken, { tokenTypeHint: 'access_token' })).active).toBe(false);
  });

  it('introspects for a public client with its client_id alone (as Okta takes it; revocation.server.test.ts checks the form)', async () => {
    expect(await spa().introspect('token-value')).toEqual({ active: false });
  });
});
