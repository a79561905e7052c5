/**
 * A request okta-oauth turns into its own error (a refused token request, a discovery 404, a
 * refused revocation) ends its log as the drivers end theirs: `request`, `response`, then `error`
 * with the error's code (core README, "Every driver logs a call the same way"). A device sign-in's
 * "not yet" answers are no failure and log none.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';
import { createSignInClient } from '../user/sign-in-client.js';

useEmulators();

const recorder = () => {
  const events: OktaLogEvent[] = [];
  return { events, logger: (event: OktaLogEvent) => events.push(event), kinds: () => events.map((e) => (e.type === 'error' ? `error ${e.code}` : e.type === 'response' ? `response ${e.status}` : e.type)) };
};

/** A user signed in by a device sign-in on a fresh org, with the client's log recorded. */
async function signedIn() {
  const org = await emulator();
  org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true });
  const log = recorder();
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
  const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, scopes: ['openid', 'offline_access'], allowInsecureLoopback: true, logger: log.logger, sleep: () => Promise.resolve() });
  const device = await client.startDeviceSignIn();
  org.approveDevice(device.userCode, 'ada@example.com');
  const { tokens } = await device.poll();
  return { org, log, client, tokens, clientId: app.clientId };
}

describe('failures okta-oauth types end the attempt log with an error event', () => {
  it('a token request refused with invalid_client (a key Okta does not know)', async () => {
    const org = await emulator();
    const log = recorder();
    const { okta } = serviceApp(org, { requireDpop: false }, { keyId: 'not-registered', dpop: 'off', logger: log.logger, retry: false });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect(log.kinds()).toEqual(['request', 'response 401', 'error TOKEN_REQUEST_FAILED']);
    expect(log.events.at(-1)).toMatchObject({ type: 'error', method: 'POST', url: `${org.url}/oauth2/v1/token`, attempt: 1 });
    // The refused answer's request id, the error's, for a support case (core's failureEvent).
    expect(log.events.at(-1)).toMatchObject({ requestId: (error as { requestId: string }).requestId });
    expect((error as { requestId?: unknown }).requestId).toEqual(expect.any(String));
  });

  it("a token request that is no device poll refused with a poll's \"not yet\" (authorization_pending): a failure, logged", async () => {
    const org = await emulator();
    const log = recorder();
    const { okta } = serviceApp(org, { requireDpop: false }, { dpop: 'off', logger: log.logger, retry: false });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'authorization_pending', error_description: 'Not yet.' }, count: 1 });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'authorization_pending' });
    expect(log.kinds()).toEqual(['request', 'response 400', 'error TOKEN_REQUEST_FAILED']);
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

  // The poll types the token endpoint's refusal (access_denied, expired_token) as its own code; the
  // attempt's log ends with that code, the one the caller gets, not TOKEN_REQUEST_FAILED.
  it.each([
    ['the user denies', (org: OktaEmulator, userCode: string) => org.denyDevice(userCode), 'ACCESS_DENIED'],
    // The org's clock past the code's lifetime (600 s), the client's not: Okta answers expired_token.
    ['the device code expires at Okta', (org: OktaEmulator) => org.setClockOffset(3600), 'DEVICE_CODE_EXPIRED'],
  ] as const)('a device sign-in logs no error for authorization_pending, and the code the caller gets when %s', async (_, during, code) => {
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
      // No real wait: the org's clock moves instead; it happens during the second wait.
      sleep: (ms) => {
        polls += 1;
        org.setClockOffset((polls * ms) / 1000);
        if (polls === 2) during(org, device.userCode);
        return Promise.resolve();
      },
    });
    const device = await client.startDeviceSignIn();
    const error: unknown = await device.poll().catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    const tokenLog = log.kinds().slice(log.kinds().lastIndexOf('response 200') + 1);
    // (An expired code answered an hour off Okta's clock is re-sent once, signed by Okta's time: no error between.)
    expect(tokenLog.slice(0, 4)).toEqual(['request', 'response 400', 'request', 'response 400']);
    expect(tokenLog.filter((kind) => kind.startsWith('error'))).toEqual([`error ${code}`]);
    expect(tokenLog.at(-1)).toBe(`error ${code}`);
  });

  it("a refresh Okta refuses with invalid_grant: the log ends with LOGIN_REQUIRED, the caller's code", async () => {
    const { log, client, tokens } = await signedIn();
    const credential = client.credential(tokens);
    // Revoked at Okta (another device signed out): the next refresh is refused with invalid_grant.
    await client.signOut(tokens);
    log.events.length = 0;
    const error: unknown = await credential.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOGIN_REQUIRED', error: 'invalid_grant' });
    expect(log.kinds()).toEqual(['request', 'response 400', 'error LOGIN_REQUIRED']);
  });

  // A token answer of 200 whose ID token fails a claim check: the caller gets ID_TOKEN_INVALID, and
  // the token request's log ends with it (after the key set's own request, when the check fetched it).
  it.each([
    ['a sign-in (authorization code)', 'issuer'],
    ['a device sign-in', 'audience'],
    ['a refresh', 'expired'],
  ] as const)('an ID token refused after a 200 in %s: the log ends with ID_TOKEN_INVALID, on the token request', async (flow, corruption) => {
    const org = await emulator();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true });
    const log = recorder();
    const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid', 'offline_access'], allowInsecureLoopback: true, logger: log.logger, sleep: () => Promise.resolve() });
    const device = async () => {
      const started = await client.startDeviceSignIn();
      org.approveDevice(started.userCode, 'ada@example.com');
      return started.poll();
    };
    let work: () => Promise<unknown>;
    if (flow === 'a sign-in (authorization code)') {
      const { url, transaction } = await client.startSignIn();
      const callback = await fillSignInForm(url, 'ada@example.com', 'Correct-Horse-9');
      work = () => client.finishSignIn(callback, transaction);
    } else if (flow === 'a device sign-in') {
      work = device;
    } else {
      const credential = client.credential((await device()).tokens);
      work = () => credential.getAccessToken({ forceRefresh: true });
    }
    log.events.length = 0;
    org.corruptNextIdToken(corruption);
    const error: unknown = await work().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID' });
    const token = log.events.filter((e) => 'url' in e && e.url === `${org.url}/oauth2/v1/token`).map((e) => (e.type === 'error' ? `error ${e.code}` : e.type === 'response' ? `response ${e.status}` : e.type));
    expect(token.slice(-3)).toEqual(['request', 'response 200', 'error ID_TOKEN_INVALID']);
    const refused = log.events.map((e) => e.type === 'error' && 'code' in e && e.code === 'ID_TOKEN_INVALID').lastIndexOf(true);
    expect(log.events[refused]).toMatchObject({ type: 'error', code: 'ID_TOKEN_INVALID', method: 'POST', url: `${org.url}/oauth2/v1/token` });
    // After it, only the revocation of the refused sign-in's tokens (web154b), none after a refresh's refusal.
    for (const event of log.events.slice(refused + 1)) expect(event).toMatchObject({ url: `${org.url}/oauth2/v1/revoke` });
  });

  it('a refresh answered 200 with a token of another type: the log ends with INVALID_TOKEN_RESPONSE', async () => {
    const { org, log, tokens, clientId } = await signedIn();
    // Bearer tokens from before the app turned DPoP on, renewed by a client that now sends proofs.
    const dpopClient = createSignInClient({ orgUrl: org.url, clientId, scopes: ['openid', 'offline_access'], allowInsecureLoopback: true, logger: log.logger, dpop: 'auto' });
    const credential = dpopClient.credential(tokens);
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 200, body: { access_token: 'a'.repeat(40), token_type: 'DPoP', expires_in: 3600, refresh_token: 'r'.repeat(40) }, count: 1 });
    log.events.length = 0;
    const error: unknown = await credential.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN_RESPONSE', message: 'The refreshed access token is DPoP, the original was Bearer; it was not used.' });
    // Before, the log ended at response 200.
    expect(log.kinds().slice(-3)).toEqual(['request', 'response 200', 'error INVALID_TOKEN_RESPONSE']);
  });

  it('a revocation Okta refuses: sign-out does not throw for it, and its log ends with error OAUTH_ERROR', async () => {
    const { org, log, client, tokens } = await signedIn();
    org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 400, body: { error: 'invalid_request', error_description: 'Refused.' }, count: 2 });
    log.events.length = 0;
    const result = await client.signOut(tokens);
    expect(result.notRevoked.map((n) => n.token)).toEqual(['refresh_token', 'access_token']);
    expect(log.kinds()).toEqual(['request', 'response 400', 'error OAUTH_ERROR', 'request', 'response 400', 'error OAUTH_ERROR']);
  });
});
