/**
 * Issue 12 item 14 (lifetimes): a token endpoint answering a sub-second or absurd expires_in
 * is refused with INVALID_TOKEN_RESPONSE for client-credentials (OIN/service) and user tokens
 * alike, instead of costing a token request per call; a short but valid user token lifetime
 * (under renewBeforeSeconds) is renewed at half its lifetime, not on every call.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createOinAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function tokenOrg(expiresIn: unknown): Promise<HostileOrg> {
  let n = 0;
  return startHostileOrg({
    '/oauth2/v1/token': () => ({
      body: { access_token: `access-token-${++n}-0123456789`, token_type: 'Bearer', expires_in: expiresIn, refresh_token: `refresh-token-${n}-0123456789`, scope: 'okta.users.read' },
    }),
    '/api/v1/users': () => ({ body: [] }),
  });
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isOktaAuthError(error) ? error.code : `untyped ${String(error)}`),
  );

function userCredential(url: string) {
  const client = createSignInClient({ orgUrl: url, clientId: '0oaWeb', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
  return client.credential(new UserTokens({ accessToken: 'expired-access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-token-0-0123456789' }));
}

describe('hostile oauth: token lifetimes', () => {
  it.each([0.5, 0.001, 10 ** 12])('an OIN token with expires_in %s is refused with INVALID_TOKEN_RESPONSE, not used', async (expiresIn) => {
    org = await tokenOrg(expiresIn);
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: '0oaOin', clientSecret: 'oin-client-secret-0123456789', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
    const okta = createOktaFetch({ credential, retry: false });
    expect(await code(okta('/api/v1/users'))).toBe('INVALID_TOKEN_RESPONSE');
    expect(org.to('/api/v1/users')).toHaveLength(0);
  });

  it.each([0.5, 10 ** 12])('a user token refreshed with expires_in %s is refused with INVALID_TOKEN_RESPONSE', async (expiresIn) => {
    org = await tokenOrg(expiresIn);
    expect(await code(userCredential(org.url).getAccessToken())).toBe('INVALID_TOKEN_RESPONSE');
  });

  it('a user token living 30 s (under renewBeforeSeconds) is not renewed on every call', async () => {
    org = await tokenOrg(30);
    const credential = userCredential(org.url);
    for (let i = 0; i < 5; i++) expect(await code(credential.getAccessToken())).toBe('ok');
    expect(org.to('/oauth2/v1/token')).toHaveLength(1);
  });
});
