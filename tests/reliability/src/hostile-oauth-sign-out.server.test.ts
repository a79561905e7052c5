/**
 * Issue 12 item 15: sign-out always ends the local session first (tokens dropped, storage
 * cleared, onTokens(null) called), then reports what the server did and did not revoke; a
 * revocation endpoint that refuses access tokens with 400 unsupported_token_type (RFC 7009
 * §2.2.1) or is down never makes signOut throw.
 */
import { createMemoryStorage, createSignInClient, isOktaSignInError, UserTokens, type SignInClient } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg, type HostileRoute } from './test-helpers/hostile-oauth-server.js';

const REDIRECT = 'http://127.0.0.1:5173/callback';
const STORAGE_KEY = 'tokens-of-ada';
let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

function client(url: string): SignInClient {
  return createSignInClient({ orgUrl: url, clientId: '0oaWeb', redirectUri: REDIRECT, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, timeoutMs: 10_000 }); // every call here must succeed or fail on its answer, never on a busy machine's clock
}

const tokens = () =>
  new UserTokens({ accessToken: 'ada-access-token-0123456789', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, refreshToken: 'ada-refresh-token-0123456789' });

/** Refuses to revoke access tokens, as a server issuing JWT access tokens may. */
const refusesAccessTokens: HostileRoute = ({ form }) =>
  form.get('token_type_hint') === 'access_token'
    ? { status: 400, body: { error: 'unsupported_token_type', error_description: 'Access tokens cannot be revoked.' } }
    : { status: 200 };

async function signedInCredential(signIn: SignInClient) {
  const storage = createMemoryStorage();
  const published: (UserTokens | null)[] = [];
  const credential = signIn.credential(tokens(), { storage, storageKey: STORAGE_KEY, onTokens: (next) => void published.push(next) });
  await credential.getAccessToken(); // the first storage write has landed
  return { credential, storage, published };
}

describe('hostile oauth: sign-out', () => {
  it('signOut reports an access token refused with unsupported_token_type instead of throwing, and ends the local session', async () => {
    org = await startHostileOrg({ '/oauth2/v1/revoke': refusesAccessTokens });
    const { credential, storage, published } = await signedInCredential(client(org.url));
    const result = await credential.signOut();
    expect(result.revoked).toEqual(['refresh_token']);
    expect(result.notRevoked.map((n) => n.token)).toEqual(['access_token']);
    const error = result.notRevoked[0]?.error;
    expect(isOktaSignInError(error) && [error.code, error.error]).toEqual(['OAUTH_ERROR', 'unsupported_token_type']);
    expect(credential.tokens).toBeUndefined();
    expect(await storage.get(STORAGE_KEY)).toBeUndefined();
    expect(published).toEqual([null]);
  });

  it('a sign-out whose revocation endpoint is down still ends the local session and reports both tokens not revoked', async () => {
    org = await startHostileOrg({ '/oauth2/v1/revoke': () => ({ status: 503, body: 'down' }) });
    const { credential, storage, published } = await signedInCredential(client(org.url));
    const result = await credential.signOut();
    expect(result.revoked).toEqual([]);
    expect(result.notRevoked.map((n) => [n.token, typeof n.error.code])).toEqual([
      ['refresh_token', 'string'],
      ['access_token', 'string'],
    ]);
    expect(credential.tokens).toBeUndefined();
    expect(await storage.get(STORAGE_KEY)).toBeUndefined();
    expect(published).toEqual([null]);
    await expect(credential.getAccessToken()).rejects.toMatchObject({ code: 'LOGIN_REQUIRED' });
  });

  it('the sign-in client signOut(tokens) reports unsupported_token_type instead of throwing', async () => {
    org = await startHostileOrg({ '/oauth2/v1/revoke': refusesAccessTokens });
    const result = await client(org.url).signOut(tokens());
    expect(result.revoked).toEqual(['refresh_token']);
    expect(result.notRevoked.map((n) => n.token)).toEqual(['access_token']);
  });

  it("reads the revocation endpoint's error answers with the token endpoint's one reader: an HTML page, an Okta API error, a long or echoing error", async () => {
    // The refresh token's revocation gets each answer in turn; the access token's always succeeds.
    const answers = [
      { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway: ada-refresh-token-0123456789</body></html>' },
      { status: 403, body: { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action' } },
      { status: 400, body: { error: `invalid_request ada-refresh-token-0123456789 ${'x'.repeat(200)}`, error_description: 'echo' } },
    ];
    org = await startHostileOrg({ '/oauth2/v1/revoke': ({ form }) => (form.get('token_type_hint') === 'refresh_token' ? (answers.shift() ?? { status: 200 }) : { status: 200 }) });
    const signIn = client(org.url);
    const failures = [];
    for (let i = 0; i < 3; i++) {
      const error = (await signIn.signOut(tokens())).notRevoked[0]?.error;
      expect(isOktaSignInError(error) && error.code).toBe('OAUTH_ERROR');
      failures.push(error);
    }
    const [html, okta, long] = failures;
    // What the body was, never what it said.
    // The org the request went to, never anything the answer said (orgerr140).
    const host = new URL(org.url).host;
    expect(html?.message).toBe(`Okta's revocation endpoint could not answer the request (502): the response was an HTML page, not Okta's JSON error (a proxy, a captive portal or an outage?). It was sent once, not again. (${host})`);
    // Okta's own error shape is read too (before: "without an OAuth error").
    expect(okta?.message).toBe(`Okta's revocation endpoint refused the request (403 E0000006): You do not have permission to perform the requested action. (${host})`);
    // `error` is cut at 100 characters, after the token it echoes was scrubbed.
    const longError = isOktaSignInError(long) ? long.error : undefined;
    expect(longError?.length).toBe(101);
    expect(longError?.endsWith('…')).toBe(true);
    expect(JSON.stringify(failures.map((f) => [f?.message, f]))).not.toContain('ada-refresh-token-0123456789');
  });
});
