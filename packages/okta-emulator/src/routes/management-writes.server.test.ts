/**
 * Users and groups writes as Okta answers them (FIDELITY.md U8–U10, G1–G3): `PUT` replaces a user,
 * `POST` updates part of one and may set its password; an `OKTA_GROUP` is replaced and deleted, the
 * built-in group is not (403 `E0000006`, as Okta's access-denied example, no causes).
 */
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('users and groups writes', () => {
  const env = useApiTokenOrg();
  const api = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${env.org.url}/api/v1/${path}`, {
      method,
      headers: { ...ssws(env.token), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as Record<string, any> };
  };

  it('PUT /api/v1/users/{id} replaces the profile; a required attribute left out is 400 E0000001', async () => {
    const u = env.org.createUser({ login: 'put@example.com', password: 'Pw-Put-1', firstName: 'Old', lastName: 'Name' });
    const profile = { login: 'put2@example.com', email: 'put2@example.com', firstName: 'New', lastName: 'Person' };
    const replaced = await api(`users/${u.id}`, 'PUT', { profile });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: u.id, status: 'ACTIVE', profile });
    expect((await api('users/put2@example.com')).body.id).toBe(u.id);

    const partial = await api(`users/${u.id}`, 'PUT', { profile: { firstName: 'Only' } });
    expect(partial.status).toBe(400);
    expect(partial.body).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: 'Api validation failed: login, email, lastName',
      errorCauses: [
        { errorSummary: 'login: The field cannot be left blank' },
        { errorSummary: 'email: The field cannot be left blank' },
        { errorSummary: 'lastName: The field cannot be left blank' },
      ],
    });
    expect((await api(`users/${u.id}`)).body.profile).toEqual(profile);
  });

  it('POST /api/v1/users/{id} lays the attributes sent over the profile, and checks email and login as create does', async () => {
    const u = env.org.createUser({ login: 'partial@example.com', password: 'Pw-Partial-1', firstName: 'Par', lastName: 'Tial' });
    const updated = await api(`users/${u.id}`, 'POST', { profile: { lastName: 'Updated' } });
    expect(updated.status).toBe(200);
    expect(updated.body.profile).toEqual({ login: 'partial@example.com', email: 'partial@example.com', firstName: 'Par', lastName: 'Updated' });
    const badEmail = await api(`users/${u.id}`, 'POST', { profile: { email: 'not-an-email' } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.errorCauses).toEqual([{ errorSummary: 'email: Does not match required pattern' }]);
    env.org.createUser({ login: 'taken@example.com', password: 'Pw-Taken-1' });
    const clash = await api(`users/${u.id}`, 'POST', { profile: { login: 'TAKEN@example.com' } });
    expect(clash.body.errorCauses).toEqual([{ errorSummary: 'login: An object with this field already exists in the current organization' }]);
  });

  it('keeps profile attributes beyond the four: POST keeps those not sent, PUT drops them, search finds them', async () => {
    const profile = { login: 'attrs@example.com', email: 'attrs@example.com', firstName: 'At', lastName: 'Trs', mobilePhone: '555-415-1337', department: 'Engineering' };
    const created = await api('users?activate=false', 'POST', { profile });
    expect(created.status).toBe(200);
    expect(created.body.profile).toEqual(profile);
    const search = await api(`users?search=${encodeURIComponent('profile.department eq "engineering"')}`);
    expect(search.body.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    const posted = await api(`users/${created.body.id}`, 'POST', { profile: { department: 'Sales', title: 'Lead' } });
    expect(posted.body.profile).toEqual({ ...profile, department: 'Sales', title: 'Lead' });
    const rest = { login: profile.login, email: profile.email, firstName: 'Put', lastName: profile.lastName, department: 'Sales' };
    const put = await api(`users/${created.body.id}`, 'PUT', { profile: rest });
    expect(put.body.profile).toEqual(rest);
    // An attribute named like the emulator's own fields is only a profile attribute: no admin right.
    const sneaky = { login: 'sneaky@example.com', email: 'sneaky@example.com', firstName: 'S', lastName: 'N', admin: true };
    expect((await api('users', 'POST', { profile: sneaky, credentials: { password: { value: 'Pw-Sneaky-1' } } })).body.profile).toEqual(sneaky);
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], scopes: ['okta.users.read'] });
    const { access_token } = await userTokens(env.org, spa.clientId, 'sneaky@example.com', 'Pw-Sneaky-1', 'openid okta.users.read');
    expect((await fetch(`${env.org.url}/api/v1/users/me`, { headers: { Authorization: `Bearer ${access_token}` } })).status).toBe(403);
  });

  it('nextLogin=changePassword: created PASSWORD_EXPIRED; without a password 400 E0000124, with activate=false 400 E0000125', async () => {
    const body = (login: string, password?: string) => ({ profile: { login, email: login, firstName: 'N', lastName: 'L' }, ...(password === undefined ? {} : { credentials: { password: { value: password } } }) });
    const ok = await api('users?activate=true&nextLogin=changePassword', 'POST', body('expired@example.com', 'Pw-Expired-1'));
    expect(ok).toMatchObject({ status: 200, body: { status: 'PASSWORD_EXPIRED', credentials: { password: {} } } });
    const noPassword = await api('users?nextLogin=changePassword', 'POST', body('nopassword@example.com'));
    const summary124 = 'Could not create user. To create a user and expire their password immediately, a password must be specified.';
    expect(noPassword).toMatchObject({ status: 400, body: { errorCode: 'E0000124', errorSummary: summary124, errorCauses: [{ errorSummary: summary124 }] } });
    const staged = await api('users?activate=false&nextLogin=changePassword', 'POST', body('notactive@example.com', 'Pw-Staged-1'));
    expect(staged).toMatchObject({ status: 400, body: { errorCode: 'E0000125' } });
    expect((await api('users/notactive@example.com')).status).toBe(404);
  });

  it('POST /api/v1/users/{id} with credentials.password.value sets the password the sign-in page takes', async () => {
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const u = env.org.createUser({ login: 'newpw@example.com', password: 'Pw-Before-1' });
    const res = await api(`users/${u.id}`, 'POST', { credentials: { password: { value: 'Pw-After-2' } } });
    expect(res.status).toBe(200);
    expect(res.body.credentials).toEqual({ password: {}, provider: { type: 'OKTA', name: 'OKTA' } });
    expect(JSON.stringify(res.body)).not.toContain('Pw-After-2');
    expect((await userTokens(env.org, spa.clientId, 'newpw@example.com', 'Pw-After-2', 'openid')).access_token).toBeTruthy();
    await expect(userTokens(env.org, spa.clientId, 'newpw@example.com', 'Pw-Before-1', 'openid')).rejects.toThrow(/^sign-in answered /);
  });

  it('PUT /api/v1/groups/{id} replaces an OKTA_GROUP profile; DELETE removes it (204), then 404', async () => {
    const g = (await api('groups', 'POST', { profile: { name: 'Engineers', description: 'Builds' } })).body;
    const replaced = await api(`groups/${g.id}`, 'PUT', { profile: { name: 'Engineering' } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: g.id, type: 'OKTA_GROUP', profile: { name: 'Engineering', description: '' } });
    expect((await api(`groups/${g.id}`, 'PUT', { profile: { description: 'no name' } })).body).toMatchObject({
      errorCode: 'E0000001',
      errorCauses: [{ errorSummary: 'name: The field cannot be left blank' }],
    });
    const u = env.org.createUser({ login: 'member@example.com', password: 'Pw-Member-1' });
    expect((await api(`groups/${g.id}/users/${u.id}`, 'PUT')).status).toBe(204);
    expect(await api(`groups/${g.id}`, 'DELETE')).toEqual({ status: 204, body: undefined });
    expect((await api(`groups/${g.id}`)).body).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${g.id} (UserGroup)` });
    expect((await api(`users/${u.id}/groups`)).body.map((x: { profile: { name: string } }) => x.profile.name)).toEqual(['Everyone']);
    expect((await api(`groups/${g.id}`, 'DELETE')).status).toBe(404);
  });

  it('the built-in Everyone group cannot be replaced, deleted or have members changed: 403 E0000006 without causes', async () => {
    const everyone = (await api('groups?q=Everyone')).body[0];
    expect(everyone.type).toBe('BUILT_IN');
    const u = env.org.createUser({ login: 'everyone@example.com', password: 'Pw-Everyone-1' });
    for (const [path, method, body] of [
      [`groups/${everyone.id}`, 'PUT', { profile: { name: 'Renamed' } }],
      [`groups/${everyone.id}`, 'DELETE', undefined],
      [`groups/${everyone.id}/users/${u.id}`, 'DELETE', undefined],
    ] as const) {
      const res = await api(path, method, body);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorCauses: [] });
    }
    expect((await api(`groups/${everyone.id}`)).body.profile.name).toBe('Everyone');
  });
});
