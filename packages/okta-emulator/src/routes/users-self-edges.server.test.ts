/**
 * The Users API's self routes at their edges (mutation testing, twenty-fourth round): `me` is the
 * token's own user (never the org's first admin), `okta.users.manage.self` reads it too, a self
 * token naming no user is refused for the scope (not a 500), a password write names the scope it
 * lacks, a service app's token finds no `me`, and the empty name is no login's short name.
 */
import { describe, expect, it } from 'vitest';
import { serviceToken } from '../test-helpers/oauth.js';
import { rawRequest, ssws } from '../test-helpers/http.js';
import { useSignInApps, bobBearer } from '../test-helpers/user-tokens.js';

const json = { 'content-type': 'application/json' };

describe('the Users API: self routes at their edges (M15)', () => {
  const apps = useSignInApps();

  const bobToken = (scope: string): Promise<Record<string, string>> => bobBearer(apps.org, scope);

  /** Bob's id, as an API token reads it. */
  async function bobId(): Promise<string> {
    const res = await rawRequest(`${apps.org.url}/api/v1/users/bob@example.com`, { headers: ssws(apps.org.createApiToken().token) });
    return (JSON.parse(res.body) as { id: string }).id;
  }

  it("me is the token's own user, read with okta.users.manage.self as with read.self", async () => {
    const id = await bobId();
    for (const scope of ['openid okta.users.read.self', 'openid okta.users.manage.self']) {
      const res = await rawRequest(`${apps.org.url}/api/v1/users/me`, { headers: await bobToken(scope) });
      expect([res.status, (JSON.parse(res.body) as { id: string }).id]).toEqual([200, id]);
    }
  });

  it('a self token naming a user that is not there: 403 for the scope, as for any other user', async () => {
    const res = await rawRequest(`${apps.org.url}/api/v1/users/nobody-at-all`, { headers: await bobToken('openid okta.users.read.self') });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('scope="okta.users.read"');
  });

  it('a password write with okta.users.manage.self names okta.users.manage as the scope it lacks', async () => {
    const res = await rawRequest(`${apps.org.url}/api/v1/users/me`, { method: 'POST', headers: { ...(await bobToken('openid okta.users.manage.self')), ...json }, body: '{"credentials":{"password":{"value":"New-Bob-Pass-2026"}}}' });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('scope="okta.users.manage"');
  });

  it("a service app's token finds no me: Okta's 404 naming me", async () => {
    const app = apps.org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false });
    const { access_token } = await serviceToken(apps.org, app, 'okta.users.read');
    const res = await rawRequest(`${apps.org.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: me (User)' });
  });

  // The pending email (M16) was kept only for a string: an array or an object under secondEmail was
  // stored as sent, an unverified address in the profile. Okta's secondEmail is an email or null.
  it('a secondEmail that is no email (an array, an object, a number, a malformed string) is 400 E0000001, for the user and an admin alike', async () => {
    const id = await bobId();
    const admin = ssws(apps.org.createApiToken().token);
    const self = await bobToken('openid okta.users.manage.self');
    for (const headers of [self, admin]) {
      for (const secondEmail of [['eve@example.com'], { value: 'eve@example.com' }, 7, 'eve-at-example.com']) {
        const res = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ profile: { secondEmail } }) });
        expect([res.status, JSON.parse(res.body).errorCode, JSON.parse(res.body).errorCauses]).toEqual([400, 'E0000001', [{ errorSummary: 'secondEmail: Does not match required pattern' }]]);
      }
    }
    const bob = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { headers: admin });
    expect(JSON.parse(bob.body).profile.secondEmail).toBeUndefined();
    // null or '' clears it, as before; an admin's well-formed one is set.
    for (const secondEmail of [null, '', 'bob.two@example.com']) {
      const res = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...admin, ...json }, body: JSON.stringify({ profile: { secondEmail } }) });
      expect([res.status, JSON.parse(res.body).profile.secondEmail]).toEqual([200, secondEmail]);
    }
  });

  it('the empty name is no short name, even of a login beginning with @ (U13)', () => {
    apps.org.createUser({ login: '@example.org', password: 'Odd-Pass-2026', admin: true });
    expect(() => apps.org.createApiToken({ user: '' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
