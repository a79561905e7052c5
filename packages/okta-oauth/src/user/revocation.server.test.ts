/**
 * Sign-out's revocations and the end-session URL, and introspection, over real HTTP against
 * @org/okta-emulator: only the tokens there are are revoked; a failure names its endpoint; a
 * signer's raw `TimeoutError` is a `TIMEOUT` not revoked; the end-session URL carries exactly what
 * it was given (or is not made); introspection sends its hint only when given, refuses an empty
 * token before sending it, and an answer without a boolean `active`.
 */
import { describe, expect, it } from 'vitest';
import { kmsKey } from '../test-helpers/keys.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { clientFor, postLogoutRedirectUri, redirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const revokePath = '/oauth2/v1/revoke';

describe('sign-out', () => {
  it('revokes only the tokens there are: an access token without a refresh token, one request', async () => {
    const wire = recordingFetch();
    const client = spaOf(env.org, { fetch: wire.fetch, scopes: ['openid', 'okta.users.read'] });
    const { tokens } = await signIn(client);
    expect(tokens.refreshToken).toBeUndefined();
    const result = await client.signOut(tokens);
    expect(result).toMatchObject({ revoked: ['access_token'], notRevoked: [] });
    expect(wire.sent.filter((r) => r.url.pathname === revokePath).map((r) => r.form?.get('token_type_hint'))).toEqual(['access_token']);
  });

  it('a revocation endpoint failing: not revoked, the error naming the revocation endpoint', async () => {
    const client = spaOf(env.org, { retry: false });
    const { tokens } = await signIn(client);
    env.org.injectFault({ path: revokePath, kind: 'status', status: 500, count: 1 });
    const { revoked, notRevoked } = await client.signOut(tokens);
    expect(revoked).toEqual(['access_token']);
    expect(notRevoked).toHaveLength(1);
    expect(notRevoked[0]?.token).toBe('refresh_token');
    expect(notRevoked[0]?.error.message).toContain('revocation endpoint');
  });

  it("a fetch option's 200 without a body is a revocation done", async () => {
    const bodiless: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (new URL(response.url).pathname !== revokePath) return response;
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    };
    const client = spaOf(env.org, { fetch: bodiless });
    const { tokens } = await signIn(client);
    expect((await client.signOut(tokens)).revoked).toEqual(['refresh_token', 'access_token']);
  });

  it("a signer's raw TimeoutError is a TIMEOUT not revoked; a thrown null reaches the caller as itself", async () => {
    const kms = await kmsKey('kms-timeout');
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [kms.publicJwk] });
    let thrown: unknown;
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- user code may reject with anything
    const sign: typeof kms.signer.sign = (data, options) => (thrown === undefined ? kms.signer.sign(data, options) : Promise.reject(thrown));
    const client = clientFor(env.org, app, { clientAuth: privateKeyJwt({ ...kms.signer, sign }) });
    const { tokens } = await signIn(client);
    thrown = new DOMException('The KMS call timed out', 'TimeoutError');
    const { revoked, notRevoked } = await client.signOut(tokens);
    expect(revoked).toEqual([]);
    expect(notRevoked.map(({ token, error }) => [token, error.code, error.cause])).toEqual([
      ['refresh_token', 'TIMEOUT', thrown],
      ['access_token', 'TIMEOUT', thrown],
    ]);
    expect(notRevoked[0]?.error.message).toContain('timeoutMs');
    thrown = null;
    await expect(client.signOut(tokens)).rejects.toBeNull();
  });
});

describe("sign-out's end-session URL", () => {
  it('carries the postLogoutRedirectUri given to signOut over the client’s, and no state unless given', async () => {
    const other = 'http://127.0.0.1:5173/signed-out';
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    const { logoutUrl } = await client.signOut(tokens, { postLogoutRedirectUri: other });
    expect(logoutUrl?.searchParams.get('post_logout_redirect_uri')).toBe(other);
    expect(logoutUrl?.searchParams.has('state')).toBe(false);
    expect(logoutUrl?.searchParams.get('id_token_hint')).toBe(tokens.idToken?.reveal());
  });

  it('is not made without an ID token, nor without a postLogoutRedirectUri', async () => {
    const noOpenId = spaOf(env.org, { scopes: ['offline_access', 'okta.users.read'] });
    const { tokens: withoutIdToken } = await signIn(noOpenId);
    expect(withoutIdToken.idToken).toBeUndefined();
    expect((await noOpenId.signOut(withoutIdToken)).logoutUrl).toBeUndefined();
    const noRedirect = spaOf(env.org, { postLogoutRedirectUri: undefined });
    const { tokens } = await signIn(noRedirect);
    const result = await noRedirect.signOut(tokens);
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    expect(result.logoutUrl).toBeUndefined();
  });

  it('refuses a postLogoutRedirectUri that is no redirect URI before anything is sent', async () => {
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    env.org.resetCounters();
    expect(await failure(client.signOut(tokens, { postLogoutRedirectUri: 'javascript:alert(1)' }))).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringContaining('signOut: postLogoutRedirectUri'),
    });
    expect(env.org.counters().requests[`POST ${revokePath}`]).toBeUndefined();
  });

  it("a credential signed out already: a second sign-out revokes nothing and reports nothing", async () => {
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    await credential.signOut();
    expect(await credential.signOut()).toEqual({ revoked: [], notRevoked: [], logoutUrl: undefined });
  });
});

describe('introspection', () => {
  const confidential = (options = {}) => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'] });
    const wire = recordingFetch();
    return { client: clientFor(env.org, app, { fetch: wire.fetch, retry: false, ...options }), wire };
  };
  const introspections = (wire: ReturnType<typeof recordingFetch>) => wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/introspect');

  it('sends token_type_hint only when given', async () => {
    const { client, wire } = confidential();
    const { tokens } = await signIn(client);
    expect((await client.introspect(tokens.accessToken)).active).toBe(true);
    expect((await client.introspect(tokens.refreshToken!, { tokenTypeHint: 'refresh_token' })).active).toBe(true);
    expect(introspections(wire).map((r) => r.form?.get('token_type_hint') ?? null)).toEqual([null, 'refresh_token']);
  });

  it('refuses an empty token, or one that is no string, before sending anything', async () => {
    const { client, wire } = confidential();
    for (const token of ['', 42 as unknown as string]) {
      expect(await failure(client.introspect(token))).toMatchObject({ code: 'INVALID_CONFIG', message: 'introspect: the token is empty.' });
    }
    expect(introspections(wire)).toHaveLength(0);
  });

  it("a public (PKCE) client introspects its own tokens with its client_id alone, as Okta takes it; another client's token is inactive", async () => {
    const wire = recordingFetch();
    const client = spaOf(env.org, { fetch: wire.fetch, retry: false });
    const { tokens } = await signIn(client);
    expect(await client.introspect(tokens.accessToken)).toMatchObject({ active: true, token_type: 'Bearer', client_id: client.clientId });
    const [sent] = introspections(wire);
    expect(sent?.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(sent?.form ?? [])).toEqual({ token: tokens.accessToken.reveal(), client_id: client.clientId });
    // Revoked: inactive (Okta answers 200 active: false).
    await client.signOut(tokens);
    expect(await client.introspect(tokens.accessToken)).toEqual({ active: false });
    const other = await signIn(confidential().client);
    expect(await client.introspect(other.tokens.accessToken)).toEqual({ active: false });
  });

  it('refuses an answer without a boolean active, and names the introspection endpoint when it fails', async () => {
    const { client } = confidential();
    env.org.injectFault({ path: '/oauth2/v1/introspect', kind: 'status', status: 200, body: { active: 'true' }, count: 1 });
    expect(await failure(client.introspect('token-value'))).toMatchObject({ code: 'INVALID_RESPONSE', message: "Okta's introspection answer has no boolean active." });
    for (const fault of [{ kind: 'status', status: 500 }, { kind: 'non-json' }] as const) {
      env.org.injectFault({ path: '/oauth2/v1/introspect', ...fault, count: 1 });
      expect((await failure(client.introspect('token-value'))).message, fault.kind).toContain('introspection endpoint');
    }
  });
});
