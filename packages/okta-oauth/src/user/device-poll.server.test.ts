/**
 * Device sign-in's polling waits (RFC 8628 §3.4, §3.5), over real HTTP: every wait is bounded (by
 * 600 s however many slow_down answers come, and by the code's expiry), slow_down's longer wait
 * outlives a restarted poll, one poll runs at a time, and a finished sign-in's tokens are handed out once.
 * The emulator answers the token requests the test sets (faults); the client's clock and sleep
 * are the test's, so no real time passes.
 */
import { inspect } from 'node:util';
import { activateDevice } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { deviceAnswer, deviceClient, useDeviceOrg } from './test-helpers/device-client.js';
import { login, password } from './test-helpers/sign-in-org.js';

const env = useDeviceOrg();

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
const tokenPath = '/oauth2/v1/token';


/** The token endpoint's next `count` answers: the given OAuth error. */
function tokenAnswers(error: string, count: number): void {
  env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error, error_description: error }, count });
}

describe('device sign-in polling', () => {
  it('grows the wait by 5 s per slow_down, never past 600 s', async () => {
    const { client, waits } = deviceClient(env.org);
    deviceAnswer(env.org, { interval: 592, expires_in: 86_400 });
    const device = await client.startDeviceSignIn();
    tokenAnswers('slow_down', 3);
    tokenAnswers('access_denied', 1);
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([592_000, 597_000, 600_000, 600_000]);
  });

  it("never sleeps past the code's expiry, and then stops without another request", async () => {
    const { client, waits } = deviceClient(env.org);
    deviceAnswer(env.org, { interval: 5, expires_in: 12 });
    const device = await client.startDeviceSignIn();
    tokenAnswers('authorization_pending', 5);
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED', message: expect.stringContaining('start a new device sign-in') });
    expect(waits).toEqual([5000, 5000, 2000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(2);
  });

  it('keeps the slow_down wait for a poll restarted after a cancelled one', async () => {
    const controller = new AbortController();
    const { client, waits } = deviceClient(env.org, {
      sleep: (ms, signal) => {
        waits.push(ms);
        if (waits.length === 2) controller.abort();
        return signal?.aborted === true ? Promise.reject(signal.reason as Error) : Promise.resolve();
      },
    });
    deviceAnswer(env.org, { interval: 5 });
    const device = await client.startDeviceSignIn();
    tokenAnswers('slow_down', 1);
    // The caller's abort is ABORTED whatever the sleep rejects with (before cb167: its own AbortError, the default sleep's ABORTED).
    await expect(device.poll({ signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    tokenAnswers('access_denied', 1);
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 10_000]);
  });

  it('runs one poll at a time, and hands a finished sign-in out once: a later poll() is INVALID_CONFIG naming it, asking nothing', async () => {
    const { client } = deviceClient(env.org);
    const device = await client.startDeviceSignIn();
    await activateDevice(env.org.url, device.userCode, login, password);
    const first = device.poll();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('already being polled') });
    const { tokens } = await first;
    const asked = env.org.counters().tokenRequests[deviceGrant];
    const again = await device.poll().catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('already finished') });
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('start a new device sign-in') });
    expect(env.org.counters().tokenRequests[deviceGrant]).toEqual(asked);
    const seen = [inspect(again, { depth: 10, showHidden: true }), JSON.stringify(again), String(again)].join('\n');
    expect(seen).not.toContain(tokens.accessToken.reveal());
  });

  it('types the denial and the expiry with what Okta said, and stops at any other refusal instead of polling on', async () => {
    const { client } = deviceClient(env.org);
    deviceAnswer(env.org, {});
    const denied = await client.startDeviceSignIn();
    tokenAnswers('access_denied', 1);
    expect(await denied.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED', error: 'access_denied', status: 400, message: expect.stringMatching(/denied the device sign-in: .*start a new device sign-in/) });
    deviceAnswer(env.org, {});
    const expired = await client.startDeviceSignIn();
    tokenAnswers('expired_token', 1);
    expect(await expired.poll().catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED', error: 'expired_token', status: 400, message: expect.stringContaining('start a new device sign-in') });
    deviceAnswer(env.org, {});
    const refused = await client.startDeviceSignIn();
    tokenAnswers('invalid_grant', 1);
    env.org.resetCounters();
    expect(await refused.poll().catch((e: unknown) => e)).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_grant' });
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(1);
  });

  it("asks for the sign-in's own scopes, and requires the ID token that openid asks for", async () => {
    // The ID token's times are checked: the env.org's clock, no sleeping (the user approves first).
    const { client } = deviceClient(env.org, { now: Date.now, sleep: () => Promise.resolve() });
    const device = await client.startDeviceSignIn({ scopes: ['openid', 'okta.users.read'] });
    await activateDevice(env.org.url, device.userCode, login, password);
    const { tokens, claims } = await device.poll();
    expect(tokens.scopes).toContain('openid');
    expect(claims?.sub).toEqual(expect.any(String));

    const bare = await client.startDeviceSignIn({ scopes: 'openid okta.users.read' });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 200, body: { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 3600, scope: 'openid okta.users.read' }, count: 1 });
    expect(await bare.poll().catch((e: unknown) => e)).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: expect.stringContaining('without an id_token') });
    expect(await client.startDeviceSignIn({ scopes: ['bad scope\n'] }).catch((e: unknown) => e)).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('startDeviceSignIn: scopes') });
  });

  it('never shows the device code an answer echoes, in any refusal of a poll or log event', async () => {
    const events: unknown[] = [];
    const { client } = deviceClient(env.org, { logger: (event) => void events.push(event) });
    const deviceCode = `dc-secret-${'q'.repeat(40)}`;
    for (const error of ['access_denied', 'expired_token', 'invalid_grant', 'authorization_pending']) {
      deviceAnswer(env.org, { device_code: deviceCode });
      const device = await client.startDeviceSignIn();
      expect(inspect(device, { showHidden: true }) + JSON.stringify(device)).not.toContain('dc-secret');
      const echo = { error, error_description: `device_code=${deviceCode} (${encodeURIComponent(deviceCode)})` };
      // authorization_pending echoing it, then a refusal echoing it: what ends the poll carries nothing of it.
      env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: echo, headers: { 'x-okta-request-id': deviceCode }, count: 1 });
      if (error === 'authorization_pending') tokenAnswers('invalid_grant', 1);
      const refused = await device.poll().catch((e: unknown) => e);
      expect(refused, error).toMatchObject({ code: expect.stringMatching(/^(ACCESS_DENIED|DEVICE_CODE_EXPIRED|TOKEN_REQUEST_FAILED)$/) });
      const seen = [inspect(refused, { depth: 10, showHidden: true }), JSON.stringify(refused), String(refused), inspect((refused as { cause?: unknown }).cause, { depth: 10 })].join('\n');
      expect(seen, error).not.toContain('dc-secret');
    }
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('dc-secret');
  });
});
