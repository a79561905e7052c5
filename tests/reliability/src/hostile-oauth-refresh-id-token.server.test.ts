/**
 * OIDC Core §12.2: an ID token in a refresh answer must be for the same subject as the one it
 * replaces. A refresh answer carrying another user's ID token (and access token) is refused with
 * ID_TOKEN_INVALID (reason `subject`); the credential keeps its user, and the other user's access
 * token is never sent. Guards the check no test covered before the seventh red team.
 */
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createSignInClient, UserTokens } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';
import { signingKey, signJwt } from './test-helpers/scripted.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

describe('hostile oauth: a refresh answer for another user', () => {
  it("is ID_TOKEN_INVALID (subject); the credential keeps its user and never sends the other user's token", async () => {
    const now = Math.floor(Date.now() / 1000);
    let url = '';
    const idToken = (sub: string) => signJwt({ alg: 'RS256', kid: 'k1' }, { iss: url, aud: '0oaWeb', sub, iat: now, exp: now + 3600 });
    org = await startHostileOrg({
      '/oauth2/v1/token': () => ({
        body: { access_token: 'access-of-mallory-0123456789', token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-of-mallory-0123456789', id_token: idToken('00uMallory'), scope: 'openid okta.users.read' },
      }),
      '/oauth2/v1/keys': () => ({ body: { keys: [signingKey.jwk] } }),
      '/api/v1/users': () => ({ body: [] }),
    });
    url = org.url;
    const client = createSignInClient({ orgUrl: org.url, clientId: '0oaWeb', scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true, retry: false });
    const credential = client.credential(
      new UserTokens({ accessToken: 'access-of-alice-0123456789', tokenType: 'Bearer', expiresAt: Date.now() - 1000, refreshToken: 'refresh-of-alice-0123456789', idToken: idToken('00uAlice') }),
    );
    const error: unknown = await createOktaFetch({ credential })('/api/v1/users').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isOktaAuthError(error) && error.code).toBe('ID_TOKEN_INVALID');
    expect((error as { reason?: string }).reason).toBe('subject');
    expect(credential.claims?.sub).toBe('00uAlice');
    expect(credential.tokens?.accessToken.reveal()).toBe('access-of-alice-0123456789');
    expect(org.to('/api/v1/users')).toHaveLength(0);
  });
});
