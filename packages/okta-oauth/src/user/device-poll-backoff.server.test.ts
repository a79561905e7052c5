/**
 * Device sign-in polling when the token endpoint cannot be reached (RFC 8628 §3.5: "the client
 * MUST use reasonable exponential backoff"), over real HTTP: a dropped connection, an attempt's
 * timeout or a 5xx answer is followed by another poll after a wait that doubles each consecutive
 * time (from the interval, at most 600 s, never past the code's expiry), back to the interval after
 * any answer; the caller's signal still ends it at once. A 429 that outlived the retries
 * (`RATE_LIMITED`) is slowed down for, as `slow_down` is (§3.5), not given up on: the next poll
 * waits what the 429 said (at least the interval, at most 600 s), or backs off when it said
 * nothing. The client's clock and sleep are the test's, so no real time passes in the waits.
 */
import { abortableSleep } from '@org/okta-auth-core/internal';
import { describe, expect, it, vi } from 'vitest';
import type { createSignInClient, SignInClientOptions } from './sign-in-client.js';
import { deviceAnswer, deviceClient as sharedDeviceClient, useDeviceOrg } from './test-helpers/device-client.js';
import { orgPacedFetch } from './test-helpers/sign-in-org.js';

const env = useDeviceOrg();

const tokenPath = '/oauth2/v1/token';

/** The device client of `test-helpers/device-client.ts`, and the codes of its failed token requests' log events. */
function deviceClient(options: Partial<SignInClientOptions> = {}) {
  const made = sharedDeviceClient(env.org, options);
  const tokenErrors = () => made.events.filter((e) => e.type === 'error' && 'url' in e && e.url === `${env.org.url}${tokenPath}`).map((e) => (e as { code?: string }).code);
  return { ...made, tokenErrors };
}

async function startDevice(client: ReturnType<typeof createSignInClient>, changes: Record<string, unknown> = {}) {
  deviceAnswer(env.org, changes);
  return client.startDeviceSignIn();
}

/** The token endpoint's next answer: the given OAuth error. */
function tokenAnswer(error: string): void {
  env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error, error_description: error }, count: 1 });
}

describe('device sign-in polling when the token endpoint cannot be reached', () => {
  it('polls on after dropped connections, doubling the wait each consecutive time, and logs each failure', async () => {
    const { client, waits, tokenErrors } = deviceClient();
    const device = await startDevice(client);
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 3 });
    tokenAnswer('access_denied');
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(4);
    expect(tokenErrors()).toEqual(['NETWORK_ERROR', 'NETWORK_ERROR', 'NETWORK_ERROR', 'ACCESS_DENIED']);
  });

  it('goes back to the interval after any answer, slow_down grown, and never waits past 600 s', async () => {
    const { client, waits } = deviceClient();
    const device = await startDevice(client);
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 1 });
    tokenAnswer('authorization_pending');
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 1 });
    tokenAnswer('slow_down');
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 1 });
    tokenAnswer('access_denied');
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 5000, 10_000, 10_000, 20_000]);

    const slow = await startDevice(client, { interval: 250, expires_in: 86_400 });
    waits.length = 0;
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 2 });
    tokenAnswer('access_denied');
    expect(await slow.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([250_000, 500_000, 600_000]);
  });

  it("stops at the code's expiry however the backoff grows", async () => {
    const { client, waits } = deviceClient();
    const device = await startDevice(client, { expires_in: 30 });
    env.org.injectFault({ path: tokenPath, kind: 'drop', count: 5 });
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
    expect(waits).toEqual([5000, 10_000, 15_000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(2);
  });

  it("polls on after an attempt's timeout and after 5xx answers", async () => {
    // timeoutMs 100 is for the first poll alone, which the org answers 2 s late: every other request waits for its answer
    // (orgPacedFetch), as a loaded machine's came later than 100 ms (the device authorization's, a 5xx's).
    let polls = 0;
    const fetch: typeof globalThis.fetch = (input, init) =>
      new URL(input instanceof Request ? input.url : String(input)).pathname === tokenPath && ++polls === 1 ? globalThis.fetch(input, init) : orgPacedFetch(input, init);
    const { client, waits, tokenErrors } = deviceClient({ timeoutMs: 100, fetch });
    const device = await startDevice(client);
    env.org.injectFault({ path: tokenPath, kind: 'latency', latencyMs: 2000, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 503, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 500, body: { error: 'server_error' }, count: 1 });
    tokenAnswer('access_denied');
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(tokenErrors()).toEqual(['TIMEOUT', 'TOKEN_REQUEST_FAILED', 'TOKEN_REQUEST_FAILED', 'ACCESS_DENIED']);
  });

  it("ends at once with ABORTED when the caller's signal fires during a poll, asking nothing more", async () => {
    const controller = new AbortController();
    const waits: number[] = [];
    const { client } = deviceClient({
      sleep: (ms, signal) => {
        waits.push(ms);
        return signal?.aborted === true ? Promise.reject(signal.reason as Error) : Promise.resolve();
      },
    });
    const device = await startDevice(client);
    // The poll is held at the emulator until the caller gives up: the abort lands during the poll, whatever the machine's load.
    const hold = env.org.injectFault({ path: tokenPath, kind: 'hold', count: 1 });
    env.org.resetCounters();
    const polled = device.poll({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(env.org.heldAnswers(hold)).toBe(1), { timeout: 5_000 });
    controller.abort();
    expect(await polled).toMatchObject({ code: 'ABORTED' });
    expect(waits).toEqual([5000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(1);
  });
});

/** The token endpoint's next answer: a 429 whose wait is only what `headers` say (the env.org's minute-long window's reset removed). */
function tooMany(headers: Record<string, string> = {}): void {
  env.org.injectFault({ path: tokenPath, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': '', ...headers }, count: 1 });
}

describe('device sign-in polling after a 429 that outlived the retries', () => {
  it('waits what the 429 said (Retry-After, or X-Rate-Limit-Reset against its Date), never less than the interval, then polls on', async () => {
    const { client, waits, tokenErrors } = deviceClient();
    const device = await startDevice(client);
    tooMany({ 'Retry-After': '30' });
    tooMany({ Date: 'Mon, 01 Jan 2024 00:00:00 GMT', 'X-Rate-Limit-Reset': String(Date.UTC(2024, 0, 1) / 1000 + 44) });
    tooMany({ 'Retry-After': '2' });
    tokenAnswer('authorization_pending');
    tokenAnswer('access_denied');
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    // Reset 44 s after the answer's Date: 45 s with core's one-second margin; a Retry-After of 2 s is still the 5 s interval.
    expect(waits).toEqual([5000, 30_000, 45_000, 5000, 5000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(5);
    expect(tokenErrors()).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'ACCESS_DENIED']);
  });

  it('backs off as when the endpoint cannot be reached when the 429 says no wait, and waits at most 600 s', async () => {
    const { client, waits } = deviceClient();
    const device = await startDevice(client, { expires_in: 86_400 });
    tooMany();
    tooMany();
    tooMany({ 'Retry-After': '3600' });
    tokenAnswer('access_denied');
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 20_000, 600_000]);
  });

  it('reads no wait from a Retry-After that is not one (backs off), and bounds an HTTP-date one: long past is the interval, far ahead 600 s', async () => {
    const { client, waits, tokenErrors } = deviceClient();
    const device = await startDevice(client, { expires_in: 86_400 });
    tooMany({ 'Retry-After': '-5' });
    tooMany({ 'Retry-After': 'NaN' });
    tooMany({ 'Retry-After': 'Sun, 06 Nov 1994 08:49:37 GMT' });
    tooMany({ 'Retry-After': 'Fri, 31 Dec 9999 23:59:59 GMT' });
    tooMany({ 'X-Rate-Limit-Reset': '999999999999999' });
    tokenAnswer('access_denied');
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000, 20_000, 5000, 600_000, 600_000]);
    expect(tokenErrors()).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'ACCESS_DENIED']);
  });

  it("stops at the code's expiry whatever the 429 said", async () => {
    const { client, waits } = deviceClient();
    const device = await startDevice(client, { expires_in: 30 });
    tooMany({ 'Retry-After': '600' });
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'DEVICE_CODE_EXPIRED' });
    expect(waits).toEqual([5000, 25_000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(1);
  });

  it("ends at once with ABORTED when the caller's signal fires during the 429's wait, asking nothing more", async () => {
    const controller = new AbortController();
    const { client, waits } = deviceClient({
      sleep: (ms, signal) => {
        waits.push(ms);
        if (waits.length === 1) return Promise.resolve();
        setTimeout(() => controller.abort(), 50);
        return abortableSleep(ms, signal);
      },
    });
    const device = await startDevice(client);
    tooMany({ 'Retry-After': '60' });
    env.org.resetCounters();
    expect(await device.poll({ signal: controller.signal }).catch((e: unknown) => e)).toMatchObject({ code: 'ABORTED' });
    expect(waits).toEqual([5000, 60_000]);
    expect(env.org.counters().requests[`POST ${tokenPath}`]).toBe(1);
  });
});
