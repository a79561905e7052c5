import { describe, expect, it } from 'vitest';
import { rawRequest, ssws } from '../test-helpers/http.js';
import { useSignInApps, bobBearer } from '../test-helpers/user-tokens.js';

const json = { 'content-type': 'application/json' };

describe('the Users API: okta.users.manage.self (M15) and login short names (U13)', () => {
  const apps = useSignInApps();

  const bobToken = (scope: string): Promise<Record<string, string>> => bobBearer(apps.org, scope);

  /** The user with this login, as an API token reads it. */
  async function userByLogin(login: string): Promise<{ id: string; status: string }> {
    const res = await rawRequest(`${apps.org.url}/api/v1/users/${login}`, { headers: ssws(apps.org.createApiToken().token) });
    return JSON.parse(res.body);
  }

  it("updates the signed-in user's own profile with okta.users.manage.self, and nothing else (M15)", async () => {
    // "okta.users.manage.self: Allows an app to manage the currently signed-in user's profile" (Okta, "Scopes").
    const bearer = await bobToken('openid okta.users.manage.self');
    const bob = await userByLogin('bob@example.com');
    const byMe = await rawRequest(`${apps.org.url}/api/v1/users/me`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"profile":{"title":"Builder"}}' });
    expect(byMe.status).toBe(200);
    expect(JSON.parse(byMe.body)).toMatchObject({ id: bob.id, profile: { login: 'bob@example.com', title: 'Builder' } });
    for (const id of [bob.id, 'BOB@example.com']) {
      const res = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"profile":{"nickName":"B"}}' });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).profile).toMatchObject({ title: 'Builder', nickName: 'B' });
    }
    // Another user's profile: okta.users.manage's (and an admin's).
    const other = await rawRequest(`${apps.org.url}/api/v1/users/ada@example.com`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"profile":{"title":"x"}}' });
    expect(other.status).toBe(403);
    expect(other.headers['www-authenticate']).toContain('scope="okta.users.manage"');
    // The profile, not the credentials (okta.users.manage: "profile and credential information").
    const password = await rawRequest(`${apps.org.url}/api/v1/users/me`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"credentials":{"password":{"value":"New-Bob-Pass-2026"}}}' });
    expect(password.status).toBe(403);
    expect(password.body).not.toContain('New-Bob-Pass-2026');
    // Nor lifecycle operations, a delete, or creating users.
    expect((await rawRequest(`${apps.org.url}/api/v1/users/me/lifecycle/suspend`, { method: 'POST', headers: bearer })).status).toBe(403);
    expect((await rawRequest(`${apps.org.url}/api/v1/users/${bob.id}/lifecycle/deactivate`, { method: 'POST', headers: bearer })).status).toBe(403);
    expect((await rawRequest(`${apps.org.url}/api/v1/users/me`, { method: 'DELETE', headers: bearer })).status).toBe(403);
    const create = await rawRequest(`${apps.org.url}/api/v1/users`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"profile":{"login":"c@example.com","email":"c@example.com","firstName":"C","lastName":"C"}}' });
    expect(create.status).toBe(403);
    expect((await userByLogin('bob@example.com')).status).toBe('ACTIVE');
  });

  it("takes the user's own login, but its email and secondEmail only once verified: never here (M16)", async () => {
    // "if the user tries to update the primary or the secondary email IDs, verification emails are sent
    // to those email IDs, and the fields are updated only upon verification" (OAS `updateUser`); the
    // default schema gives `login` to its user to write (SELF READ_WRITE, OAS and the Schemas reference).
    const bearer = await bobToken('openid okta.users.manage.self');
    const bob = await userByLogin('bob@example.com');
    const post = (body: object, headers = bearer) => rawRequest(`${apps.org.url}/api/v1/users/${bob.id}`, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify(body) });
    try {
      const mine = await post({ profile: { login: 'robert@example.com', email: 'robert@example.com', secondEmail: 'bob.two@example.com', title: 'Lead' } });
      expect(mine.status).toBe(200);
      const profile = JSON.parse(mine.body).profile;
      expect(profile).toMatchObject({ login: 'robert@example.com', email: 'bob@example.com', title: 'Lead' });
      expect(profile.secondEmail).toBeUndefined();
      expect((await userByLogin('robert@example.com')).id).toBe(bob.id);
      // Still checked as sent: a malformed email, a login another user has.
      expect((await post({ profile: { email: 'not-an-email' } })).status).toBe(400);
      expect((await post({ profile: { login: 'ada@example.com' } })).status).toBe(400);
      // An admin's update (an API token) sets the email at once.
      const admin = await post({ profile: { email: 'robert@example.com' } }, ssws(apps.org.createApiToken().token));
      expect(JSON.parse(admin.body).profile.email).toBe('robert@example.com');
    } finally {
      // Bob as the other tests sign him in.
      expect((await post({ profile: { login: 'bob@example.com', email: 'bob@example.com' } }, ssws(apps.org.createApiToken().token))).status).toBe(200);
    }
  });

  it('keeps a write 403 for a token with only okta.users.read.self (M15)', async () => {
    const bearer = await bobToken('openid okta.users.read.self');
    expect((await rawRequest(`${apps.org.url}/api/v1/users/me`, { headers: bearer })).status).toBe(200);
    const write = await rawRequest(`${apps.org.url}/api/v1/users/me`, { method: 'POST', headers: { ...bearer, ...json }, body: '{"profile":{"title":"x"}}' });
    expect(write.status).toBe(403);
    expect(write.headers['www-authenticate']).toContain('scope="okta.users.manage"');
  });

  it('finds a user by the short name of its login when no other login shares it, else 404 (U13)', async () => {
    // getUser's `id`: "An ID, login, or login shortname (as long as the shortname is unambiguous)" (OAS).
    const h = ssws(apps.org.createApiToken({ user: 'ada@example.com' }).token);
    const ada = await userByLogin('ada@example.com');
    for (const name of ['ada', 'ADA']) {
      const res = await rawRequest(`${apps.org.url}/api/v1/users/${name}`, { headers: h });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).id).toBe(ada.id);
    }
    apps.org.createUser({ login: 'twin@example.com', password: 'Twin-Pass-2026' });
    apps.org.createUser({ login: 'twin@example.org', password: 'Twin-Pass-2026' });
    const twin = await rawRequest(`${apps.org.url}/api/v1/users/twin`, { headers: h });
    expect(twin.status).toBe(404);
    expect(JSON.parse(twin.body)).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: twin (User)' });
    // A full login or an id still finds either twin; a part of a short name finds no one.
    expect((await rawRequest(`${apps.org.url}/api/v1/users/twin@example.org`, { headers: h })).status).toBe(200);
    expect((await rawRequest(`${apps.org.url}/api/v1/users/ad`, { headers: h })).status).toBe(404);
    // `me` is the caller, never the short name of a login `me@…`, on any user path.
    apps.org.createUser({ login: 'me@example.net', password: 'Me-Pass-2026' });
    expect(JSON.parse((await rawRequest(`${apps.org.url}/api/v1/users/me`, { headers: h })).body).id).toBe(ada.id);
    expect((await rawRequest(`${apps.org.url}/api/v1/users/me/lifecycle/suspend`, { method: 'POST', headers: h })).status).toBe(404);
    expect((await userByLogin('me@example.net')).status).toBe('ACTIVE');
  });
});
