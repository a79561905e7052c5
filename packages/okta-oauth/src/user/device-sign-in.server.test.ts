/**
 * Device sign-in (RFC 8628) over real HTTP against @org/okta-emulator: the test plays the user
 * approving on another device; polling through authorization_pending and slow_down, a skewed org
 * clock, denial, expiry and cancellation.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { activateDevice } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SignInClient, SignInClientOptions } from './sign-in-client.js';
import { login, password, redirectUri, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});

const { client } = env;

describe('device sign-in', () => {
  /** The device grant is for native apps only, as at Okta. */
  const native = (options: Partial<SignInClientOptions> = {}): SignInClient =>
    client(org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), options);

  /**
   * A clock the org and the client share, which only `sleep` moves: `Date` stands still (the
   * emulator runs in this process and reads it), so the real time a poll takes on a loaded machine
   * (seconds) neither brings the device code's expiry forward nor makes a poll look early to the
   * org, which judges the interval in whole seconds (a request that took over 500 ms to arrive
   * once did: slow_down). Timers stay real.
   */
  function stillClock() {
    vi.useFakeTimers({ toFake: ['Date'] });
    const clock = { now: Date.now() };
    return { clock, sleep: (ms: number) => ((clock.now += ms), vi.setSystemTime(clock.now), Promise.resolve()) };
  }
  afterEach(() => {
    vi.useRealTimers();
  });

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
    const { clock, sleep } = stillClock();
    const signInClient = native({
      now: () => clock.now,
      sleep: async (ms) => {
        waits.push(ms);
        // The first two waits are cut short (the org's clock stands still: however long the first
        // poll took), so Okta sees the second poll come too fast and answers slow_down; during the
        // third, the user approves on their phone.
        if (waits.length === 3) {
          await sleep(ms);
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

  it('stops polling at the first terminal answer: a later poll() gives the same refusal without asking Okta again', async () => {
    const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
    // The org's clock a minute ahead: past the 30 s skew that earns a token request one re-signed retry, which a denial must not get.
    const denied = await native({ sleep: () => (org.setClockOffset(60), Promise.resolve()) }).startDeviceSignIn();
    org.denyDevice(denied.userCode);
    org.resetCounters();
    const first = await failure(denied.poll());
    expect(first.code).toBe('ACCESS_DENIED');
    expect(await failure(denied.poll())).toBe(first);
    expect(org.counters().tokenRequests[deviceGrant]).toEqual({ access_denied: 1 });

    // Okta's expired_token, on the org's clock (an hour ahead): the client's own clock still says the code is good.
    const expiring = await native({ sleep: () => (org.setClockOffset(3600), Promise.resolve()) }).startDeviceSignIn();
    org.resetCounters();
    const expired = await failure(expiring.poll());
    expect(expired).toMatchObject({ code: 'DEVICE_CODE_EXPIRED', error: 'expired_token' });
    expect(await failure(expiring.poll())).toBe(expired);
    expect(org.counters().tokenRequests[deviceGrant]).toEqual({ expired_token: 1 });
    org.setClockOffset(0);
  });

  it('hands the tokens out once: after sign-out, a later poll() is INVALID_CONFIG, not the revoked tokens again', async () => {
    const signInClient = native({ sleep: fastSleep([]) });
    const device = await signInClient.startDeviceSignIn();
    org.approveDevice(device.userCode, login);
    const { tokens } = await device.poll();
    const { revoked } = await signInClient.signOut(tokens);
    expect(revoked).toEqual(['refresh_token', 'access_token']);
    org.resetCounters();
    const again = await failure(device.poll());
    expect(again).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/already finished.*start a new device sign-in/) });
    expect(org.counters().tokenRequests).toEqual({});
  });

  it('stops at expires_in on its own clock without asking again', async () => {
    const { clock, sleep } = stillClock();
    // The first poll takes 600 ms to arrive, as on a loaded machine: before, the org's clock moved on meanwhile and the next poll looked early.
    org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 600, count: 1 });
    const device = await native({ now: () => clock.now, sleep }).startDeviceSignIn();
    expect((await failure(device.poll())).code).toBe('DEVICE_CODE_EXPIRED');
    // Every poll was still pending: the client gave up at expires_in (600 s, one poll per 5 s) instead of asking Okta.
    expect(org.counters().tokenRequests['urn:ietf:params:oauth:grant-type:device_code']).toEqual({ authorization_pending: 119 });
  });

  it('says a device sign-in needs a native app when a web app or a SPA starts one', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    for (const signInClient of [client(web), client(spa)]) {
      const error = await failure(signInClient.startDeviceSignIn());
      expect(error).toMatchObject({ code: 'OAUTH_ERROR', error: 'unauthorized_client' });
      expect(error.message).toMatch(/Device sign-in needs a Native app .*Device Authorization/);
    }
  });

  it("an endpoint's refusal carries Okta's error and description, its status and request id, and nothing of a 429's", async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const error = await failure(client(web).startDeviceSignIn());
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 400, error: 'unauthorized_client', error_description: expect.any(String), requestId: expect.any(String) });
    expect(error.message).toContain(`refused the request (400 unauthorized_client): ${error.error_description}`);
    expect(error.message.endsWith(`, request ${error.requestId})`)).toBe(true);
    expect([error.rateLimit, 'description' in error, 'waitMs' in error]).toEqual([undefined, false, false]);
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
