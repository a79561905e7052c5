/**
 * A device poll's slow_down (RFC 8628 §3.5) at the token endpoint: an answer about the user, not a
 * clock failure (no re-signed retry when the org's clock is skewed) nor a failure to log (polling
 * goes on), as authorization_pending (`failure-log`, `device-sign-in` server tests).
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { createSignInClient } from '../user/sign-in-client.js';

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
