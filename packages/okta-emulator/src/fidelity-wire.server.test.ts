// The thirteenth session's wire audit (docs/FIDELITY.md rows Q1, Q2, W1, T7, I1; C12 is held in protocol/client-auth.server.test.ts), each with an
// accepted and a refused (or Okta-shaped) case, over real HTTP.
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from './test-helpers/api-token-org.js';
import { parseLinks, ssws } from './test-helpers/http.js';
import { form, postToken } from './test-helpers/oauth.js';
import { REDIRECT, userTokens } from './test-helpers/user-tokens.js';

const env = useApiTokenOrg({ seed: { users: 25 } });

const list = async (path: string) => {
  const res = await fetch(`${env.org.url}${path}`, { headers: ssws(env.token) });
  expect(res.status).toBe(200);
  return { items: (await res.json()) as { id: string; profile: Record<string, string> }[], links: parseLinks(res.headers.get('link')) };
};
/** How many items a page has, and whether it links to a next page. */
const shape = async (path: string) => {
  const { items, links } = await list(path);
  return { count: items.length, next: links.next !== undefined };
};

describe('q finds without paging (Users and Groups API: "doesn\'t support pagination")', () => {
  it('users: q returns 10 by default (limit still applies) and never a next link', async () => {
    expect(await shape('/api/v1/users?q=User')).toEqual({ count: 10, next: false });
    expect(await shape('/api/v1/users?q=User&limit=20')).toEqual({ count: 20, next: false });
    // Without q the list pages.
    expect(await shape('/api/v1/users?limit=20')).toEqual({ count: 20, next: true });
  });

  it('users: q matches firstName, lastName or email, not the login', async () => {
    env.org.createUser({ login: 'zq.login@example.com', email: 'mail.box@example.org', firstName: 'Quinn', lastName: 'Zebra', password: 'pw-Zq-1x' });
    expect((await list('/api/v1/users?q=zq.login')).items).toHaveLength(0);
    for (const q of ['mail.box', 'quinn', 'zebra']) {
      expect((await list(`/api/v1/users?q=${q}`)).items.map((u) => u.profile.login)).toEqual(['zq.login@example.com']);
    }
  });

  it('groups: q returns at most 300 by default and never a next link; the list without q pages', async () => {
    for (let i = 0; i < 302; i++) {
      const res = await fetch(`${env.org.url}/api/v1/groups`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { name: `Team ${i}` } }) });
      expect(res.status).toBe(200);
    }
    expect(await shape('/api/v1/groups?q=Team')).toEqual({ count: 300, next: false });
    expect(await shape('/api/v1/groups?limit=100')).toEqual({ count: 100, next: true });
  });
});

describe('the two discovery documents (okta-oauth OpenAPI: OAuthMetadata vs OidcMetadata)', () => {
  const doc = async (path: string) => (await fetch(`${env.org.url}${path}`)).json() as Promise<Record<string, unknown>>;

  it('/.well-known/oauth-authorization-server has no OpenID Connect fields; openid-configuration has them', async () => {
    const oidc = await doc('/.well-known/openid-configuration');
    expect(oidc.userinfo_endpoint).toBe(`${env.org.url}/oauth2/v1/userinfo`);
    expect(oidc.id_token_signing_alg_values_supported).toEqual(['RS256']);
    const oauth = await doc('/.well-known/oauth-authorization-server');
    expect(oauth).not.toHaveProperty('userinfo_endpoint');
    expect(oauth).not.toHaveProperty('id_token_signing_alg_values_supported');
    expect(oauth).toMatchObject({ issuer: env.org.url, token_endpoint: `${env.org.url}/oauth2/v1/token`, jwks_uri: `${env.org.url}/oauth2/v1/keys` });
  });
});

describe('a missing grant parameter (error catalogue: missing_token_request_parameter)', () => {
  let native: { clientId: string };
  beforeAll(() => {
    native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
  });
  const refusal = async (params: Record<string, string>) => {
    const res = await postToken(env.org, { client_id: native.clientId, ...params });
    return { status: res.status, ...(await res.json()) };
  };
  const missing = (name: string) => ({ status: 400, error: 'invalid_request', error_description: `The required parameter '${name}' is missing.` });

  it('authorization_code without code or redirect_uri; refresh_token without refresh_token; the device grant without device_code', async () => {
    expect(await refusal({ grant_type: 'authorization_code', redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) })).toEqual(missing('code'));
    expect(await refusal({ grant_type: 'authorization_code', code: 'some-code', code_verifier: 'x'.repeat(43) })).toEqual(missing('redirect_uri'));
    expect(await refusal({ grant_type: 'refresh_token' })).toEqual(missing('refresh_token'));
    expect(await refusal({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code' })).toEqual(missing('device_code'));
  });

  it('a parameter that is sent but wrong stays invalid_grant', async () => {
    expect(await refusal({ grant_type: 'authorization_code', code: 'nope', redirect_uri: REDIRECT, code_verifier: 'x'.repeat(43) })).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(await refusal({ grant_type: 'refresh_token', refresh_token: 'nope' })).toMatchObject({ status: 400, error: 'invalid_grant' });
    expect(await refusal({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'nope' })).toMatchObject({ status: 400, error: 'invalid_grant' });
  });
});

describe('introspecting a refresh token (OIDC reference: token_type "is always Bearer")', () => {
  it('answers token_type Bearer for an active refresh token', async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    env.org.createUser({ login: 'intro@example.com', password: 'pw-Intro-1' });
    const tokens = await userTokens(env.org, app.clientId, 'intro@example.com', 'pw-Intro-1');
    const res = await fetch(`${env.org.url}/oauth2/v1/introspect`, form({ token: tokens.refresh_token ?? '', token_type_hint: 'refresh_token', client_id: app.clientId }));
    expect(await res.json()).toMatchObject({ active: true, token_type: 'Bearer', client_id: app.clientId });
  });
});
