/**
 * How a device poll reads the token endpoint's refusals (`pollAnswer`, RFC 8628 §3.5; mutation
 * testing, twenty-fourth round), seen where the reading matters: the org's clock a minute ahead
 * (past the 30 s skew that earns a token request one re-signed retry, which only a failure gets).
 * `slow_down` is "not yet": a longer wait, no re-signed retry, no error logged; a refusal that is no
 * answer about the user (`invalid_grant`) is a failure: re-signed and sent again once.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SignInClient, SignInClientOptions } from './sign-in-client.js';
import { login, redirectUri, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});
const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/** A native app's client whose waits are recorded and move the org's clock a minute ahead, no real wait. */
function skewedClient(waits: number[], events: OktaLogEvent[], options: Partial<SignInClientOptions> = {}): SignInClient {
  const app = org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  return env.client(app, {
    logger: (event) => events.push(event),
    sleep: (ms) => {
      waits.push(ms);
      org.setClockOffset(60 + waits.reduce((sum, wait) => sum + wait, 0) / 1000);
      return Promise.resolve();
    },
    ...options,
  });
}

describe("a device poll's refusals under a skewed org clock", () => {
  it('slow_down: a longer wait before the next poll, never a re-signed retry at once, and no error logged', async () => {
    const waits: number[] = [];
    const events: OktaLogEvent[] = [];
    const device = await skewedClient(waits, events).startDeviceSignIn();
    org.approveDevice(device.userCode, login);
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'slow_down', error_description: 'Poll slower.' }, count: 1 });
    org.resetCounters();
    const { tokens } = await device.poll();
    expect(tokens.accessToken).toBeDefined();
    expect(waits).toEqual([5000, 10_000]);
    expect(org.counters().tokenRequests[deviceGrant]).toEqual({ success: 1 });
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
  });

  it('invalid_grant, no answer about the user: a failure, re-signed and sent again once at once', async () => {
    const waits: number[] = [];
    const events: OktaLogEvent[] = [];
    const device = await skewedClient(waits, events).startDeviceSignIn();
    org.approveDevice(device.userCode, login);
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'Not now.' }, count: 1 });
    const { tokens } = await device.poll();
    expect(tokens.accessToken).toBeDefined();
    expect(waits).toEqual([5000]);
  });
});
