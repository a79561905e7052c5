/**
 * A token's expiry across hosts whose clocks disagree (skew166, from rev166b): a stored `expiresAt` was written on its
 * writer's clock and judged on the reader's, so a process 90 s behind took a token a process 90 s ahead had stored as
 * good for 180 s past its end, sent it expired and got a 401 (an extra round trip each renewal cycle). Expiries are now
 * written and judged on Okta's clock, as each client's server clock knows it from its answers' `Date`: the skews cancel.
 * Two user credentials on one shared storage, each client on its own clock (its `now`), the org's clock moved with time.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import { clientFor, postLogoutRedirectUri, redirectUri, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg({ tokenLifetimeSeconds: 120 });

it("a process 90 s behind never sends a token a process 90 s ahead stored once it has expired: no 401, both stay signed in", async () => {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 });
  /** Real time moved on by the test (the org's clock too). */
  let passedMs = 0;
  const pass = (ms: number) => {
    passedMs += ms;
    env.org.setClockOffset(passedMs / 1000);
  };
  const host = (skewMs: number) => clientFor(env.org, app, { now: () => Date.now() + skewMs + passedMs });
  const [ahead, behind] = [host(90_000), host(-90_000)];
  const storage = createMemoryStorage();
  const storageKey = tokensKeyOf(app.clientId);
  // The host behind signs in (its client learns Okta's clock from the answer), the one ahead restores and renews (so does its).
  const onBehind = behind.credential((await signIn(behind)).tokens, { storage, storageKey });
  await onBehind.getAccessToken();
  const onAhead = (await ahead.restoreCredential({ storage, storageKey }))!;
  await onAhead.getAccessToken({ forceRefresh: true });
  const me = async (credential: typeof onAhead) => (await createOktaFetch({ credential })(env.userPath)).status;
  // Past the renewal point of the tokens each holds, then past the end of the ahead host's renewal (120 s).
  pass(65_000);
  expect(await me(onBehind)).toBe(200);
  pass(85_000);
  expect(await me(onBehind)).toBe(200);
  expect(await me(onAhead)).toBe(200);
  const refused = env.org.requests().filter((request) => request.path === env.userPath && request.status === 401);
  expect(refused).toEqual([]);
});
