import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator, type ServiceAppCredentials } from '../index.js';
import { basic, clientAssertion, dpopKey, form, JWT_BEARER, postToken, serviceToken } from '../test-helpers/oauth.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('revoke and introspect', () => {
  let org: OktaEmulator;
  let spa: { clientId: string };
  let web: { clientId: string; clientSecret?: string };
  let service: ServiceAppCredentials;

  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: 'ada@example.com', password: 'pw-Ada-1', admin: true });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    service = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC' });
  });
  afterAll(() => org.close());

  const post = (path: string, params: Record<string, string>, headers: Record<string, string> = {}) => {
    const init = form(params);
    return fetch(`${org.url}${path}`, { ...init, headers: { ...init.headers, ...headers } });
  };

  it('introspects an active access token and a refresh token', async () => {
    const t = await userTokens(org, spa.clientId, 'ada@example.com', 'pw-Ada-1', 'openid offline_access okta.users.read');
    const res = await post('/oauth2/v1/introspect', { token: t.access_token, client_id: spa.clientId });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: true, scope: 'openid offline_access okta.users.read', username: 'ada@example.com', client_id: spa.clientId, token_type: 'Bearer', iss: org.url, exp: expect.any(Number) });
    const rt = await (await post('/oauth2/v1/introspect', { token: t.refresh_token!, token_type_hint: 'refresh_token', client_id: spa.clientId })).json();
    expect(rt).toMatchObject({ active: true, token_type: 'Bearer' });
  });

  it("reports another client's token, garbage, and expired tokens as inactive", async () => {
    const t = await userTokens(org, spa.clientId, 'ada@example.com', 'pw-Ada-1');
    const other = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    expect(await (await post('/oauth2/v1/introspect', { token: t.access_token, client_id: other.clientId })).json()).toEqual({ active: false });
    expect(await (await post('/oauth2/v1/introspect', { token: 'nope', client_id: spa.clientId })).json()).toEqual({ active: false });
    org.setClockOffset(3601);
    try {
      expect(await (await post('/oauth2/v1/introspect', { token: t.access_token, client_id: spa.clientId })).json()).toEqual({ active: false });
    } finally {
      org.setClockOffset(0);
    }
  });

  it('introspection shows cnf.jkt for a DPoP token, and needs client authentication', async () => {
    const { access_token } = await serviceToken(org, service, 'okta.users.read', await dpopKey());
    const assertion = await clientAssertion(org, service, { aud: `${org.url}/oauth2/v1/introspect` });
    const res = await post('/oauth2/v1/introspect', { token: access_token, client_assertion_type: JWT_BEARER, client_assertion: assertion });
    const body = await res.json();
    expect(body).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt: expect.any(String) } });
    const unauth = await post('/oauth2/v1/introspect', { token: access_token });
    expect(unauth.status).toBe(401);
    expect((await unauth.json()).error).toBe('invalid_client');
  });

  it('revokes an access token', async () => {
    const t = await userTokens(org, spa.clientId, 'ada@example.com', 'pw-Ada-1', 'openid okta.users.read');
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${t.access_token}` } })).status).toBe(200);
    const res = await post('/oauth2/v1/revoke', { token: t.access_token, token_type_hint: 'access_token', client_id: spa.clientId });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${t.access_token}` } })).status).toBe(401);
  });

  it('revoking a refresh token also revokes its access tokens', async () => {
    const t = await userTokens(org, spa.clientId, 'ada@example.com', 'pw-Ada-1', 'openid offline_access okta.users.read');
    const refreshed = await (await postToken(org, { grant_type: 'refresh_token', refresh_token: t.refresh_token!, client_id: spa.clientId })).json();
    expect((await post('/oauth2/v1/revoke', { token: refreshed.refresh_token, client_id: spa.clientId })).status).toBe(200);
    expect((await postToken(org, { grant_type: 'refresh_token', refresh_token: refreshed.refresh_token, client_id: spa.clientId })).status).toBe(400);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${refreshed.access_token}` } })).status).toBe(401);
  });

  it('answers 200 for an unknown token, 400 without a token, 401 for bad client credentials', async () => {
    expect((await post('/oauth2/v1/revoke', { token: 'unknown', client_id: spa.clientId })).status).toBe(200);
    const missing = await post('/oauth2/v1/revoke', { client_id: spa.clientId });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error).toBe('invalid_request');
    const bad = await post('/oauth2/v1/revoke', { token: 'x' }, { Authorization: basic(web.clientId, 'wrong') });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toBe('invalid_client');
    expect((await post('/oauth2/v1/revoke', { token: 'x' }, { Authorization: basic(web.clientId, web.clientSecret!) })).status).toBe(200);
  });

  it("cannot revoke another client's token", async () => {
    const t = await userTokens(org, spa.clientId, 'ada@example.com', 'pw-Ada-1', 'openid okta.users.read');
    await post('/oauth2/v1/revoke', { token: t.access_token }, { Authorization: basic(web.clientId, web.clientSecret!) });
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${t.access_token}` } })).status).toBe(200);
  });
});

describe('userinfo', () => {
  let org: OktaEmulator;
  let spa: { clientId: string };
  beforeAll(async () => {
    org = await startEmulator();
    org.createUser({ login: 'grace@example.com', password: 'pw-Grace-1', firstName: 'Grace', lastName: 'Hopper' });
    spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
  });
  afterAll(() => org.close());

  it('returns claims for the granted scopes', async () => {
    const full = await userTokens(org, spa.clientId, 'grace@example.com', 'pw-Grace-1', 'openid profile email');
    const res = await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${full.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sub: expect.stringMatching(/^00u/), name: 'Grace Hopper', preferred_username: 'grace@example.com', email: 'grace@example.com', given_name: 'Grace', family_name: 'Hopper' });
    const min = await userTokens(org, spa.clientId, 'grace@example.com', 'pw-Grace-1', 'openid');
    const body = await (await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${min.access_token}` } })).json();
    expect(Object.keys(body)).toEqual(['sub']);
  });

  // Okta answers /userinfo's refusals in the WWW-Authenticate challenge alone (RFC 6750 §3): OAS lists no body for its
  // 401 and 403, and a 401 for an unknown token was sent with Content-Length: 0 (panva/openid-client#102).
  const refusal = async (res: Response) => ({ status: res.status, body: await res.text(), type: res.headers.get('content-type'), challenge: res.headers.get('www-authenticate') });
  const challenge = (error: string, description: string, scope?: string) =>
    `Bearer authorization_uri="${org.url}/oauth2/v1/authorize", realm="${org.url}", ${scope === undefined ? '' : `scope="${scope}", `}error="${error}", error_description="${description}", resource="/oauth2/v1/userinfo"`;

  it('answers 401 invalid_request "The access token is missing." without an access token, in the challenge alone (Okta catalogue)', async () => {
    expect(await refusal(await fetch(`${org.url}/oauth2/v1/userinfo`))).toEqual({ status: 401, body: '', type: null, challenge: challenge('invalid_request', 'The access token is missing.') });
    // An Authorization header that holds no Bearer or DPoP token: before, the management API's 403 E0000005 body.
    for (const authorization of ['Bearer', 'Basic Z3JhY2U6cHc=', 'Bearer a b']) {
      const res = await refusal(await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: authorization } }));
      expect(res).toEqual({ status: 401, body: '', type: null, challenge: challenge('invalid_request', 'The access token is missing.') });
    }
  });

  it('refuses an access token in the query string: 400 invalid_request, with or without the header (catalogue access_token_in_query)', async () => {
    const { access_token } = await userTokens(org, spa.clientId, 'grace@example.com', 'pw-Grace-1', 'openid');
    for (const headers of [{}, { Authorization: `Bearer ${access_token}` }]) {
      const res = await refusal(await fetch(`${org.url}/oauth2/v1/userinfo?access_token=${access_token}`, { headers }));
      expect(res).toEqual({ status: 400, body: '', type: null, challenge: challenge('invalid_request', 'The access token cannot be presented in a query string.') });
    }
  });

  it('refuses an access token in both the Authorization header and a form body (catalogue access_token_duplicate)', async () => {
    const { access_token } = await userTokens(org, spa.clientId, 'grace@example.com', 'pw-Grace-1', 'openid');
    const post = (body: string) =>
      fetch(`${org.url}/oauth2/v1/userinfo`, { method: 'POST', headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    const both = await refusal(await post(new URLSearchParams({ access_token }).toString()));
    expect(both).toEqual({ status: 400, body: '', type: null, challenge: challenge('invalid_request', 'The access token cannot be specified in both the Authorization header and the request-body.') });
    expect(both.challenge).not.toContain(access_token);
    // A form without the token, and the header alone, are served.
    expect((await post('')).status).toBe(200);
    expect((await post('other=1')).status).toBe(200);
  });

  it('answers 401 invalid_token for an unknown token or an API token, with no body', async () => {
    const unknown = await refusal(await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: 'Bearer nope' } }));
    expect(unknown).toEqual({ status: 401, body: '', type: null, challenge: challenge('invalid_token', 'The access token is invalid.') });
    const ssws = await refusal(await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `SSWS ${org.createApiToken().token}` } }));
    expect(ssws).toEqual({ status: 401, body: '', type: null, challenge: challenge('invalid_token', 'The access token is invalid.') });
  });

  it('answers 403 insufficient_scope with scope="openid" for a user or service token without openid (catalogue access_token_insufficient_scopes)', async () => {
    const svc = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC', requireDpop: false });
    const service = (await serviceToken(org, svc, 'okta.users.read')).access_token;
    const admin = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    const user = (await userTokens(org, admin.clientId, 'grace@example.com', 'pw-Grace-1', 'okta.users.read')).access_token;
    for (const token of [service, user]) {
      const res = await refusal(await fetch(`${org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${token}` } }));
      expect(res).toEqual({ status: 403, body: '', type: null, challenge: challenge('insufficient_scope', 'The access token provided does not contain the required scopes.', 'openid') });
    }
  });
});
