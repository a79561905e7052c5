/**
 * A fleet whose hosts' clocks disagree by seconds (skew166, from rev166b): process Y, its clock 5 s behind, renewed the
 * user's tokens first (a forced renewal, a 401 after an admin revoked the access tokens) and stored T1, spending T0's
 * refresh token; when X's own renewal came due, X chose between its T0 and the stored T1 by their `expiresAt`, each
 * written on its writer's clock, so Y's newer T1 looked older, X renewed from the spent T0 (`invalid_grant`) and the user
 * was signed out on every process. Two user credentials of one app on one shared storage with a single flight (a lock
 * per key, as the Redis store's: okta-token-store-redis's user-single-flight tests), each client on its own clock (its
 * `now`), the org rotating refresh tokens with no grace period.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { expect, it } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { createMemoryStorage } from './storage.js';
import { fleetStorage, lockedFleet, refreshTokensSent } from './test-helpers/fleet-storage.js';
import { clientFor, postLogoutRedirectUri, redirectUri, signIn, signInFailure, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg({ tokenLifetimeSeconds: 120 });

/**
 * X (clock 5 s ahead) signs in and stores T0; Y (5 s behind) restores it and renews first (forced), storing T1; then
 * real time (and the org's clock) moves 65 s, to X's renewal point, and X then Y call the org's API.
 */
async function skewedFleet(storage: OktaStorage) {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 });
  /** Real time moved on by the test (the org's clock too). */
  let passedMs = 0;
  const { fetch, sent } = refreshTokensSent();
  const host = (skewMs: number) => clientFor(env.org, app, { fetch, now: () => Date.now() + skewMs + passedMs });
  const [x, y] = [host(5000), host(-5000)];
  const storageKey = tokensKeyOf(app.clientId);
  const { tokens } = await signIn(x);
  const onX = x.credential(tokens, { storage, storageKey });
  await onX.getAccessToken();
  const onY = (await y.restoreCredential({ storage, storageKey }))!;
  await onY.getAccessToken({ forceRefresh: true });
  const renewedOnY = onY.tokens!;
  expect(renewedOnY.refreshToken!.reveal()).not.toBe(tokens.refreshToken!.reveal());
  // X's renewal point (its tokens' lifetime 120 s, the margin 60 s) on every clock.
  passedMs = 65_000;
  env.org.setClockOffset(65);
  // One after the other: without a single flight two processes renewing at once race whatever their clocks.
  const calls: number[] = [];
  for (const credential of [onX, onY]) calls.push((await createOktaFetch({ credential })(env.userPath)).status);
  return { calls, onX, onY, sent, spent: [tokens.refreshToken!.reveal(), renewedOnY.refreshToken!.reveal()] };
}

it('a process whose clock is behind renews first (a shared store with a single flight): the other renews from its stored renewal, never from the refresh token it spent, and both stay signed in', async () => {
  const { calls, onX, onY, sent, spent } = await skewedFleet(lockedFleet().storage);
  expect(calls).toEqual([200, 200]);
  expect(onY.tokens!.accessToken.reveal()).toBe(onX.tokens!.accessToken.reveal());
  // Each refresh token spent once: T0 by Y, Y's T1 by X.
  expect(sent).toEqual(spent);
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

it('the same over a shared storage without a single flight (the token cache\'s own choice of what to renew from)', async () => {
  const { calls, sent, spent } = await skewedFleet(createMemoryStorage());
  expect(calls).toEqual([200, 200]);
  expect(sent).toEqual(spent);
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

it("never renews from tokens its own late write left in storage: a stored refresh token it renewed from is older, not another process's", async () => {
  let passedMs = 0;
  const { fetch, sent } = refreshTokensSent();
  const client = env.spa({ fetch, now: () => Date.now() + passedMs }, 'rotate');
  let lose = true;
  let failSet = false;
  const locked = lockedFleet();
  // The first renewal's flight loses its write's answer (the credential writes it itself), and that write fails: storage keeps T0.
  const fleet = fleetStorage((memory, key, obtain, options) => {
    if (!lose) return locked.storage.singleFlight!(key, obtain, options);
    lose = false;
    failSet = true;
    return obtain().then(() => Promise.reject(new Error('Durable Object reset because its code was updated.')));
  });
  const storage: OktaStorage = { ...fleet.storage, get: (key) => locked.storage.get(key), set: (key, value) => (failSet ? ((failSet = false), Promise.reject(new Error('storage down'))) : locked.storage.set(key, value)) };
  const { tokens } = await signIn(client);
  const credential = client.credential(tokens, { storage, storageKey: tokensKeyOf(client.clientId) });
  await credential.getAccessToken();
  passedMs += 65_000;
  env.org.setClockOffset(passedMs / 1000);
  // T1 is held back until written (never handed out): storage holds T0, whose refresh token the renewal spent.
  await expect(credential.getAccessToken()).rejects.toThrow('storage down');
  expect(locked.memory.get(tokensKeyOf(client.clientId))).toBe(JSON.stringify(tokens.toStorable()));
  expect(sent).toEqual([tokens.refreshToken!.reveal()]);
  passedMs += 65_000;
  env.org.setClockOffset(passedMs / 1000);
  expect((await createOktaFetch({ credential })(env.userPath)).status).toBe(200);
  // From T1's refresh token, not T0's again.
  expect(sent).toHaveLength(2);
  expect(sent[1]).not.toBe(tokens.refreshToken!.reveal());
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
});

it("a refresh token Okta refused on another process: this one's renewal says the session ended, not that the user signed out", async () => {
  let passedMs = 0;
  const host = () => env.spa({ now: () => Date.now() + passedMs }, 'rotate');
  const x = host();
  const y = clientFor(env.org, { clientId: x.clientId }, { now: () => Date.now() + passedMs });
  const { storage } = lockedFleet();
  const storageKey = tokensKeyOf(x.clientId);
  const { tokens } = await signIn(x);
  const onX = x.credential(tokens, { storage, storageKey });
  await onX.getAccessToken();
  const onY = (await y.restoreCredential({ storage, storageKey }))!;
  passedMs = 65_000;
  env.org.setClockOffset(65);
  env.org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'invalid_grant' }, count: 1 });
  const onXError = await signInFailure(onX.getAccessToken());
  expect([onXError.code, onXError.message]).toEqual(['LOGIN_REQUIRED', 'Okta rejected the refresh token (expired, revoked, already used, or the user deactivated): sign in again.']);
  const onYError = await signInFailure(onY.getAccessToken());
  expect([onYError.code, onYError.message]).toEqual(['LOGIN_REQUIRED', 'The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.']);
});
