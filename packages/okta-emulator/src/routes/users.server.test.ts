import { describe, expect, it } from 'vitest';
import { SEED_ADMIN_LOGIN, startEmulator } from '../index.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { parseLinks, rawRequest, ssws } from '../test-helpers/http.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('/api/v1/users and /api/v1/groups', () => {
  const env = useApiTokenOrg({ seed: { users: 205 } });

  it('lists users with Okta user objects, default and maximum limit 200', async () => {
    const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
    const users = await res.json();
    expect(users).toHaveLength(200);
    expect(users[0].profile).toMatchObject({ login: SEED_ADMIN_LOGIN, firstName: 'Super', lastName: 'Admin' }); // the org's first user
    expect(users[1]).toMatchObject({
      id: expect.stringMatching(/^00u/),
      status: 'ACTIVE',
      created: expect.any(String),
      lastUpdated: expect.any(String),
      profile: { login: 'user0001@example.com', email: 'user0001@example.com', firstName: 'User', lastName: '0001' },
      _links: { self: { href: `${env.org.url}/api/v1/users/${users[1].id}` } },
    });
    const big = await (await fetch(`${env.org.url}/api/v1/users?limit=1000`, { headers: ssws(env.token) })).json();
    expect(big).toHaveLength(200);
  });

  it('paginates with limit, after and absolute Link rel="self"/"next" headers', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${env.org.url}/api/v1/users?limit=50`;
    let pages = 0;
    while (url !== undefined) {
      const res: Response = await fetch(url, { headers: ssws(env.token) });
      const links = parseLinks(res.headers.get('link'));
      expect(links.self).toBe(url);
      for (const u of await res.json()) seen.push(u.id);
      url = links.next;
      if (url !== undefined) expect(url.startsWith(`${env.org.url}/api/v1/users?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(206);
  });

  it('sends self and next as separate Link header lines', async () => {
    const res = await rawRequest(`${env.org.url}/api/v1/users?limit=2`, { headers: ssws(env.token) });
    const links = res.rawHeaders.flatMap((name, i) => (i % 2 === 0 && name.toLowerCase() === 'link' ? [res.rawHeaders[i + 1]] : []));
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/^<[^>]+>; rel="self"$/);
    expect(links[1]).toMatch(/^<[^>]+>; rel="next"$/);
  });

  it('has no next link on the last page', async () => {
    const res = await fetch(`${env.org.url}/api/v1/users?limit=200`, { headers: ssws(env.token) });
    const next = parseLinks(res.headers.get('link')).next!;
    const last = await fetch(next, { headers: ssws(env.token) });
    expect(await last.json()).toHaveLength(6);
    expect(parseLinks(last.headers.get('link')).next).toBeUndefined();
  });

  it('gets a user by id and by login, with the @ percent-encoded or not', async () => {
    const [, first] = await (await fetch(`${env.org.url}/api/v1/users?limit=2`, { headers: ssws(env.token) })).json();
    const byId = await fetch(`${env.org.url}/api/v1/users/${first.id}`, { headers: ssws(env.token) });
    expect((await byId.json()).id).toBe(first.id);
    for (const login of ['user0001%40example.com', 'user0001@example.com']) {
      const res = await fetch(`${env.org.url}/api/v1/users/${login}`, { headers: ssws(env.token) });
      expect(res.status).toBe(200);
      expect((await res.json()).id).toBe(first.id);
    }
  });

  it("reads /api/v1/users/me as the user a user's token was issued to", async () => {
    const admin = env.org.createUser({ login: 'me@example.com', password: 'Pw-Me-2026!', admin: true });
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    const { access_token } = await userTokens(env.org, spa.clientId, 'me@example.com', 'Pw-Me-2026!', 'openid okta.users.read');
    const me = await rawRequest(`${env.org.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
    expect((JSON.parse(me.body) as { id: string }).id).toBe(admin.id);
  });

  it("reads the signed-in user's own record with okta.users.read.self, admin or not, and no one else's (M15)", async () => {
    // "The self scopes (okta.<resource>.<operation>.self) only allow access to the user who
    // authorized the token": an end user's app reads /api/v1/users/me without an admin role.
    const person = env.org.createUser({ login: 'self@example.com', password: 'Pw-Self-2026!' });
    const web = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read.self'] });
    const { access_token } = await userTokens(env.org, web.clientId, 'self@example.com', 'Pw-Self-2026!', 'openid okta.users.read.self');
    const bearer = { authorization: `Bearer ${access_token}` };
    for (const id of ['me', person.id, 'self@example.com', 'SELF@example.com']) {
      const own = await rawRequest(`${env.org.url}/api/v1/users/${id}`, { headers: bearer });
      expect(own.status).toBe(200);
      expect((JSON.parse(own.body) as { id: string }).id).toBe(person.id);
    }
    // Another user, the list, and a write are not the self scope's.
    const other = await rawRequest(`${env.org.url}/api/v1/users/user0001@example.com`, { headers: bearer });
    expect(other.status).toBe(403);
    expect(other.headers['www-authenticate']).toContain('scope="okta.users.read"');
    expect((await rawRequest(`${env.org.url}/api/v1/users?limit=1`, { headers: bearer })).status).toBe(403);
    // Nor the user's own subresources: their groups are okta.users.read's (and an admin's).
    expect((await rawRequest(`${env.org.url}/api/v1/users/me/groups`, { headers: bearer })).status).toBe(403);
    expect((await rawRequest(`${env.org.url}/api/v1/users/${person.id}/groups`, { headers: bearer })).status).toBe(403);
    const write = await rawRequest(`${env.org.url}/api/v1/users/me`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"profile":{"title":"x"}}' });
    expect(write.status).toBe(403);
  });

  it('reads /api/v1/users/me with an API token as the admin who created it (as Okta does): by default the seeded super admin, for good', async () => {
    const bare = await startEmulator({ seed: { users: 2 } });
    try {
      const early = bare.createApiToken();
      const second = bare.createUser({ login: 'second-admin@example.com', password: 'Pw-Me-2026!', admin: true });
      // No creator named: the org's first active admin when the token was made (a later admin changes nothing).
      for (const token of [early.token, bare.createApiToken().token]) {
        const me = await rawRequest(`${bare.url}/api/v1/users/me`, { headers: ssws(token) });
        expect(me.status).toBe(200);
        expect((JSON.parse(me.body) as { profile: { login: string } }).profile.login).toBe(SEED_ADMIN_LOGIN);
      }
      const named = bare.createApiToken({ user: 'second-admin@example.com' });
      const me = await rawRequest(`${bare.url}/api/v1/users/me`, { headers: ssws(named.token) });
      expect((JSON.parse(me.body) as { id: string; profile: { login: string } }).profile.login).toBe(second.login);
      expect(() => bare.createApiToken({ user: 'nobody@example.com' })).toThrow(/no user with login or id "nobody@example\.com"/);
      // Its super admin deactivated, the org's next active admin creates a token made without a user; with none, none is made.
      const superAdmin = JSON.parse((await rawRequest(`${bare.url}/api/v1/users/me`, { headers: ssws(early.token) })).body) as { id: string };
      await rawRequest(`${bare.url}/api/v1/users/${superAdmin.id}/lifecycle/deactivate`, { method: 'POST', headers: ssws(named.token) });
      const next = await rawRequest(`${bare.url}/api/v1/users/me`, { headers: ssws(bare.createApiToken().token) });
      expect((JSON.parse(next.body) as { id: string }).id).toBe(second.id);
      await rawRequest(`${bare.url}/api/v1/users/${second.id}/lifecycle/suspend`, { method: 'POST', headers: ssws(named.token) });
      expect(() => bare.createApiToken()).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringMatching(/the org has no active admin \(its seeded super admin was ended\): create the admin first/) }));
    } finally {
      await bare.close();
    }
  });

  it('404s an unknown user with E0000007', async () => {
    const res = await fetch(`${env.org.url}/api/v1/users/nobody%40example.com`, { headers: ssws(env.token) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: nobody@example.com (User)' });
  });

  it('creates a user, rejects a duplicate login and missing fields', async () => {
    const body = { profile: { login: 'new.person@example.com', email: 'new.person@example.com', firstName: 'New', lastName: 'Person' }, credentials: { password: { value: 'Secret123!' } } };
    const res = await fetch(`${env.org.url}/api/v1/users?activate=true`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ACTIVE', profile: body.profile });
    const dup = await fetch(`${env.org.url}/api/v1/users`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(dup.status).toBe(400);
    const dupBody = await dup.json();
    expect(dupBody.errorCode).toBe('E0000001');
    expect(dupBody.errorCauses[0].errorSummary).toContain('already exists');
    const bad = await fetch(`${env.org.url}/api/v1/users`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { login: 'x@example.com' } }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errorCauses.length).toBe(3);
    const staged = await fetch(`${env.org.url}/api/v1/users?activate=false`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { login: 's@example.com', email: 's@example.com', firstName: 'S', lastName: 'T' } }) });
    expect((await staged.json()).status).toBe('STAGED');
  });

  it('deactivates, then deletes, as Okta does', async () => {
    const u = env.org.createUser({ login: 'leaver@example.com', password: 'Passw0rd!' });
    const deact = await fetch(`${env.org.url}/api/v1/users/${u.id}/lifecycle/deactivate`, { method: 'POST', headers: ssws(env.token) });
    expect(deact.status).toBe(200);
    expect((await (await fetch(`${env.org.url}/api/v1/users/${u.id}`, { headers: ssws(env.token) })).json()).status).toBe('DEPROVISIONED');
    const listed = await (await fetch(`${env.org.url}/api/v1/users?q=leaver`, { headers: ssws(env.token) })).json();
    expect(listed).toHaveLength(0);
    const filtered = await (await fetch(`${env.org.url}/api/v1/users?filter=${encodeURIComponent('status eq "DEPROVISIONED"')}`, { headers: ssws(env.token) })).json();
    expect(filtered.map((x: { id: string }) => x.id)).toContain(u.id);
    expect((await fetch(`${env.org.url}/api/v1/users/${u.id}`, { method: 'DELETE', headers: ssws(env.token) })).status).toBe(204);
    expect((await fetch(`${env.org.url}/api/v1/users/${u.id}`, { headers: ssws(env.token) })).status).toBe(404);
  });

  it('a first DELETE on an active user only deactivates it', async () => {
    const u = env.org.createUser({ login: 'twice@example.com', password: 'Passw0rd!' });
    expect((await fetch(`${env.org.url}/api/v1/users/${u.id}`, { method: 'DELETE', headers: ssws(env.token) })).status).toBe(204);
    expect((await (await fetch(`${env.org.url}/api/v1/users/${u.id}`, { headers: ssws(env.token) })).json()).status).toBe('DEPROVISIONED');
  });

  it('lists groups, including the built-in Everyone group', async () => {
    const res = await fetch(`${env.org.url}/api/v1/groups`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
    const groups = await res.json();
    expect(groups[0]).toMatchObject({ type: 'BUILT_IN', profile: { name: 'Everyone' }, objectClass: ['okta:user_group'] });
    expect(res.headers.get('link')).toContain('rel="self"');
    const created = await fetch(`${env.org.url}/api/v1/groups`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { name: 'Engineers' } }) });
    expect(created.status).toBe(200);
    const id = (await created.json()).id;
    expect((await (await fetch(`${env.org.url}/api/v1/groups/${id}`, { headers: ssws(env.token) })).json()).profile.name).toBe('Engineers');
    const two = await (await fetch(`${env.org.url}/api/v1/groups?limit=1`, { headers: ssws(env.token) })).json();
    expect(two).toHaveLength(1);
  });

  it('updates a profile partially with POST and refuses a taken login', async () => {
    const u = env.org.createUser({ login: 'rename@example.com', password: 'Passw0rd!', firstName: 'Old' });
    const res = await fetch(`${env.org.url}/api/v1/users/${u.id}`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { firstName: 'New' } }) });
    expect(res.status).toBe(200);
    expect((await res.json()).profile).toMatchObject({ login: 'rename@example.com', firstName: 'New' });
    const clash = await fetch(`${env.org.url}/api/v1/users/${u.id}`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { login: 'user0001@example.com' } }) });
    expect(clash.status).toBe(400);
    expect((await clash.json()).errorCode).toBe('E0000001');
  });

  it('lists the members of the Everyone group', async () => {
    const [everyone] = await (await fetch(`${env.org.url}/api/v1/groups?q=Every`, { headers: ssws(env.token) })).json();
    const res = await fetch(`${env.org.url}/api/v1/groups/${everyone.id}/users?limit=3`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveLength(3);
    expect(parseLinks(res.headers.get('link')).next).toContain(`/api/v1/groups/${everyone.id}/users?`);
  });
});
