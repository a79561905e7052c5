/**
 * An API token acts as the admin who created it, as at Okta: against @org/okta-emulator over real HTTP,
 * through the fetch wrapper as a user's integration would. The default org has a seeded super admin who
 * owns a token created without a user; deactivating or deleting that owner refuses the token (401
 * E0000011), and a token whose owner holds no admin role is refused admin calls (403 E0000006).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { SEED_ADMIN_LOGIN, startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { createSswsCredential } from './ssws-credential.js';

interface User {
  id: string;
  status: string;
  profile: { login: string };
}

let org: OktaEmulator;
beforeEach(async () => {
  org = await startEmulator({ seed: { users: 2 } });
});
afterEach(() => org.close());

const client = (token: string) => createOktaFetch({ credential: createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true }) });
const json = async <T>(res: Promise<Response>) => (await (await res).json()) as T;
const refused = async (res: Promise<unknown>) => {
  const e = await failure(res, isOktaApiError);
  return [e.status, e.errorCode];
};

describe('API token owner', () => {
  it("a token created without a user is the seeded super admin's, and is refused once that admin is deactivated or deleted", async () => {
    const okta = client(org.createApiToken().token);
    const me = await json<User>(okta('/api/v1/users/me'));
    expect(me.profile.login).toBe(SEED_ADMIN_LOGIN);
    // Another admin's token does the lifecycle calls, as a second admin would in the console.
    org.createUser({ login: 'ops-admin@example.com', password: 'Pw-Ops-2026!', admin: true });
    const ops = client(org.createApiToken({ user: 'ops-admin@example.com' }).token);
    const deactivated = await json<User>(ops(`/api/v1/users/${me.id}/lifecycle/deactivate`, { method: 'POST' }));
    expect(deactivated).toEqual({});
    expect(await refused(okta('/api/v1/users?limit=1'))).toEqual([401, 'E0000011']);
    // The hint names that cause too (ssws151): Okta's "Tokens issued by deactivated users are rejected".
    expect((await failure(okta('/api/v1/users?limit=1'), isOktaApiError)).hint).toMatch(/, or its admin is inactive\. Create a new token/);
    expect((await ops(`/api/v1/users/${me.id}`, { method: 'DELETE' })).status).toBe(204);
    // Deleted, it stays refused: the token does not pass to the org's next admin.
    expect(await refused(okta('/api/v1/users?limit=1'))).toEqual([401, 'E0000011']);
    expect((await ops('/api/v1/users?limit=1')).status).toBe(200);
  });

  it('a token keeps the admin it was created for when another admin is added first in line', async () => {
    const okta = client(org.createApiToken().token);
    org.createUser({ login: 'later-admin@example.com', password: 'Pw-Later-2026!', admin: true });
    expect((await json<User>(okta('/api/v1/users/me'))).profile.login).toBe(SEED_ADMIN_LOGIN);
  });

  it('seeded users are not admins: a token whose owner holds no admin role is 403 E0000006 on admin APIs', async () => {
    const okta = client(org.createApiToken({ user: 'user0001@example.com' }).token);
    expect(await refused(okta('/api/v1/users?limit=1'))).toEqual([403, 'E0000006']);
    expect(await refused(okta('/api/v1/groups'))).toEqual([403, 'E0000006']);
    const admin = await json<User[]>(client(org.createApiToken().token)('/api/v1/users?limit=200'));
    expect(admin.map((u) => u.profile.login)).toEqual([SEED_ADMIN_LOGIN, 'user0001@example.com', 'user0002@example.com']);
  });
});
