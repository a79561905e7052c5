/**
 * User sign-in over real HTTP against @org/okta-emulator: the test plays the
 * user by filling the emulator's sign-in form with fetch.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { activateDevice, fillSignInForm } from '@org/okta-test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SignInClient, SignInClientOptions } from './sign-in-client.js';
import { clientFor, idTokenCorruptions, login, password, redirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
let org: OktaEmulator;
/** An Okta API the signed-in admin may call: their own user, by id (`/api/v1/users/me` answers with the token's user too, as at Okta). */
let userPath: string;
beforeEach(() => {
  ({ org, userPath } = env);
});

const client = (app: { clientId: string; clientSecret?: string }, options: Partial<SignInClientOptions> = {}): SignInClient => clientFor(org, app, options);
const spa = (options: Partial<SignInClientOptions> = {}, rotation?: 'rotate' | 'static'): SignInClient => spaOf(org, options, rotation);

describe('sign-in over HTTP', () => {
  it('signs a user in through the sign-in form and calls an Okta API as that user (SPA, public client)', async () => {
    const signInClient = spa();
    const { url, transaction } = await signInClient.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    expect(new URL(callback).searchParams.get('iss')).toBe(org.url);
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
    const signInClient = spa();
    const fetches = (path: string) => org.counters().requests[`GET ${path}`] ?? 0;
    await signIn(signInClient);
    await signIn(signInClient);
    expect(fetches('/oauth2/v1/keys')).toBe(1);
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

  it('refuses a wrong iss', async () => {
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
    // The same client refuses the used transaction itself; another client (process) reaches Okta, which refuses the code.
    const replay = await failure(signInClient.finishSignIn(callback, transaction));
    expect(replay.code).toBe('STATE_MISMATCH');
    expect(replay.message).toMatch(/already used/);
    expect(org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
    const error = await failure(spa().finishSignIn(callback, transaction));
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
});

describe('the user credential', () => {
  async function expiredLater(rotation: 'rotate' | 'static') {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now }, rotation);
    const { tokens } = await signIn(signInClient);
    const saved: (UserTokens | null)[] = [];
    const credential = signInClient.credential(tokens, { onTokens: (t) => void saved.push(t) });
    // An hour later, on both clocks.
    clock.now += 3600_000;
    org.setClockOffset(3600);
    return { signInClient, tokens, credential, saved };
  }

  it('renews an expired access token on the next request, following rotation', async () => {
    const { tokens, credential, saved } = await expiredLater('rotate');
    const okta = createOktaFetch({ credential });
    expect((await okta(userPath)).status).toBe(200);
    expect(saved).toHaveLength(1);
    const renewed = saved[0]!;
    expect(credential.tokens).toBe(renewed);
    expect(renewed.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
    expect(renewed.refreshToken?.reveal()).not.toBe(tokens.refreshToken?.reveal());
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
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
    const answers = await Promise.all(Array.from({ length: 5 }, () => okta(userPath)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(saved).toHaveLength(1);
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('keeps the current token when an early renewal fails for a passing reason, and reports the failure once it expired', async () => {
    const clock = { now: Date.now() };
    const signInClient = spa({ now: () => clock.now });
    const { tokens } = await signIn(signInClient);
    const credential = signInClient.credential(tokens);
    clock.now += 3600_000 - 30_000; // inside the renewal window, not yet expired
    org.setClockOffset(3570);
    const unavailable = { path: '/oauth2/v1/token', kind: 'status', status: 503, body: { error: 'temporarily_unavailable' }, count: 1 } as const;
    org.injectFault(unavailable);
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    // Early renewal pauses briefly after a failure instead of making every request wait on it.
    expect((await credential.getAccessToken()).reveal()).toBe(tokens.accessToken.reveal());
    expect(org.counters().requests['POST /oauth2/v1/token']).toBe(2); // the code exchange and the failed renewal
    clock.now += 60_000; // now expired: the failure must surface
    org.setClockOffset(3630);
    org.injectFault(unavailable);
    const error = await failure(credential.getAccessToken());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.error).toBe('temporarily_unavailable');
    expect(credential.tokens).toBe(tokens);
  });

  it('retries once with a renewed token after a 401 invalid_token from an Okta API', async () => {
    const signInClient = spa();
    const { tokens } = await signIn(signInClient);
    const okta = createOktaFetch({ credential: signInClient.credential(tokens) });
    org.revokeAccessTokens();
    expect((await okta(userPath)).status).toBe(200);
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
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
    const app = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true });
    const clock = { now: Date.now() };
    const signInClient = client(app, { dpop: 'required', now: () => clock.now });
    const { tokens } = await signIn(signInClient);
    expect(tokens.tokenType).toBe('DPoP');
    const credential = signInClient.credential(tokens);
    const okta = createOktaFetch({ credential });
    expect((await okta(userPath)).status).toBe(200);
    clock.now += 3600_000;
    org.setClockOffset(3600);
    expect((await okta(userPath)).status).toBe(200);
    expect(credential.tokens?.tokenType).toBe('DPoP');
    expect(credential.tokens?.accessToken.reveal()).not.toBe(tokens.accessToken.reveal());
  });
});

describe('device sign-in', () => {
  /** The device grant is for native apps only, as at Okta. */
  const native = (options: Partial<SignInClientOptions> = {}): SignInClient =>
    client(org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), options);

  /** A sleep that moves the emulator's clock instead of waiting, recording each wait. */
  function fastSleep(waits: number[], offset = { seconds: 0 }) {
    return (ms: number) => {
      waits.push(ms);
      offset.seconds += ms / 1000;
      org.setClockOffset(offset.seconds);
      return Promise.resolve();
    };
  }

  it('polls until the user approves on another device', async () => {
    const waits: number[] = [];
    const signInClient = native({ sleep: fastSleep(waits) });
    const device = await signInClient.startDeviceSignIn();
    expect(device.verificationUri).toBe(`${org.url}/activate`);
    expect(device.verificationUriComplete).toContain(device.userCode);
    org.approveDevice(device.userCode, login);
    const { tokens, claims } = await device.poll();
    expect(tokens.refreshToken?.reveal()).toMatch(/^[\w-]{40,}$/);
    expect(claims?.preferred_username ?? claims?.email).toBe(login);
    expect(waits[0]).toBe(5000);
  });

  it('waits longer after slow_down and keeps polling through authorization_pending', async () => {
    const waits: number[] = [];
    let userCode = '';
    const signInClient = native({
      sleep: async (ms) => {
        waits.push(ms);
        // The first two waits are cut short, so Okta sees the second poll come too fast and
        // answers slow_down; during the third, the user approves on their phone.
        if (waits.length === 3) {
          org.setClockOffset(ms / 1000);
          await activateDevice(org.url, userCode, login, password);
        }
      },
    });
    const device = await signInClient.startDeviceSignIn();
    userCode = device.userCode;
    const { tokens } = await device.poll();
    expect(tokens.accessToken.reveal()).not.toBe('');
    expect(waits).toEqual([5000, 5000, 10_000]);
  });

  it('polls once per interval when the org clock is skewed (no re-signed retry for authorization_pending)', async () => {
    // A minute ahead: past the 30 s skew that earns token requests one re-signed retry,
    // within the ID token's 120 s tolerance.
    const offset = { seconds: 60 };
    org.setClockOffset(offset.seconds);
    let userCode = '';
    const waits: number[] = [];
    const signInClient = native({
      sleep: async (ms) => {
        waits.push(ms);
        offset.seconds += ms / 1000;
        org.setClockOffset(offset.seconds);
        if (waits.length === 3) await activateDevice(org.url, userCode, login, password);
      },
    });
    org.resetCounters();
    const device = await signInClient.startDeviceSignIn();
    userCode = device.userCode;
    await device.poll();
    const deviceGrant = org.counters().tokenRequests['urn:ietf:params:oauth:grant-type:device_code'] ?? {};
    expect(deviceGrant).toEqual({ authorization_pending: 2, success: 1 });
    org.setClockOffset(0);
  });

  it('reports access_denied and expired_token', async () => {
    const signInClient = native({ sleep: fastSleep([]) });
    const denied = await signInClient.startDeviceSignIn();
    org.denyDevice(denied.userCode);
    expect((await failure(denied.poll())).code).toBe('ACCESS_DENIED');

    const offset = { seconds: 0 };
    const slowClient = native({ sleep: (ms) => ((offset.seconds += ms / 1000 + 60), org.setClockOffset(offset.seconds), Promise.resolve()) });
    const expiring = await slowClient.startDeviceSignIn();
    expect((await failure(expiring.poll())).code).toBe('DEVICE_CODE_EXPIRED');
  });

  it('stops at expires_in on its own clock without asking again', async () => {
    // The org's clock follows the client's, so real time spent polling (seconds, on a loaded
    // machine) does not bring the device code's expiry forward. The org judges the interval in
    // whole seconds; its clock is set half a second past a whole second before each request, so
    // the real milliseconds a request takes to arrive (under 500) never move a poll across a
    // second and make it look early (a slow_down that a loaded CI once saw).
    const clock = { now: Math.floor(Date.now() / 1000) * 1000 + 500 };
    const follow = () => org.setClockOffset((clock.now - Date.now()) / 1000);
    const sleep = (ms: number) => ((clock.now += ms), follow(), Promise.resolve());
    follow();
    const device = await native({ now: () => clock.now, sleep }).startDeviceSignIn();
    expect((await failure(device.poll())).code).toBe('DEVICE_CODE_EXPIRED');
    // Every poll was still pending: the client gave up at expires_in (600 s, one poll per 5 s) instead of asking Okta.
    expect(org.counters().tokenRequests['urn:ietf:params:oauth:grant-type:device_code']).toEqual({ authorization_pending: 119 });
  });

  it('stops when cancelled', async () => {
    const signInClient = native();
    const device = await signInClient.startDeviceSignIn();
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
