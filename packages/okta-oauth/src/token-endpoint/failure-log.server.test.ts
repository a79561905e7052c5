/**
 * A request okta-oauth turns into its own error (a refused token request, a discovery 404, a
 * refused revocation) ends its log as the drivers end theirs: `request`, `response`, then `error`
 * with the error's code (core README, "Every driver logs a call the same way"). A device sign-in's
 * "not yet" answers are no failure and log none.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';
import { createSignInClient } from '../user/sign-in-client.js';

useEmulators();

const recorder = () => {
  const events: OktaLogEvent[] = [];
  return { events, logger: (event: OktaLogEvent) => events.push(event), kinds: () => events.map((e) => (e.type === 'error' ? `error ${e.code}` : e.type === 'response' ? `response ${e.status}` : e.type)) };
};

describe('failures okta-oauth types end the attempt log with an error event', () => {
  it('a token request refused with invalid_client (a key Okta does not know)', async () => {
    const org = await emulator();
    const log = recorder();
    const { okta } = serviceApp(org, { requireDpop: false }, { keyId: 'not-registered', dpop: 'off', logger: log.logger, retry: false });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect(log.kinds()).toEqual(['request', 'response 401', 'error TOKEN_REQUEST_FAILED']);
    expect(log.events.at(-1)).toMatchObject({ type: 'error', method: 'POST', url: `${org.url}/oauth2/v1/token`, attempt: 1 });
  });

  it('a discovery document that is not there (DISCOVERY_FAILED)', async () => {
    const org = await emulator();
    org.injectFault({ path: '/.well-known/openid-configuration', kind: 'status', status: 404, count: 1 });
    const log = recorder();
    const app = org.createSignInApp({ type: 'spa', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid'], allowInsecureLoopback: true, logger: log.logger });
    const error: unknown = await client.startSignIn().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DISCOVERY_FAILED' });
    expect(log.kinds()).toEqual(['request', 'response 404', 'error DISCOVERY_FAILED']);
  });

  it.each([
    ['a discovery document naming another issuer', { path: '/.well-known/openid-configuration', kind: 'status', status: 200, body: { issuer: 'https://other.example.com' } }, 'DISCOVERY_FAILED'],
    ['a discovery document cut short', { path: '/.well-known/openid-configuration', kind: 'truncate' }, 'NETWORK_ERROR'],
    ['a device authorization answer without its fields', { path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body: { user_code: 'ABCD-EFGH' } }, 'INVALID_RESPONSE'],
  ] as const)('a 200 okta-oauth refuses after reading it: %s', async (_, fault, code) => {
    const org = await emulator();
    const log = recorder();
    const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, scopes: ['openid'], allowInsecureLoopback: true, logger: log.logger, retry: false });
    org.injectFault({ ...fault, count: 1 });
    const error: unknown = await client.startDeviceSignIn().catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    // The attempt that got the answer ends with the error, as every other failure's does.
    expect(log.kinds().slice(-3)).toEqual(['request', 'response 200', `error ${code}`]);
  });

  it('a device sign-in logs no error for authorization_pending, and one when the user denies', async () => {
    const org = await emulator();
    const log = recorder();
    const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    let polls = 0;
    const client = createSignInClient({
      orgUrl: org.url,
      clientId: app.clientId,
      scopes: ['openid'],
      allowInsecureLoopback: true,
      logger: log.logger,
      // No real wait: the org's clock moves instead; the user denies during the second wait.
      sleep: (ms) => {
        polls += 1;
        org.setClockOffset((polls * ms) / 1000);
        if (polls === 2) org.denyDevice(device.userCode);
        return Promise.resolve();
      },
    });
    const device = await client.startDeviceSignIn();
    const error: unknown = await device.poll().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ACCESS_DENIED' });
    // The event names the token request's error (TOKEN_REQUEST_FAILED, access_denied); the poll then types it ACCESS_DENIED.
    const tokenLog = log.kinds().slice(log.kinds().lastIndexOf('response 200') + 1);
    expect(tokenLog).toEqual(['request', 'response 400', 'request', 'response 400', 'error TOKEN_REQUEST_FAILED']);
  });

  it('a revocation Okta refuses: sign-out does not throw for it, and its log ends with error OAUTH_ERROR', async () => {
    const org = await emulator();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true });
    const log = recorder();
    const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, scopes: ['openid', 'offline_access'], allowInsecureLoopback: true, logger: log.logger, sleep: () => Promise.resolve() });
    const device = await client.startDeviceSignIn();
    org.approveDevice(device.userCode, 'ada@example.com');
    const { tokens } = await device.poll();
    org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 400, body: { error: 'invalid_request', error_description: 'Refused.' }, count: 2 });
    log.events.length = 0;
    const result = await client.signOut(tokens);
    expect(result.notRevoked.map((n) => n.token)).toEqual(['refresh_token', 'access_token']);
    expect(log.kinds()).toEqual(['request', 'response 400', 'error OAUTH_ERROR', 'request', 'response 400', 'error OAUTH_ERROR']);
  });
});
