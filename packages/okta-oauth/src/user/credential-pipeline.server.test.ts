/**
 * The user credential on the one token pipeline (token-cache/ + credential/token-credential.ts),
 * against @org/okta-emulator over HTTP: the same renewal rule as a service token
 * (`renewalMarginMs`, `renewBeforeSeconds` as its floor), one refresh grant however many callers
 * wait, and a 401 `invalid_token` answered by one refresh and one retry. Time is the client's
 * injected clock; the org's clock is moved with it.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import { renewalMarginMs } from '../token-cache/renewal.js';
import { isOktaSignInError } from './errors.js';
import type { SignInClientOptions } from './sign-in-client.js';
import { signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});

/** A client on an injected clock; `at(ms)` sets it (and the org's) to `ms` after sign-in time. */
function clockedSpa(options: Partial<SignInClientOptions> = {}) {
  const start = Date.now();
  const clock = { now: start };
  const client = spaOf(org, { now: () => clock.now, ...options });
  const at = (ms: number): void => {
    clock.now = start + ms;
    org.setClockOffset((clock.now - Date.now()) / 1000);
  };
  return { client, at };
}

const refreshes = () => org.counters().tokenRequests.refresh_token?.success ?? 0;
const lifetimeMs = 3600_000; // the emulator's (and Okta's) access-token lifetime

describe('the user credential on the token pipeline', () => {
  it.each([
    [undefined, renewalMarginMs(lifetimeMs)],
    [600, renewalMarginMs(lifetimeMs, 600_000)],
  ])('renews a one-hour user token by the service rule (renewBeforeSeconds %s → %i ms before expiry)', async (renewBeforeSeconds, margin) => {
    const { client, at } = clockedSpa();
    const credential = client.credential(await signIn(client), renewBeforeSeconds === undefined ? {} : { renewBeforeSeconds });
    const first = credential.tokens?.accessToken.reveal();
    at(lifetimeMs - margin - 1000); // a second before the margin: still the signed-in token
    expect((await credential.getAccessToken()).reveal()).toBe(first);
    expect(refreshes()).toBe(0);
    at(lifetimeMs - margin + 1000); // a second into it: renewed
    expect((await credential.getAccessToken()).reveal()).not.toBe(first);
    expect(refreshes()).toBe(1);
  });

  it('makes one refresh grant for concurrent callers of an expiring token', async () => {
    const { client, at } = clockedSpa();
    const credential = client.credential(await signIn(client));
    at(lifetimeMs);
    const tokens = await Promise.all(Array.from({ length: 12 }, () => credential.getAccessToken()));
    expect(new Set(tokens.map((t) => t.reveal())).size).toBe(1);
    expect(refreshes()).toBe(1);
  });

  it('answers a 401 invalid_token on a user token with one refresh and one retry', async () => {
    const client = spaOf(org);
    const published: unknown[] = [];
    const credential = client.credential(await signIn(client), { onTokens: (next) => void published.push(next) });
    const okta = createOktaFetch({ credential, retry: false });
    const refused = credential.tokens?.accessToken.reveal();
    org.revokeAccessTokens(); // the fresh token now answers 401 invalid_token
    const response = await okta('/api/v1/users?limit=2');
    expect(response.status).toBe(200);
    expect(refreshes()).toBe(1);
    expect(published).toHaveLength(1);
    expect(credential.tokens?.accessToken.reveal()).not.toBe(refused);
    expect(org.counters().requests['GET /api/v1/users']).toBe(2); // the refused call and its one retry
  });

  it('ends a refused user token without a refresh token in LOGIN_REQUIRED, with no refresh grant', async () => {
    const client = spaOf(org, { scopes: ['openid', 'okta.users.read'] });
    const credential = client.credential(await signIn(client));
    org.revokeAccessTokens();
    const error = await createOktaFetch({ credential, retry: false })('/api/v1/users?limit=2').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaSignInError(error) && error.code).toBe('LOGIN_REQUIRED');
    expect(org.counters().tokenRequests.refresh_token).toBeUndefined();
  });

  it('keeps using a still-valid token when an early renewal fails for a passing reason', async () => {
    const { client, at } = clockedSpa();
    const credential = client.credential(await signIn(client));
    const first = credential.tokens?.accessToken.reveal();
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 503, count: 1 });
    at(lifetimeMs - 60_000); // inside the margin, not expired
    expect((await credential.getAccessToken()).reveal()).toBe(first);
    at(lifetimeMs + 1000); // expired: a renewal is a must, and the org answers again
    expect((await credential.getAccessToken()).reveal()).not.toBe(first);
    expect(refreshes()).toBe(1);
  });
});
