import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { parseLinks, ssws } from '../test-helpers/http.js';
import { serviceToken } from '../test-helpers/oauth.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('group membership, apps and the groups claim', () => {
  const env = useApiTokenOrg();
  let ada: { id: string };
  const api = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${env.org.url}${path}`, {
      method,
      headers: { ...ssws(env.token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const group = async (name: string): Promise<string> => (await (await api('/api/v1/groups', 'POST', { profile: { name } })).json()).id;
  const names = async (path: string) => ((await (await api(path)).json()) as { profile: { name?: string; login?: string } }[]).map((x) => x.profile.name ?? x.profile.login);

  beforeAll(() => {
    ada = env.org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', admin: true });
  });

  it('adds and removes a member with PUT/DELETE (204, idempotent); GET members and the user\'s groups follow', async () => {
    const admins = await group('app-admins');
    expect(await names(`/api/v1/groups/${admins}/users`)).toEqual([]);
    expect((await api(`/api/v1/groups/${admins}/users/${ada.id}`, 'PUT')).status).toBe(204);
    expect((await api(`/api/v1/groups/${admins}/users/${ada.id}`, 'PUT')).status).toBe(204);
    expect(await names(`/api/v1/groups/${admins}/users`)).toEqual(['ada@example.com']);
    expect(await names(`/api/v1/users/${ada.id}/groups`)).toEqual(['Everyone', 'app-admins']);
    expect((await api(`/api/v1/groups/${admins}/users/${ada.id}`, 'DELETE')).status).toBe(204);
    expect(await names(`/api/v1/groups/${admins}/users`)).toEqual([]);
  });

  it("pages a user's groups as Okta does (limit, an after cursor, Link rel=\"next\"): limit=2 of four is two pages", async () => {
    const bob = env.org.createUser({ login: 'bob@example.com', password: 'Correct-Horse1' });
    for (const name of ['bob-1', 'bob-2', 'bob-3']) expect((await api(`/api/v1/groups/${await group(name)}/users/${bob.id}`, 'PUT')).status).toBe(204);
    const first = await api(`/api/v1/users/${bob.id}/groups?limit=2`);
    const links = parseLinks(first.headers.get('link'));
    expect([((await first.json()) as { profile: { name: string } }[]).map((g) => g.profile.name), links.self]).toEqual([['Everyone', 'bob-1'], `${env.org.url}/api/v1/users/${bob.id}/groups?limit=2`]);
    const second = await fetch(links.next ?? '', { headers: ssws(env.token) });
    expect([((await second.json()) as { profile: { name: string } }[]).map((g) => g.profile.name), parseLinks(second.headers.get('link')).next]).toEqual([['bob-2', 'bob-3'], undefined]);
    expect(await names(`/api/v1/users/${bob.id}/groups`)).toEqual(['Everyone', 'bob-1', 'bob-2', 'bob-3']);
  });

  it('refuses unknown groups or users (404 E0000007), the Everyone group (403) and a read-only token (403)', async () => {
    const g = await group('other');
    const unknownUser = await api(`/api/v1/groups/${g}/users/00unobody`, 'PUT');
    expect(unknownUser.status).toBe(404);
    expect((await unknownUser.json()).errorCode).toBe('E0000007');
    expect((await api(`/api/v1/groups/00gnothing/users/${ada.id}`, 'PUT')).status).toBe(404);
    const everyone = ((await (await api('/api/v1/groups?q=Everyone')).json()) as { id: string }[])[0]!.id;
    expect((await api(`/api/v1/groups/${everyone}/users/${ada.id}`, 'DELETE')).status).toBe(403);
    const reader = env.org.createServiceApp({ scopes: ['okta.groups.read'], requireDpop: false });
    const { access_token } = await serviceToken(env.org, reader, 'okta.groups.read');
    const res = await fetch(`${env.org.url}/api/v1/groups/${g}/users/${ada.id}`, { method: 'PUT', headers: { Authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('scope="okta.groups.manage"');
  });

  it('lists and gets apps without secrets; 404 for an unknown app; needs okta.apps.read', async () => {
    const web = env.org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const list = (await (await api('/api/v1/apps?limit=200')).json()) as { id: string; settings: { oauthClient: { application_type: string; grant_types: string[] } } }[];
    const byId = new Map(list.map((a) => [a.id, a]));
    expect(byId.get(native.clientId)?.settings.oauthClient).toMatchObject({ application_type: 'native', grant_types: expect.arrayContaining(['urn:ietf:params:oauth:grant-type:device_code']) });
    const one = await api(`/api/v1/apps/${web.clientId}`);
    expect(one.status).toBe(200);
    const text = await one.text();
    expect(text).not.toContain(web.clientSecret!);
    expect(JSON.parse(text)).toMatchObject({ id: web.clientId, status: 'ACTIVE', signOnMode: 'OPENID_CONNECT', credentials: { oauthClient: { client_id: web.clientId } } });
    expect((await api('/api/v1/apps/0oanothing')).status).toBe(404);
    const reader = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const { access_token } = await serviceToken(env.org, reader, 'okta.users.read');
    expect((await fetch(`${env.org.url}/api/v1/apps`, { headers: { Authorization: `Bearer ${access_token}` } })).status).toBe(403);
  });

  it("shows a sign-in app's refresh token rotation and leeway in settings.oauthClient.refresh_token (OAS); a service app has none", async () => {
    const web = env.org.createSignInApp({ type: 'web', redirectUris: [REDIRECT], refreshTokenRotation: 'static', refreshTokenLeewaySeconds: 12 });
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenLeewaySeconds: 0 });
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const service = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const oauthClient = async (id: string): Promise<Record<string, unknown>> =>
      ((await (await api(`/api/v1/apps/${id}`)).json()) as { settings: { oauthClient: Record<string, unknown> } }).settings.oauthClient;
    expect((await oauthClient(web.clientId)).refresh_token).toEqual({ rotation_type: 'STATIC', leeway: 12 });
    expect((await oauthClient(spa.clientId)).refresh_token).toEqual({ rotation_type: 'ROTATE', leeway: 0 });
    // Unset: the org's rotation if startEmulator sets one, else Okta's default for the type (a SPA rotates, a web or
    // native app is static: RT), and Okta's default leeway, 30 s.
    expect((await oauthClient(native.clientId)).refresh_token).toEqual({ rotation_type: 'STATIC', leeway: 30 });
    expect(await oauthClient(service.clientId)).not.toHaveProperty('refresh_token');
    const listed = (await (await api('/api/v1/apps?limit=200')).json()) as { id: string; settings: { oauthClient: Record<string, unknown> } }[];
    expect(listed.find((a) => a.id === web.clientId)?.settings.oauthClient.refresh_token).toEqual({ rotation_type: 'STATIC', leeway: 12 });
  });

  it('puts a groups claim in the ID token when the app configures one and the groups scope is granted', async () => {
    const g = await group('app-viewers');
    await api(`/api/v1/groups/${g}/users/${ada.id}`, 'PUT');
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], groupsClaim: { filter: 'STARTS_WITH', value: 'app-' } });
    const tokens = await userTokens(env.org, app.clientId, 'ada@example.com', 'Correct-Horse1', 'openid groups');
    expect(decodeJwt(tokens.id_token!).groups).toEqual(['app-viewers']);
    const info = await (await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json();
    expect(info.groups).toEqual(['app-viewers']);
    const without = decodeJwt((await userTokens(env.org, app.clientId, 'ada@example.com', 'Correct-Horse1', 'openid profile')).id_token!);
    expect(without.groups).toBeUndefined();
    const plain = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    expect(decodeJwt((await userTokens(env.org, plain.clientId, 'ada@example.com', 'Correct-Horse1', 'openid groups')).id_token!).groups).toBeUndefined();
    const regex = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], groupsClaim: { name: 'roles', filter: 'REGEX', value: '.*' } });
    expect(decodeJwt((await userTokens(env.org, regex.clientId, 'ada@example.com', 'Correct-Horse1', 'openid groups')).id_token!).roles).toEqual(
      expect.arrayContaining(['Everyone', 'app-viewers']),
    );
  });
});
