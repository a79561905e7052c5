/**
 * A device poll's slow_down (RFC 8628 §3.5) at the token endpoint: an answer about the user, not a
 * clock failure (no re-signed retry when the org's clock is skewed) nor a failure to log (polling
 * goes on), as authorization_pending (`failure-log`, `device-sign-in` server tests). Such answers
 * come in a 400 alone (RFC 6749 §5.2): another status's body naming one is not read as one.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { createSignInClient } from '../user/sign-in-client.js';
import { deviceAnswer, deviceClient, useDeviceOrg } from '../user/test-helpers/device-client.js';

useEmulators();

describe("a device poll's slow_down", () => {
  // A minute ahead is past the 30 s skew that earns a token request one re-signed retry.
  it.each([
    ['the clocks agree', 0],
    ["the org's clock is a minute ahead", 60],
  ])('logs no error, is not re-sent at once, and the poll goes on more slowly: %s', async (_, skewSeconds) => {
    const org = await emulator();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9' });
    const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const kinds: string[] = [];
    // The token endpoint's events (the key set's request for the ID token is another's).
    const logger = (e: OktaLogEvent) => {
      if ('url' in e && e.url.endsWith('/oauth2/v1/token')) kinds.push(e.type === 'error' ? `error ${e.code}` : e.type === 'response' ? `response ${e.status}` : e.type);
    };
    // The org's clock, moved by each wait.
    const offset = { seconds: skewSeconds };
    org.setClockOffset(offset.seconds);
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      offset.seconds += ms / 1000;
      org.setClockOffset(offset.seconds);
      return Promise.resolve();
    };
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, scopes: ['openid'], allowInsecureLoopback: true, logger, sleep });
    const device = await client.startDeviceSignIn();
    org.approveDevice(device.userCode, 'ada@example.com');
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'slow_down', error_description: 'Slow down.' }, count: 1 });
    kinds.length = 0;
    const { tokens } = await device.poll();
    expect(tokens.accessToken.reveal()).not.toBe('');
    // One request per poll, each after its wait: the slow_down, then the tokens; no error event between.
    expect(kinds).toEqual(['request', 'response 400', 'request', 'response 200']);
    expect(waits).toEqual([5000, 10_000]);
    org.setClockOffset(0);
  });
});

/**
 * RFC 6749 §5.2: an OAuth error is answered with 400 (`invalid_client` may be 401), so a device
 * poll's answers about the user (RFC 8628 §3.5) are read from a 400 alone. Any other status is what
 * its status says whatever its body names: a 5xx the endpoint unreachable (logged, backed off), a
 * 429 RATE_LIMITED (logged, slowed down for), a 401 a failure that ends the poll.
 */
describe("a device poll reads the user's answer from a 400 only", () => {
  const env = useDeviceOrg();
  const tokenPath = '/oauth2/v1/token';

  it.each([
    [503, 'authorization_pending', 'unreachable', 'TOKEN_REQUEST_FAILED'],
    [500, 'access_denied', 'unreachable', 'TOKEN_REQUEST_FAILED'],
    [502, 'expired_token', 'unreachable', 'TOKEN_REQUEST_FAILED'],
    [429, 'authorization_pending', 'rate_limited', 'RATE_LIMITED'],
    [429, 'slow_down', 'rate_limited', 'RATE_LIMITED'],
  ] as const)('a %i whose body says %s is as any other: %s, logged as %s, and the poll goes on', async (status, error, reason, code) => {
    const { client, waits, events } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    env.org.injectFault({ path: tokenPath, kind: 'status', status, body: { error, error_description: 'Not what the status says.' }, headers: { 'X-Rate-Limit-Reset': '' }, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'access_denied' }, count: 1 });
    const reasons: string[] = [];
    const ended = await device.poll({ onWait: (wait) => void reasons.push(wait.reason) }).catch((e: unknown) => e);
    expect(ended).toMatchObject({ code: 'ACCESS_DENIED' });
    expect(reasons).toEqual(['interval', reason]);
    expect(waits).toEqual([5000, 10_000]);
    expect(tokenErrors(events, env.org.url)).toEqual([code, 'ACCESS_DENIED']);
  });

  it('a 401 whose body says authorization_pending is a failure that ends the poll, not "not yet"', async () => {
    const { client, events } = deviceClient(env.org);
    deviceAnswer(env.org);
    const device = await client.startDeviceSignIn();
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 401, body: { error: 'authorization_pending' }, count: 1 });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'access_denied' }, count: 1 });
    expect(await device.poll().catch((e: unknown) => e)).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 401, error: 'authorization_pending' });
    expect(tokenErrors(events, env.org.url)).toEqual(['TOKEN_REQUEST_FAILED']);
  });
});

/** The codes of the failed token requests' log events. */
function tokenErrors(events: readonly OktaLogEvent[], orgUrl: string): (string | undefined)[] {
  return events.filter((e) => e.type === 'error' && 'url' in e && e.url === `${orgUrl}/oauth2/v1/token`).map((e) => (e as { code?: string }).code);
}
