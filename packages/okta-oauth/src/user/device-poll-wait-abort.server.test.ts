/**
 * `poll({ onWait })` red-teamed (thirty-seventh session): the callback is told only of waits that
 * happen (none for a poll whose signal is already aborted; none after an abort in a wait), and a
 * hostile token endpoint echoing the device code into its 5xx and 429 bodies gets none of it into
 * the states the callback is given.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DevicePollWait } from './device-poll.js';
import { deviceAnswer, deviceClient, useDeviceOrg } from './test-helpers/device-client.js';

const env = useDeviceOrg();

const tokenPath = '/oauth2/v1/token';
const deviceCode = 'dc-Hx42pLm9-echoed-device-code';

describe('poll({ onWait }) and an abort', () => {
  it('tells no wait to a poll whose signal is already aborted, and asks Okta nothing', async () => {
    const { client } = deviceClient(env.org);
    deviceAnswer(env.org, { device_code: deviceCode });
    const device = await client.startDeviceSignIn();
    env.org.resetCounters();
    const seen: DevicePollWait[] = [];
    const error = await device.poll({ signal: AbortSignal.abort(), onWait: (state) => void seen.push(state) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(seen).toEqual([]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
  });

  it('ends a wait it told of at the abort, telling no other and asking Okta nothing', async () => {
    // The client's own sleep (abortable), so the abort is what ends the wait.
    const { client } = deviceClient(env.org, { sleep: undefined });
    deviceAnswer(env.org, { device_code: deviceCode });
    const device = await client.startDeviceSignIn();
    env.org.resetCounters();
    const controller = new AbortController();
    const seen: DevicePollWait[] = [];
    const polled = device.poll({ signal: controller.signal, onWait: (state) => void seen.push(state) }).catch((e: unknown) => e);
    expect(seen.map((s) => s.reason)).toEqual(['interval']);
    controller.abort();
    expect(await polled).toMatchObject({ code: 'ABORTED' });
    expect(seen).toHaveLength(1);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
  });
});

describe('poll({ onWait }) and a token endpoint echoing the device code', () => {
  it.each([
    ['a 503', 503, 'unreachable'],
    ['a 429', 429, 'rate_limited'],
  ])('gives onWait %s error holding none of it', async (_name, status, reason) => {
    const { client } = deviceClient(env.org);
    deviceAnswer(env.org, { device_code: deviceCode });
    const device = await client.startDeviceSignIn();
    const echo = { error: `bad_${deviceCode}`, error_description: `device_code=${deviceCode} ${encodeURIComponent(deviceCode)} ${btoa(deviceCode)}` };
    env.org.injectFault({ path: tokenPath, kind: 'status', status, body: echo, headers: { 'X-Okta-Request-Id': deviceCode, 'Retry-After': '7' }, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'access_denied' }, count: 1 });
    const seen: DevicePollWait[] = [];
    expect(await device.poll({ onWait: (state) => void seen.push(state) }).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(seen.map((s) => s.reason)).toEqual(['interval', reason]);
    const told = seen[1]!;
    expect(told.error).toBeDefined();
    for (const shown of [JSON.stringify(told), inspect(told, { depth: Number.POSITIVE_INFINITY, showHidden: true }), String(told.error?.stack), String(told.error?.message)]) {
      expect(shown).not.toContain(deviceCode);
      expect(shown).not.toContain(deviceCode.slice(0, 16));
    }
  });
});
