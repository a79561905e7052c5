/**
 * ID tokens checked on the org's clock over real HTTP against @org/okta-emulator: the time of
 * the claims (`iat`, `exp`, `nbf`, `auth_time`) is the `Date` of the token answer that carried the
 * ID token, so a device whose clock is hours off still signs in by code, by device and refreshes,
 * with both entries. A `Date` more than a day off, or none, leaves the local clock; the
 * `clockSkewSeconds` tolerance applies on top of the org's time.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { leanSignInClient as createLeanSignInClient } from './test-helpers/sign-in-org.js';
import type { SignInClientBase, SignInClientOptions } from './sign-in-options.js';
import { clientFor, login, password, redirectUri, signIn, signInEntries, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { UserTokens } from './tokens.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});

const threeHours = 3 * 3600;
const day = 86_400;
const offsets = [
  ['ahead of', threeHours],
  ['behind', -threeHours],
] as const;

/** The same tokens with an access token that has expired: the credential refreshes before its first request. */
function expired(tokens: UserTokens): UserTokens {
  return new UserTokens({
    accessToken: tokens.accessToken.reveal(),
    tokenType: tokens.tokenType,
    expiresAt: Date.now() - 1000,
    refreshToken: tokens.refreshToken?.reveal(),
    idToken: tokens.idToken?.reveal(),
    scope: tokens.scopes.join(' '),
  });
}

/** The org's time in seconds, on its clock `offsetSeconds` from the local one: read before and after a step, it brackets the `iat` of an ID token issued during it. */
const orgNow = (offsetSeconds: number) => Date.now() / 1000 + offsetSeconds;
/** Expects `iat` to be the time of an ID token issued between `from` and `to` (the org's time read before and after, whatever real time passed). */
function expectIssuedBetween(iat: number | undefined, from: number, to: number): void {
  expect(iat).toBeGreaterThanOrEqual(Math.floor(from));
  expect(iat).toBeLessThanOrEqual(to);
}

describe.each(signInEntries)('ID tokens on the org clock, %s', (_, create) => {
  const spa = (options: Partial<SignInClientOptions> = {}): SignInClientBase => spaOf(org, options, undefined, create);

  for (const [where, seconds] of offsets) {
    it(`signs in by code with the org's clock 3 hours ${where} the local one`, async () => {
      org.setClockOffset(seconds);
      const from = orgNow(seconds);
      const { tokens, claims } = await signIn(spa());
      expectIssuedBetween(claims?.iat, from, orgNow(seconds));
      expect(claims?.preferred_username).toBe(login);
      expect(tokens.idToken?.reveal()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it(`refreshes (a new ID token) after the org's clock moved 3 hours ${where} the local one`, async () => {
      const client = spa();
      const { tokens, claims } = await signIn(client);
      org.setClockOffset(seconds);
      const credential = client.credential({ tokens: expired(tokens), claims });
      const from = orgNow(seconds);
      expect((await createOktaFetch({ credential })(env.userPath)).status).toBe(200);
      expectIssuedBetween(credential.claims?.iat, from, orgNow(seconds));
      expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
      expect(credential.claims?.sub).toBe(claims?.sub);
    });
  }

  it('keeps the local clock for a Date more than a day off: an ID token expired or issued in the future by it stays refused', async () => {
    // The org two days behind: its token (exp an hour after its iat) expired a day and more ago here.
    org.setClockOffset(-2 * day);
    let error = await failure(signIn(spa()));
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.reason).toBe('expired');
    org.setClockOffset(2 * day);
    error = await failure(signIn(spa()));
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.reason).toBe('issued-in-future');
  });

  it('keeps the local clock for a token answer without Date', async () => {
    org.injectFault({ path: '/oauth2/v1/token', kind: 'headers', headers: { Date: '' }, count: 1 });
    await expect(signIn(spa())).resolves.toMatchObject({ claims: { preferred_username: login } });
    org.setClockOffset(threeHours);
    org.injectFault({ path: '/oauth2/v1/token', kind: 'headers', headers: { Date: '' }, count: 1 });
    const error = await failure(signIn(spa()));
    expect(error.code).toBe('ID_TOKEN_INVALID');
    expect(error.reason).toBe('issued-in-future');
  });

  /**
   * Signs in with `client`, the token answer dated exactly `seconds` before the code exchange: `Date`
   * stands still for the exchange (the org runs in this process, so its clock too), or real time on
   * a loaded machine would add to the gap.
   */
  const signInDatedEarlier = async (client: SignInClientBase, seconds: number) => {
    const { url, transaction } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    try {
      org.injectFault({ path: '/oauth2/v1/token', kind: 'headers', headers: { Date: new Date(Date.now() - seconds * 1000).toUTCString() }, count: 1 });
      return await client.finishSignIn(callback, transaction);
    } finally {
      vi.useRealTimers();
    }
  };

  it("keeps clockSkewSeconds as the tolerance on top of the org's time", async () => {
    // The org's clock is the local one, but the token answer's Date says it is 100 s, then 300 s, earlier:
    // the ID token's iat is that far in the future of the org's time, within 120 s, then beyond.
    const client = spa({ clockSkewSeconds: 120 });
    await expect(signInDatedEarlier(client, 100)).resolves.toMatchObject({ claims: { preferred_username: login } });
    expect((await failure(signInDatedEarlier(client, 300))).reason).toBe('issued-in-future');
  });

  it('takes 120 s of clock skew by default: an iat exactly 120 s ahead of the org is accepted, 121 s refused', async () => {
    const client = spa();
    await expect(signInDatedEarlier(client, 120)).resolves.toMatchObject({ claims: { preferred_username: login } });
    expect((await failure(signInDatedEarlier(client, 121))).reason).toBe('issued-in-future');
  });
});

describe('signed token requests on the org clock', () => {
  // The first request, signed with the local time, is refused; the one re-signed with the time of
  // Okta's Date brings the ID token, checked on the Date of that answer.
  it("signs in with DPoP (@org/okta-oauth) and with privateKeyJwt (@org/okta-oauth/sign-in), the org's clock 3 hours ahead", async () => {
    org.setClockOffset(threeHours);
    const dpopApp = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true });
    let from = orgNow(threeHours);
    const dpop = await signIn(clientFor(org, dpopApp, { dpop: 'required' }));
    expectIssuedBetween(dpop.claims?.iat, from, orgNow(threeHours));
    expect(dpop.tokens.tokenType).toBe('DPoP');
    const keyApp = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt' });
    const clientAuth = privateKeyJwt(keyApp.privateKeyPem ?? '', { keyId: keyApp.keyId });
    from = orgNow(threeHours);
    const key = await signIn(clientFor(org, { clientId: keyApp.clientId }, { clientAuth }, createLeanSignInClient));
    expectIssuedBetween(key.claims?.iat, from, orgNow(threeHours));
    expect(org.counters().tokenRequests.authorization_code?.success).toBe(2);
  });
});

describe('device sign-in on the org clock', () => {
  for (const [where, seconds] of offsets) {
    it(`signs in on another device with the org's clock 3 hours ${where} the local one`, async () => {
      const offset = { seconds };
      org.setClockOffset(offset.seconds);
      // A sleep that moves the org's clock instead of waiting.
      const sleep = (ms: number) => {
        offset.seconds += ms / 1000;
        org.setClockOffset(offset.seconds);
        return Promise.resolve();
      };
      const client = clientFor(org, org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), { sleep });
      const from = orgNow(offset.seconds);
      const device = await client.startDeviceSignIn();
      org.approveDevice(device.userCode, login);
      const { claims } = await device.poll();
      expectIssuedBetween(claims?.iat, from, orgNow(offset.seconds));
      expect(claims?.preferred_username).toBe(login);
    });
  }
});
