/**
 * User sign-in over real HTTP against @org/okta-emulator: the test plays the user by filling the
 * emulator's sign-in form with fetch. Signing in (SPA and web app), discovery and key caching, and
 * the callbacks the client refuses. Renewal: credential-renewal.server.test.ts; the device grant:
 * device-sign-in.server.test.ts.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { keySetCooldownMs } from './id-token-key-set.js';
import { idTokenCorruptions, login, password, redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
let userPath: string;
beforeEach(() => {
  ({ org, userPath } = env);
});

const { client, spa } = env;

describe('sign-in over HTTP', () => {
  it('signs a user in through the sign-in form and calls an Okta API as that user (SPA, public client)', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    // No iss (RFC 9207), as Okta sends none: callback-iss.server.test.ts has both paths.
    expect(new URL(callback).searchParams.has('iss')).toBe(false);
    const { tokens, claims } = await signInClient.finishSignIn(callback, transaction);
    expect(claims?.iss).toBe(org.url);
    expect(claims?.preferred_username ?? claims?.email).toBe(login);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.refreshToken?.reveal()).toMatch(/^[\w-]{40,}$/);
    const okta = createOktaFetch({ credential: signInClient.credential({ tokens, claims }) });
    const me = (await (await okta(userPath)).json()) as { profile: { login: string } };
    expect(me.profile.login).toBe(login);
  });

  it('signs in with a confidential web app (client secret), introspects, and signs out', async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: ['http://127.0.0.1:5173/'], scopes: ['okta.users.read'] });
    const signInClient = client(app);
    const { tokens } = await signIn(signInClient);
    expect((await signInClient.introspect(tokens.accessToken)).active).toBe(true);
    const credential = signInClient.credential(tokens);
    const { revoked, logoutUrl } = await credential.signOut({ state: 'bye' });
    expect(revoked).toEqual(['refresh_token', 'access_token']);
    expect(logoutUrl?.pathname).toBe('/oauth2/v1/logout');
    expect(logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
    expect((await signInClient.introspect(tokens.accessToken)).active).toBe(false);
    expect((await signInClient.introspect(tokens.refreshToken!, { tokenTypeHint: 'refresh_token' })).active).toBe(false);
    // The signed-out credential has no tokens; another holding the revoked ones gets a 401,
    // tries its (revoked) refresh token once, and asks for a new sign-in.
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
    const okta = createOktaFetch({ credential: client(app).credential(tokens) });
    expect((await failure(okta(userPath))).code).toBe('LOGIN_REQUIRED');
    const bare = await fetch(new URL(userPath, org.url), { headers: { authorization: `Bearer ${tokens.accessToken.reveal()}` } });
    expect(bare.status).toBe(401);
  });

  it('fetches discovery and the keys once, and the keys again once after the org rotates its signing key', async () => {
    // Frozen (timers stay real), then moved past the key set's cooldown (id-token-jwks-refetch.server.test.ts).
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const signInClient = spa();
    const fetches = (path: string) => org.counters().requests[`GET ${path}`] ?? 0;
    await signIn(signInClient);
    await signIn(signInClient);
    expect(fetches('/oauth2/v1/keys')).toBe(1);
    vi.setSystemTime(Date.now() + keySetCooldownMs);
    const kid = org.rotateSigningKey();
    const { tokens } = await signIn(signInClient);
    expect(JSON.parse(atob(tokens.idToken!.reveal().split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))).kid).toBe(kid);
    expect(fetches('/oauth2/v1/keys')).toBe(2);
    expect(fetches('/.well-known/openid-configuration')).toBe(1);
  });
});

describe('callback failures', () => {
  it('refuses a wrong state', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    callback.searchParams.set('state', 'forged-state-forged-state');
    expect((await failure(signInClient.finishSignIn(callback, transaction))).code).toBe('STATE_MISMATCH');
  });

  it('refuses a wrong iss, though the org does not advertise RFC 9207 (a present iss is compared)', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    callback.searchParams.set('iss', 'http://127.0.0.1:1');
    expect((await failure(signInClient.finishSignIn(callback, transaction))).code).toBe('ISSUER_MISMATCH');
  });

  it('turns error=access_denied into ACCESS_DENIED and prompt=none without a session into LOGIN_REQUIRED', async () => {
    const signInClient = spa();
    let { url, transaction } = await signInClient.startSignIn();
    const denied = new URL(redirectUri);
    denied.search = new URLSearchParams({ error: 'access_denied', error_description: 'User denied access', state: transaction.state, iss: org.url }).toString();
    const error = await failure(signInClient.finishSignIn(denied, transaction));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.error_description).toBe('User denied access');

    ({ url, transaction } = await signInClient.startSignIn({ prompt: 'none' }));
    const page = await fetch(url, { redirect: 'manual' });
    expect((await failure(signInClient.finishSignIn(page.headers.get('location') ?? '', transaction))).code).toBe('LOGIN_REQUIRED');
  });

  it('refuses a replayed code', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    await signInClient.finishSignIn(callback, transaction);
    // The same client refuses the used transaction itself; another client of the app (process) reaches Okta, which refuses the code.
    const replay = await failure(signInClient.finishSignIn(callback, transaction));
    expect(replay.code).toBe('STATE_MISMATCH');
    expect(replay.message).toMatch(/already used/);
    expect(org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
    const error = await failure(client({ clientId: signInClient.clientId }).finishSignIn(callback, transaction));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.error).toBe('invalid_grant');
  });

  it('refuses a wrong code verifier', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const error = await failure(signInClient.finishSignIn(callback, { ...transaction, codeVerifier: 'A'.repeat(64) }));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.error).toBe('invalid_grant');
    expect(error.message).not.toContain('A'.repeat(64));
  });

  for (const [kind, reason] of idTokenCorruptions) {
    it(`refuses an ID token with a bad ${kind}`, async () => {
      const signInClient = spa();
      org.corruptNextIdToken(kind);
      const error = await failure(signIn(signInClient));
      expect(error.code).toBe('ID_TOKEN_INVALID');
      expect(error.reason).toBe(reason);
    });
  }

  it('says what to do about an ID token of another sign-in (its nonce): start a new one', async () => {
    org.corruptNextIdToken('nonce');
    const error = await failure(signIn(spa()));
    expect(error.message).toMatch(/^The ID token is invalid: its nonce is not the one this sign-in sent \(.+\): start a new sign-in\.$/);
  });

  it("says what to do about an ID token of another issuer (a custom URL domain against the app's Issuer setting), quoting none", async () => {
    // An org with a custom URL domain: the app's Issuer is "Okta URL" while orgUrl is the custom domain, or the reverse;
    // the emulator has no custom domain, and its corruption gives the ID token another iss, which is what the client sees.
    org.corruptNextIdToken('issuer');
    const error = await failure(signIn(spa()));
    expect(error.reason).toBe('issuer');
    expect(error.message).toBe(
      "The ID token is invalid: its issuer is not the org URL; with a custom URL domain, set the app's Issuer (its Sign On tab) to orgUrl's URL, or Dynamic.",
    );
    expect(error.message).not.toContain('evil.example.com');
  });
});
