/**
 * `poll({ onWait })` (RFC 8628 §3.5), over real HTTP: the callback is told of each wait before it
 * starts, with why (the routine interval, a `slow_down`, a 429 past the retries, an unreachable
 * token endpoint), how long, the interval and the code's expiry, and for the last two the typed
 * error, holding no secret. A callback that throws ends `poll()` with that very error, asking
 * nothing more; a promise it returns is not awaited. The client's clock and sleep are the test's,
 * so no real time passes in the waits.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DevicePollWait } from './device-poll.js';
import { deviceAnswer, deviceClient, useDeviceOrg } from './test-helpers/device-client.js';

const env = useDeviceOrg();

const tokenPath = '/oauth2/v1/token';
/** A device code no state given to onWait may hold. */
const deviceCode = 'dc-Zq81vTw0-device-code-secret';

/** The token endpoint's next answer: the given OAuth error. */
function tokenAnswer(error: string): void {
  env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error, error_description: error }, count: 1 });
}

/** A device client whose sleeps and onWait calls are recorded in one list, in the order they happen. */
async function recordingDevice(changes: Record<string, unknown> = {}) {
  const seen: (DevicePollWait | { slept: number })[] = [];
  const made = deviceClient(env.org, { sleep: (ms) => (seen.push({ slept: ms }), (made.clock.now += ms), Promise.resolve()) });
  deviceAnswer(env.org, { device_code: deviceCode, ...changes });
  const device = await made.client.startDeviceSignIn();
  return { ...made, device, seen, onWait: (state: DevicePollWait) => void seen.push(state) };
}

describe('poll({ onWait })', () => {
  it('tells each wait before it starts: the interval, slow_down, an unreachable endpoint and a 429 with their typed errors', async () => {
    const { device, seen, onWait } = await recordingDevice();
    const { expiresAt } = device;
    tokenAnswer('authorization_pending');
    tokenAnswer('slow_down');
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 503, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': '', 'Retry-After': '42' }, count: 1 });
    tokenAnswer('access_denied');
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(seen).toEqual([
      { reason: 'interval', waitMs: 5000, intervalSeconds: 5, expiresAt, error: undefined },
      { slept: 5000 },
      { reason: 'interval', waitMs: 5000, intervalSeconds: 5, expiresAt, error: undefined },
      { slept: 5000 },
      { reason: 'slow_down', waitMs: 10_000, intervalSeconds: 10, expiresAt, error: undefined },
      { slept: 10_000 },
      { reason: 'unreachable', waitMs: 20_000, intervalSeconds: 10, expiresAt, error: expect.objectContaining({ code: 'NETWORK_ERROR' }) },
      { slept: 20_000 },
      { reason: 'unreachable', waitMs: 40_000, intervalSeconds: 10, expiresAt, error: expect.objectContaining({ code: 'TOKEN_REQUEST_FAILED', status: 503 }) },
      { slept: 40_000 },
      { reason: 'rate_limited', waitMs: 42_000, intervalSeconds: 10, expiresAt, error: expect.objectContaining({ code: 'RATE_LIMITED' }) },
      { slept: 42_000 },
    ]);
  });

  it("tells the wait cut at the code's expiry as it is, and holds no secret in any state", async () => {
    const { device, seen, onWait } = await recordingDevice({ expires_in: 30 });
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 3 });
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
    const states = seen.filter((s): s is DevicePollWait => 'reason' in s);
    expect(states.map((s) => [s.reason, s.waitMs])).toEqual([['interval', 5000], ['unreachable', 10_000], ['unreachable', 15_000]]);
    for (const state of states) {
      expect(JSON.stringify(state)).not.toContain(deviceCode);
      expect(inspect(state, { depth: Number.POSITIVE_INFINITY, showHidden: true })).not.toContain(deviceCode);
    }
  });

  it('ends poll() with the very error the callback throws, before the wait, asking nothing more; polling may start again', async () => {
    const { device, seen } = await recordingDevice();
    class StopPolling extends Error {}
    const stop = new StopPolling('stop');
    tokenAnswer('slow_down');
    env.org.resetCounters();
    const onWait = (state: DevicePollWait) => {
      if (state.reason === 'slow_down') throw stop;
    };
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toBe(stop);
    expect(seen).toEqual([{ slept: 5000 }]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(1);

    // Not an Error: it reaches the caller as itself too.
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- user code may throw anything
    expect(await device.poll({ onWait: () => { throw 'no'; } }).catch((e: unknown) => e)).toBe('no');
    tokenAnswer('access_denied');
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(seen).toEqual([{ slept: 5000 }, { slept: 10_000 }]);
  });

  it('is not told of a wait of 0 ms: the code expired during the request, the poll ends', async () => {
    // The token request takes the clock to the code's expiry: the next wait would be 0 ms.
    const clock = { now: 0 };
    let expiresAt = Number.POSITIVE_INFINITY;
    const fetch: typeof globalThis.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).endsWith(tokenPath)) clock.now = Math.max(clock.now, expiresAt);
      return globalThis.fetch(input, init);
    };
    const seen: (DevicePollWait | { slept: number })[] = [];
    const made = deviceClient(env.org, { fetch, now: () => clock.now, sleep: (ms) => (seen.push({ slept: ms }), (clock.now += ms), Promise.resolve()) });
    clock.now = made.clock.now;
    deviceAnswer(env.org);
    const device = await made.client.startDeviceSignIn();
    expiresAt = device.expiresAt;
    tokenAnswer('authorization_pending');
    const onWait = (state: DevicePollWait) => void seen.push(state);
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
    expect(seen).toEqual([{ reason: 'interval', waitMs: 5000, intervalSeconds: 5, expiresAt, error: undefined }, { slept: 5000 }, { slept: 0 }]);
  });

  it('does not await a promise the callback returns', async () => {
    const { device, seen } = await recordingDevice();
    tokenAnswer('authorization_pending');
    tokenAnswer('access_denied');
    let calls = 0;
    const onWait = () => (calls++, new Promise<void>(() => undefined));
    expect(await device.poll({ onWait }).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(calls).toBe(2);
    expect(seen).toEqual([{ slept: 5000 }, { slept: 5000 }]);
  });

  it.each([['a string', 'log'], ['a number', 1], ['an object', {}], ['an array', []]])('refuses an onWait that is %s with INVALID_CONFIG naming it, asking nothing', async (kind, onWait) => {
    const { device } = await recordingDevice();
    env.org.resetCounters();
    await expect(device.poll({ onWait } as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: `poll(options): onWait must be a function called before each wait, not ${kind}.` });
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBeUndefined();
  });

  it('reads onWait: null as none', async () => {
    const { device, seen } = await recordingDevice();
    tokenAnswer('access_denied');
    expect(await device.poll({ onWait: null } as never).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(seen).toEqual([{ slept: 5000 }]);
  });
});
