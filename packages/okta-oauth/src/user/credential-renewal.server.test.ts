/**
 * The signed-in user's credential renewing its tokens over real HTTP against @org/okta-emulator:
 * an expired access token renewed on the next request (with and without refresh-token rotation),
 * one refresh for concurrent requests, a failed early renewal, a 401 from an Okta API, a revoked
 * refresh token, DPoP-bound tokens, and two credentials of one user sharing a storage.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';
import { createMemoryStorage } from './storage.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
const { client, spa } = env;

describe('the user credential', () => {
  async function expiredLater(rotation: 'rotate' | 'static') {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now }, rotation);
    const { tokens } = await signIn(signInClient);
    const saved: (UserTokens | null)[] = [];
    const credential = signInClient.credential(tokens, { onTokens: (t) => void saved.push(t) });
    // An hour later, on both clocks.
    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    return { signInClient, tokens, credential, saved };
  }

  it('renews an expired access token on the next request, following rotation', async () => {
    const { tokens, credential, saved } = await expiredLater('rotate');
    const okta = createOktaFetch({ credential });
    expect((await okta(env.userPath)).status).toBe(200);
    expect(saved).toHaveLength(1);
    const renewed = saved[0]!;
    expect(credential.tokens).toBe(renewed);
    expect(renewed.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
    expect(renewed.refreshToken?.reveal()).not.toBe(tokens.refreshToken?.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('keeps the refresh token without rotation', async () => {
    const { tokens, credential, saved } = await expiredLater('static');
    await credential.getAccessToken();
    expect(saved[0]?.refreshToken?.reveal()).toBe(tokens.refreshToken?.reveal());
    expect(saved[0]?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  });

  it('refreshes once for concurrent requests', async () => {
    const { credential, saved } = await expiredLater('rotate');
    const okta = createOktaFetch({ credential });
    const answers = await Promise.all(Array.from({ length: 5 }, () => okta(env.userPath)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(saved).toHaveLength(1);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('keeps the current token when an early renewal fails for a passing reason, and reports the failure once it expired', async () => {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now });
    const { tokens } = await signIn(signInClient);
    const credential = signInClient.credential(tokens);
    clock.now += 3600_000 - 30_000; // inside the renewal window, not yet expired
    env.org.setClockOffset(3570);
    const unavailable = { path: '/oauth2/v1/token', kind: 'status', status: 503, body: { error: 'temporarily_unavailable' }, count: 1 } as const;
    env.org.injectFault(unavailable);
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    // Early renewal pauses briefly after a failure instead of making every request wait on it.
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    expect(env.org.counters().requests['POST /oauth2/v1/token']).toBe(2); // the code exchange and the failed renewal
    clock.now += 60_000; // now expired: the failure must surface
    env.org.setClockOffset(3630);
    env.org.injectFault(unavailable);
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.error).toBe('temporarily_unavailable');
    expect(credential.tokens).toBe(tokens);
  });

  it('retries once with a renewed token after a 401 invalid_token from an Okta API', async () => {
    const signInClient = spa();
    const { tokens } = await signIn(signInClient);
    const okta = createOktaFetch({ credential: signInClient.credential(tokens) });
    env.org.revokeAccessTokens();
    expect((await okta(env.userPath)).status).toBe(200);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('asks the user to sign in again when the refresh token was revoked', async () => {
    const { signInClient, tokens, credential, saved } = await expiredLater('rotate');
    await signInClient.signOut(tokens);
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.error).toBe('invalid_grant');
    expect(saved).toEqual([null]);
    expect(credential.tokens).toBeUndefined();
    expect((await failure(credential.getAccessToken())).code).toBe('LOGIN_REQUIRED');
  });

  it('works with DPoP-bound tokens when the app requires DPoP', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true });
    const clock = { now: Date.now() };
    const signInClient = client(app, { dpop: 'required', now: () => clock.now });
    const { tokens } = await signIn(signInClient);
    expect(tokens.tokenType).toBe('DPoP');
    const credential = signInClient.credential(tokens);
    const okta = createOktaFetch({ credential });
    expect((await okta(env.userPath)).status).toBe(200);
    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    expect((await okta(env.userPath)).status).toBe(200);
    expect(credential.tokens?.tokenType).toBe('DPoP');
    expect(credential.tokens?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  });

  // Two tabs (or two server processes on one Redis) of one user share a storage key, and only
  // one was busy when the tokens were renewed. The idle one renewing later must spend the
  // refresh token the busy one stored, not its own rotated one: Okta answers a rotated refresh
  // token past its grace period with invalid_grant and revokes the whole family (reuse
  // detection), which signed the user out of both.
  it('renews with the refresh token another credential of the same user stored, not its own rotated one', async () => {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now }, 'rotate');
    const later = (seconds: number) => {
      clock.now += seconds * 1000;
      env.org.setClockOffset((clock.now - Date.now()) / 1000);
    };
    const storage = createMemoryStorage();
    const busy = signInClient.credential(await signIn(signInClient), { storage });
    const idle = await signInClient.restoreCredential({ storage });
    later(3600);
    await busy.getAccessToken(); // renewed and stored; the first refresh token is rotated
    later(7200); // both access tokens expired, the rotated refresh token's grace long over
    const okta = createOktaFetch({ credential: idle! });
    expect((await okta(env.userPath)).status).toBe(200);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    // Nobody was signed out: the busy credential picks the idle one's renewal up.
    expect((await createOktaFetch({ credential: busy })(env.userPath)).status).toBe(200);
    expect(busy.tokens?.accessToken.reveal()).toBe(idle?.tokens?.accessToken.reveal());
  });

  it('drops its tokens and the stored ones when the refresh token another credential stored is rejected', async () => {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now }, 'rotate');
    const storage = createMemoryStorage();
    const busy = signInClient.credential(await signIn(signInClient), { storage });
    const idle = (await signInClient.restoreCredential({ storage }))!;
    clock.now += 3600_000;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
    await busy.getAccessToken();
    await signInClient.signOut(busy.tokens!); // revoked at Okta (an admin, say); still in storage
    clock.now += 7200_000;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
    expect((await failure(idle.getAccessToken())).code).toBe('LOGIN_REQUIRED');
    expect(idle.tokens).toBeUndefined();
    expect(await storage.get('okta-oauth:' + signInClient.clientId + ':tokens')).toBeUndefined();
  });
});
