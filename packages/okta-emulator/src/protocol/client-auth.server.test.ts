import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials, type SignInAppCredentials } from '../index.js';
import { basic, clientAssertion, JWT_BEARER, type AssertionOptions } from '../test-helpers/oauth.js';

// Each app type with each token_endpoint_auth_method, at /revoke (which authenticates the client
// and answers 200 for any token) and /token: the configured method is accepted, any other is 401
// invalid_client before a secret or signature is even checked.
describe('client authentication by the app token_endpoint_auth_method', () => {
  let org: OktaEmulator;
  const redirectUris = ['http://localhost/cb'];
  let post: SignInAppCredentials;
  let jwt: SignInAppCredentials;
  let keyed: SignInAppCredentials;
  let spa: SignInAppCredentials;
  let oinPost: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
    post = org.createSignInApp({ type: 'web', redirectUris, tokenEndpointAuthMethod: 'client_secret_post' });
    jwt = org.createSignInApp({ type: 'web', redirectUris, tokenEndpointAuthMethod: 'client_secret_jwt' });
    keyed = org.createSignInApp({ type: 'web', redirectUris, tokenEndpointAuthMethod: 'private_key_jwt', keyType: 'EC' });
    spa = org.createSignInApp({ type: 'spa', redirectUris });
    oinPost = org.createOinApp({ scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'client_secret_post' });
  });
  afterAll(() => org.close());

  const revokeUrl = (): string => `${org.url}/oauth2/v1/revoke`;
  const revoke = (form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(revokeUrl(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ token: 'some-token', ...form }) });
  // Another method than the app's: the catalogue's invalid_token_endpoint_auth_method (C12).
  const WRONG_METHOD = 'Client authentication failed. Either the client or the client credentials are invalid.';
  const refusal = async (res: Response): Promise<{ status: number; error: string; description: string }> => {
    const body = (await res.json()) as { error: string; error_description: string };
    return { status: res.status, error: body.error, description: body.error_description };
  };
  const secretJwt = (app: SignInAppCredentials, o: AssertionOptions = {}): Promise<string> =>
    clientAssertion(org, { clientId: app.clientId } as ServiceAppCredentials, { alg: 'HS256', kid: null, aud: revokeUrl(), key: new TextEncoder().encode(app.clientSecret ?? ''), ...o });

  it('client_secret_post: the secret in the body is accepted, Basic is not, a wrong secret is not', async () => {
    expect((await revoke({ client_id: post.clientId, client_secret: post.clientSecret ?? '' })).status).toBe(200);
    expect(await refusal(await revoke({}, { Authorization: basic(post.clientId, post.clientSecret ?? '') }))).toEqual({
      status: 401,
      error: 'invalid_client',
      description: WRONG_METHOD,
    });
    expect(await refusal(await revoke({ client_id: post.clientId, client_secret: 'wrong' }))).toMatchObject({ status: 401, description: 'The client secret supplied for a confidential client is invalid.' });
  });

  it.each(['HS256', 'HS384', 'HS512'])('client_secret_jwt: an %s assertion keyed with the secret is accepted', async (alg) => {
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await secretJwt(jwt, { alg }) })).status).toBe(200);
  });

  it('client_secret_jwt: another key, another audience, a replayed jti, a far exp or the secret itself are refused', async () => {
    const send = async (assertion: string) => refusal(await revoke({ client_assertion_type: JWT_BEARER, client_assertion: assertion }));
    expect(await send(await secretJwt(jwt, { key: new TextEncoder().encode('x'.repeat(40)) }))).toMatchObject({ status: 401, description: 'The client_assertion signature is invalid.' });
    expect(await send(await secretJwt(jwt, { aud: `${org.url}/oauth2/v1/token` }))).toMatchObject({ description: 'The audience claim for client_assertion must be the endpoint invoked for the request.' });
    const once = await secretJwt(jwt, { jti: 'same-jti' });
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: once })).status).toBe(200);
    expect(await send(once)).toMatchObject({ description: 'The client_assertion token has already been used.' });
    expect(await send(await secretJwt(jwt, { exp: Math.floor(Date.now() / 1000) + 7200 }))).toMatchObject({ description: 'The client_assertion token has an expiration too far into the future.' });
    expect(await refusal(await revoke({ client_id: jwt.clientId, client_secret: jwt.clientSecret ?? '' }))).toMatchObject({
      status: 401,
      description: WRONG_METHOD,
    });
  });

  it('private_key_jwt web app: its key is accepted; an HS256 assertion or a client_id alone is refused', async () => {
    const app = { clientId: keyed.clientId, keyId: keyed.keyId, privateKeyPem: keyed.privateKeyPem, privateJwk: keyed.privateJwk } as ServiceAppCredentials;
    expect(keyed.clientSecret).toBeUndefined();
    expect((await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app, { aud: revokeUrl() }) })).status).toBe(200);
    const hs = await clientAssertion(org, app, { alg: 'HS256', kid: null, aud: revokeUrl(), key: new TextEncoder().encode('y'.repeat(40)) });
    expect(await refusal(await revoke({ client_assertion_type: JWT_BEARER, client_assertion: hs }))).toMatchObject({ status: 401, description: 'The client_assertion JWT signature algorithm is invalid.' });
    expect((await revoke({ client_id: keyed.clientId })).status).toBe(401);
  });

  it('a secret app refuses an assertion signed with a key, and a client_secret_basic app refuses client_secret_jwt', async () => {
    const basicApp = org.createSignInApp({ type: 'web', redirectUris });
    expect(await refusal(await revoke({ client_assertion_type: JWT_BEARER, client_assertion: await secretJwt(basicApp) }))).toMatchObject({
      status: 401,
      description: WRONG_METHOD,
    });
    expect((await revoke({}, { Authorization: basic(basicApp.clientId, basicApp.clientSecret ?? '') })).status).toBe(200);
  });

  it('none: an SPA authenticates with client_id alone and may not send a secret', async () => {
    expect((await revoke({ client_id: spa.clientId })).status).toBe(200);
    expect(await refusal(await revoke({ client_id: spa.clientId, client_secret: 'anything-at-all' }))).toMatchObject({
      status: 401,
      description: WRONG_METHOD,
    });
  });

  it('an OIN integration set to client_secret_post gets tokens with the secret in the body, not with Basic', async () => {
    const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(`${org.url}/oauth2/v1/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'okta.users.read', ...form }),
      });
    const ok = await token({ client_id: oinPost.clientId, client_secret: oinPost.clientSecret });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { token_type: string }).token_type).toBe('Bearer');
    expect(await refusal(await token({}, { Authorization: basic(oinPost.clientId, oinPost.clientSecret) }))).toMatchObject({ status: 401, error: 'invalid_client' });
  });

  it('says each app method in the Apps API and all five in discovery', async () => {
    const metadata = (await (await fetch(`${org.url}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none']);
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toContain('HS256');
    const { token } = org.createApiToken();
    const method = async (id: string) => {
      const app = (await (await fetch(`${org.url}/api/v1/apps/${id}`, { headers: { Authorization: `SSWS ${token}` } })).json()) as { credentials: { oauthClient: { token_endpoint_auth_method: string } } };
      return app.credentials.oauthClient.token_endpoint_auth_method;
    };
    expect([await method(post.clientId), await method(jwt.clientId), await method(keyed.clientId), await method(spa.clientId), await method(oinPost.clientId)]).toEqual([
      'client_secret_post',
      'client_secret_jwt',
      'private_key_jwt',
      'none',
      'client_secret_post',
    ]);
  });

  it('refuses a tokenEndpointAuthMethod an app type cannot have', () => {
    expect(() => org.createSignInApp({ type: 'spa', redirectUris, tokenEndpointAuthMethod: 'client_secret_basic' })).toThrow(/public client/);
    expect(() => org.createOinApp({ scopes: [], tokenEndpointAuthMethod: 'private_key_jwt' as 'client_secret_post' })).toThrow(/client_secret_basic/);
  });
});
