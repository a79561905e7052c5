/**
 * Twentieth session, red team of okta-oauth from the network side: a token request is sent more
 * than once (the `use_dpop_nonce` retry, the re-signed retry when the org's clock is far off, 429
 * retries), and each attempt carries a new client assertion and a new DPoP proof. An answer was
 * scrubbed of the secrets of the attempt that got it only, so a last answer that echoed an earlier
 * attempt's assertion (still valid for its minutes, and never used if a proxy stopped it) put it
 * whole in `TOKEN_REQUEST_FAILED`'s message, `error_description` and the logger's events. Every
 * attempt of one token request is scrubbed of the assertions and proofs of all its attempts.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, isOktaAuthError, type OktaLogger } from '@org/okta-auth-core';
import { createServiceAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { clientKeyPem, json, receivedSecrets, startHostileOrg, type HostileOrg } from './test-helpers/hostile.js';
import { LeakHarness } from './test-helpers/leaks.js';

let org: HostileOrg;
let harness: LeakHarness;

beforeEach(async () => {
  org = await startHostileOrg();
  harness = new LeakHarness();
});
afterEach(async () => {
  await org.close();
});

const logger = (): OktaLogger => harness.logger('log');

/** Searches everything collected for every secret the org received, in any request. */
function noLeaks(label: string, ...artefacts: unknown[]): void {
  for (const artefact of artefacts) harness.collect(label, artefact);
  harness.addSecrets(receivedSecrets(org));
  expect(harness.scan().map((f) => `${f.artefact} ${f.form}: ${f.secret}`)).toEqual([]);
}

/** Answers `first` to the first token request, then an OAuth error echoing what every request so far carried. */
function echoEarlier(first: (res: Parameters<typeof json>[0]) => void): void {
  const echoes: string[] = [];
  org.route('/oauth2/v1/token', (request, res) => {
    echoes.push(request.echo);
    if (echoes.length === 1) first(res);
    else json(res, 400, { error: 'invalid_client', error_description: `earlier: ${echoes.join(' ')}` }, { 'x-okta-request-id': echoes.join(' ').slice(0, 4000) });
  });
}

const service = (dpop: 'auto' | 'off') =>
  createServiceAppCredential({ orgUrl: org.url, clientId: '0oa-svc', privateKey: clientKeyPem(), scopes: ['okta.users.read'], dpop, allowInsecureLoopback: true, logger: logger(), retry: { limit: 2, maxWaitMs: 5000 } });

describe('hostile oauth: an answer echoing an earlier attempt of the same token request', () => {
  const nonceFirst = (res: Parameters<typeof json>[0]) => json(res, 400, { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' }, { 'dpop-nonce': 'nonce-0123456789' });

  it.each([
    ['a use_dpop_nonce retry (the first assertion and proof)', 'auto' as const, nonceFirst],
    ['a re-signed retry for a far-off Date', 'off' as const, (res: Parameters<typeof json>[0]) => json(res, 400, { error: 'invalid_client', error_description: 'The client_assertion token has expired.' }, { date: new Date(Date.now() + 3_600_000).toUTCString() })],
    ['a 429 retry', 'off' as const, (res: Parameters<typeof json>[0]) => json(res, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, { 'retry-after': '0' })],
  ])('after %s, the second answer echoing the first attempt leaks it nowhere (service app)', async (label, dpop, first) => {
    echoEarlier(first);
    const result = await outcome(createOktaFetch({ credential: service(dpop), logger: logger() })('/api/v1/users'));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(org.requests.filter((r) => r.path === '/oauth2/v1/token')).toHaveLength(2);
    noLeaks(label, result);
  });

  it('a DPoP refresh after a use_dpop_nonce retry, answered with an echo of the first proof, leaks it nowhere (users)', async () => {
    echoEarlier(nonceFirst);
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oa-spa', redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid', 'offline_access'], dpop: 'auto', allowInsecureLoopback: true, logger: logger(), retry: false });
    const refreshToken = `rt-${randomBytes(24).toString('base64url')}`;
    const expired = UserTokens.fromStorable({ version: 1, accessToken: `at-${randomBytes(24).toString('base64url')}`, tokenType: 'Bearer', refreshToken, expiresAt: Date.now() - 1000, scope: 'openid offline_access' });
    const result = await outcome(client.credential(expired).getAccessToken());
    expect(result.ok).toBe(false);
    expect(org.requests.filter((r) => r.path === '/oauth2/v1/token')).toHaveLength(2);
    noLeaks('user use_dpop_nonce retry', result);
  });

  it('a revocation after a 429 retry, answered with an echo of the first assertion, leaks it nowhere (private_key_jwt sign-in client)', async () => {
    const echoes: string[] = [];
    org.route('/oauth2/v1/revoke', (request, res) => {
      echoes.push(request.echo);
      if (echoes.length === 1) json(res, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, { 'retry-after': '0' });
      else json(res, 400, { error: 'invalid_client', error_description: `earlier: ${echoes.join(' ')}` }, { 'x-okta-request-id': echoes.join(' ').slice(0, 4000) });
    });
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oa-web', privateKey: clientKeyPem(), redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid'], allowInsecureLoopback: true, logger: logger(), retry: { limit: 2, maxWaitMs: 5000 } });
    const tokens = UserTokens.fromStorable({ version: 1, accessToken: `at-${randomBytes(24).toString('base64url')}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: 'openid' });
    const result = await outcome(client.signOut(tokens));
    expect(org.requests.filter((r) => r.path === '/oauth2/v1/revoke')).toHaveLength(2);
    noLeaks('revocation 429 retry', result);
  });
});
