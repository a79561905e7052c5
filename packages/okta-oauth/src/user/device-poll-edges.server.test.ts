/**
 * Device sign-in polling at the edges of its "poll on" rule (RFC 8628 §3.5), over real HTTP: only
 * a failure to reach the token endpoint (a drop, a timeout, a 5xx, whatever its body names) and a
 * 429 are polled on; a denial is read from a 400 alone (RFC 6749 §5.2), a transport refusal
 * (a redirect) ends the poll, a caller's signal that never fires changes nothing, and a signal that
 * fired while a failed attempt came back ends the poll with that attempt's error, waiting no more.
 * The client's clock and sleep are the test's (the sleep ignores the signal), so no real time passes.
 */
import { describe, expect, it } from 'vitest';
import { deviceAnswer, deviceClient, useDeviceOrg } from './test-helpers/device-client.js';

const env = useDeviceOrg();

const tokenPath = '/oauth2/v1/token';
const tokenRequests = () => env.org.counters().requests[`POST ${tokenPath}`];

/** The token endpoint's next answer: `status` with `body`. */
function tokenAnswer(status: number, body: Record<string, unknown>): void {
  env.org.injectFault({ path: tokenPath, kind: 'status', status, body, count: 1 });
}

describe('device sign-in polling: what is polled on and what ends the poll', () => {
  it("polls on after a 5xx when the caller's signal is given and never fires", async () => {
    const { client, waits } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    tokenAnswer(503, { error: 'temporarily_unavailable' });
    tokenAnswer(400, { error: 'access_denied' });
    env.org.resetCounters();
    expect(await device.poll({ signal: new AbortController().signal }).catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(waits).toEqual([5000, 10_000]);
    expect(tokenRequests()).toBe(2);
  });

  it("tells onWait a 5xx's error that says the device sign-in polls on (the root client's hint), not that it was sent once", async () => {
    const { client } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    tokenAnswer(503, { error: 'server_error', error_description: 'Down.' });
    tokenAnswer(400, { error: 'access_denied' });
    const causes: unknown[] = [];
    await device.poll({ onWait: ({ error }) => causes.push(error) }).catch(() => undefined);
    expect(causes[1]).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 503 });
    expect((causes[1] as Error).message).toMatch(/^Okta's token endpoint could not answer the token request \(503 server_error\): Down\. The device sign-in polls on\. \([\w.:-]+, request [^)]+\)$/);
  });

  it('takes a 5xx that names access_denied as Okta not answering, not the denial: it polls on, and the 400 denial ends it', async () => {
    const { client, waits } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    tokenAnswer(503, { error: 'access_denied' });
    tokenAnswer(400, { error: 'access_denied' });
    env.org.resetCounters();
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'ACCESS_DENIED', status: 400 });
    expect(waits).toEqual([5000, 10_000]);
    expect(tokenRequests()).toBe(2);
  });

  it('ends the poll on a transport refusal that is no failure to reach the endpoint (a redirect)', async () => {
    const { client, waits } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 302, headers: { Location: `${env.org.url}/elsewhere` }, count: 1 });
    env.org.resetCounters();
    const error = await device.poll().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'REDIRECT_BLOCKED' });
    expect(waits).toEqual([5000]);
    expect(tokenRequests()).toBe(1);
  });
});

describe("device sign-in polling when the caller's signal fired while a failed attempt came back", () => {
  /** A client whose token requests abort the caller's signal, then get `answer` (no endpoint asked). */
  function abortingClient(controller: AbortController, answer: () => Response) {
    return deviceClient(env.org, {
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.endsWith(tokenPath)) return fetch(input, init);
        controller.abort();
        return answer();
      },
    });
  }

  it("ends with the 5xx's error, waiting no more", async () => {
    const controller = new AbortController();
    const { client, waits } = abortingClient(controller, () => new Response('', { status: 503 }));
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    expect(await device.poll({ signal: controller.signal }).catch((e: unknown) => e)).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 503 });
    expect(waits).toEqual([5000]);
  });

  it("ends with the 429's RATE_LIMITED, though its body says slow_down, waiting no more", async () => {
    const controller = new AbortController();
    const json = { 'content-type': 'application/json', 'retry-after': '30' };
    const { client, waits } = abortingClient(controller, () => new Response(JSON.stringify({ error: 'slow_down' }), { status: 429, headers: json }));
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    expect(await device.poll({ signal: controller.signal }).catch((e: unknown) => e)).toMatchObject({ code: 'RATE_LIMITED', error: 'slow_down' });
    expect(waits).toEqual([5000]);
  });
});
