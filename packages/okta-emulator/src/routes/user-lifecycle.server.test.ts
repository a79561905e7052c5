/**
 * The Users API lifecycle operations as Okta answers them (FIDELITY.md U1–U7): each from the
 * statuses Okta's reference names, Okta's error from any other.
 */
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';

describe('/api/v1/users/{id}/lifecycle/*', () => {
  const env = useApiTokenOrg();
  const post = async (path: string) => {
    const res = await fetch(`${env.org.url}/api/v1/users/${path}`, { method: 'POST', headers: ssws(env.token) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** A user created through the API (`activate=false`: STAGED), as a user's test would. */
  const create = async (login: string, password?: string, activate = false): Promise<{ id: string }> => {
    const body = { profile: { login, email: login, firstName: 'F', lastName: 'L' }, ...(password === undefined ? {} : { credentials: { password: { value: password } } }) };
    const res = await fetch(`${env.org.url}/api/v1/users?activate=${activate}`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as { id: string };
  };
  const status = async (id: string) => ((await (await fetch(`${env.org.url}/api/v1/users/${id}`, { headers: ssws(env.token) })).json()) as { status: string }).status;

  it('activate: an ACTIVE user is 403 E0000016; STAGED and DEPROVISIONED users are activated', async () => {
    const active = env.org.createUser({ login: 'active@example.com', password: 'Pw-Active-1' });
    const again = await post(`${active.id}/lifecycle/activate`);
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ errorCode: 'E0000016', errorSummary: 'Activation failed because the user is already active', errorLink: 'E0000016', errorCauses: [] });

    const staged = await create('staged@example.com', 'Pw-Staged-1');
    expect(await post(`${staged.id}/lifecycle/activate`)).toEqual({ status: 200, body: {} });
    expect(await status(staged.id)).toBe('ACTIVE');
    expect((await post(`${staged.id}/lifecycle/deactivate`)).status).toBe(200);
    expect((await post(`${staged.id}/lifecycle/activate`)).status).toBe(200);
    expect(await status(staged.id)).toBe('ACTIVE');
  });

  it('activate with sendEmail=false answers the activation link and token; without a password the user is PROVISIONED', async () => {
    const staged = await create('nopw@example.com');
    const res = await post(`${staged.id}/lifecycle/activate?sendEmail=false`);
    expect(res.status).toBe(200);
    const token = res.body.activationToken as string;
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(res.body).toEqual({ activationUrl: `${env.org.url}/welcome/${token}`, activationToken: token });
    expect(await status(staged.id)).toBe('PROVISIONED');
    // PROVISIONED is neither STAGED nor DEPROVISIONED: "not allowed in the user's current status".
    expect((await post(`${staged.id}/lifecycle/activate`)).body.errorCode).toBe('E0000038');
  });

  it('suspend and unsuspend: only from ACTIVE and SUSPENDED, else 400 E0000001 with Okta\'s wording', async () => {
    const u = env.org.createUser({ login: 'suspend@example.com', password: 'Pw-Suspend-1' });
    expect(await post(`${u.id}/lifecycle/suspend`)).toEqual({ status: 200, body: {} });
    expect(await status(u.id)).toBe('SUSPENDED');
    const twice = await post(`${u.id}/lifecycle/suspend`);
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Cannot suspend a user that is not active' }] });
    expect(await post(`${u.id}/lifecycle/unsuspend`)).toEqual({ status: 200, body: {} });
    expect(await status(u.id)).toBe('ACTIVE');
    const notSuspended = await post(`${u.id}/lifecycle/unsuspend`);
    expect(notSuspended.status).toBe(400);
    expect(notSuspended.body).toMatchObject({ errorCode: 'E0000001', errorCauses: [{ errorSummary: 'Cannot unsuspend a user that is not suspended' }] });
    expect((await post('nobody%40example.com/lifecycle/suspend')).body.errorCode).toBe('E0000007');
    const logged = async (type: string) => {
      const res = await fetch(`${env.org.url}/api/v1/logs?${new URLSearchParams({ filter: `eventType eq "${type}" and target.id eq "${u.id}"` })}`, { headers: ssws(env.token) });
      return ((await res.json()) as unknown[]).length;
    };
    expect([await logged('user.lifecycle.suspend'), await logged('user.lifecycle.unsuspend')]).toEqual([1, 1]);
  });

  it('a suspended user cannot sign in; unsuspended, they can again', async () => {
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const u = env.org.createUser({ login: 'paused@example.com', password: 'Pw-Paused-1' });
    const before = await userTokens(env.org, spa.clientId, 'paused@example.com', 'Pw-Paused-1', 'openid offline_access');
    const refresh = () =>
      fetch(`${env.org.url}/oauth2/v1/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: before.refresh_token ?? '', client_id: spa.clientId }) });
    const userinfo = async () => (await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${before.access_token}` } })).status;
    expect(await userinfo()).toBe(200);
    await post(`${u.id}/lifecycle/suspend`);
    await expect(userTokens(env.org, spa.clientId, 'paused@example.com', 'Pw-Paused-1', 'openid')).rejects.toThrow(/^sign-in answered /);
    // Okta revokes the user's refresh tokens on suspension ("The User is Suspended or Deactivated"),
    // and a revoked refresh token takes its access tokens with it: for good, unsuspended or not.
    const refused = await refresh();
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await userinfo()).toBe(401);
    await post(`${u.id}/lifecycle/unsuspend`);
    expect((await userTokens(env.org, spa.clientId, 'paused@example.com', 'Pw-Paused-1', 'openid')).access_token).toBeTruthy();
    expect((await refresh()).status).toBe(400);
    expect(await userinfo()).toBe(401);
  });

  it("an API token acts only while the admin who created it is active: suspended, deactivated or deleted, it is 401 E0000011", async () => {
    // This file's own token (created without a user) acts as the seeded super admin, who stays active.
    const admin = env.org.createUser({ login: 'token-admin@example.com', password: 'Pw-Admin-1', admin: true });
    const own = ssws(env.org.createApiToken({ user: admin.login }).token);
    const list = async () => (await fetch(`${env.org.url}/api/v1/users?limit=1`, { headers: own })).status;
    expect(await list()).toBe(200);
    await post(`${admin.id}/lifecycle/suspend`);
    const refused = await fetch(`${env.org.url}/api/v1/users?limit=1`, { headers: own });
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 401, body: { errorCode: 'E0000011' } });
    await post(`${admin.id}/lifecycle/unsuspend`);
    expect(await list()).toBe(200);
    await post(`${admin.id}/lifecycle/deactivate`);
    expect(await list()).toBe(401);
    expect((await fetch(`${env.org.url}/api/v1/users/${admin.id}`, { method: 'DELETE', headers: ssws(env.token) })).status).toBe(204);
    expect(await list()).toBe(401);
  });

  it('unlock: 200 for an ACTIVE user, 403 E0000032 otherwise', async () => {
    const u = env.org.createUser({ login: 'unlock@example.com', password: 'Pw-Unlock-1' });
    expect(await post(`${u.id}/lifecycle/unlock`)).toEqual({ status: 200, body: {} });
    await post(`${u.id}/lifecycle/deactivate`);
    expect((await post(`${u.id}/lifecycle/unlock`)).body).toMatchObject({ errorCode: 'E0000032', errorSummary: 'Unlock is not allowed for this user.' });
  });

  it('expire_password answers the user, PASSWORD_EXPIRED; reset_password moves to RECOVERY and links with sendEmail=false', async () => {
    const u = env.org.createUser({ login: 'expire@example.com', password: 'Pw-Expire-1' });
    const expired = await post(`${u.id}/lifecycle/expire_password`);
    expect(expired.status).toBe(200);
    expect(expired.body).toMatchObject({ id: u.id, status: 'PASSWORD_EXPIRED', credentials: { password: {} } });
    const reset = await post(`${u.id}/lifecycle/reset_password?sendEmail=false`);
    expect(reset.status).toBe(200);
    expect(reset.body.resetPasswordUrl).toMatch(new RegExp(`^${env.org.url}/reset_password/[\\w-]{32}$`));
    expect(await status(u.id)).toBe('RECOVERY');
    expect(await post(`${u.id}/lifecycle/reset_password`)).toEqual({ status: 200, body: {} });
    const staged = await create('staged-reset@example.com');
    expect((await post(`${staged.id}/lifecycle/reset_password`)).body.errorCode).toBe('E0000038');
  });
});
