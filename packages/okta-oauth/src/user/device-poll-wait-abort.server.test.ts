/**
 * `poll({ onWait })` red-teamed (thirty-seventh session): the callback is told only of waits that
 * happen (none for a poll whose signal is already aborted; none after an abort in a wait), and a
 * hostile token endpoint echoing the device code into its 5xx and 429 bodies gets none of it into
 * the states the callback is given.
 */
import { inspect } from 'node:util';
import { useUnhandledRejections } from '@org/okta-test-utils';
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

describe('poll({ signal }) and a sleep of yours', () => {
  const unhandled = useUnhandledRejections();

  it('a sleep that ignores the signal or never settles: the abort ends the poll ABORTED with its reason, asking Okta nothing; its late rejection unhandled by none', async () => {
    let release = (): void => undefined;
    const sleeps: Record<string, () => Promise<void>> = {
      // An hour's timer of its own, deaf to the signal: let go (rejecting) only after the poll ended.
      'ignores its signal': () => new Promise<void>((_resolve, reject) => void (release = () => reject(new Error('late')))),
      'never settles': () => new Promise<void>(() => undefined),
    };
    for (const sleep of Object.values(sleeps)) {
      const { client } = deviceClient(env.org, { sleep });
      deviceAnswer(env.org, { device_code: deviceCode });
      const device = await client.startDeviceSignIn();
      env.org.resetCounters();
      const controller = new AbortController();
      const reason = new Error('shutting down');
      const pending = Symbol('still pending');
      const polled = device.poll({ signal: controller.signal }).catch((e: unknown) => e);
      controller.abort(reason);
      // A guard for the failure's sake only (before: pending for ever); nothing is asserted on time.
      const outcome = await Promise.race([polled, new Promise((resolve) => setTimeout(() => resolve(pending), 5000))]);
      expect(outcome).toMatchObject({ code: 'ABORTED', cause: reason });
      release();
      expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
    }
    expect(await unhandled.settled()).toEqual([]);
  });

  it('a sleep that throws or rejects ends the poll as itself, as before', async () => {
    class Mine extends Error {}
    for (const sleep of [() => { throw new Mine('sync'); }, () => Promise.reject(new Mine('async'))]) {
      const { client } = deviceClient(env.org, { sleep });
      deviceAnswer(env.org, { device_code: deviceCode });
      const device = await client.startDeviceSignIn();
      expect(await device.poll({ signal: new AbortController().signal }).catch((e: unknown) => e)).toBeInstanceOf(Mine);
    }
  });

  it('a sleep that returns no promise ends the poll INVALID_CONFIG naming sleep, asking Okta nothing (rev167d L4)', async () => {
    // It polled in a tight loop: hundreds of token requests a second.
    for (const sleep of [() => undefined, () => 5000]) {
      const { client } = deviceClient(env.org, { sleep: sleep as never });
      deviceAnswer(env.org, { device_code: deviceCode });
      const device = await client.startDeviceSignIn();
      env.org.resetCounters();
      const error = await device.poll().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('sleep') });
      expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
    }
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
