import { describe, expect, it } from 'vitest';
import { rawRequest, ssws } from '../test-helpers/http.js';
import { useSignInApps, bobBearer } from '../test-helpers/user-tokens.js';

/**
 * A self update's emails at their edges (M16; mutation testing, twenty-fifth round): a new
 * `secondEmail` waits for verification, so the user's current one stays (not dropped); `null` or
 * `''` clears it, no address to verify; and an email is one whole `x@y`, nothing before or after.
 */
const json = { 'content-type': 'application/json' };

describe('the Users API: a self update of secondEmail, and the email shape', () => {
  const apps = useSignInApps();

  async function bob(): Promise<{ id: string; admin: Record<string, string>; self: Record<string, string> }> {
    const admin = ssws(apps.org.createApiToken().token);
    const res = await rawRequest(`${apps.org.url}/api/v1/users/bob@example.com`, { headers: admin });
    return { id: (JSON.parse(res.body) as { id: string }).id, admin, self: await bobBearer(apps.org, 'openid okta.users.manage.self') };
  }
  const post = async (id: string, headers: Record<string, string>, profile: object) => {
    const res = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...headers, ...json }, body: JSON.stringify({ profile }) });
    return { status: res.status, profile: (JSON.parse(res.body) as { profile?: Record<string, unknown> }).profile };
  };

  it("keeps the user's current secondEmail when the user sends a new one, and clears it for null or ''", async () => {
    const { id, admin, self } = await bob();
    try {
      for (const cleared of [null, '']) {
        expect((await post(id, admin, { secondEmail: 'bob.old@example.com' })).profile?.secondEmail).toBe('bob.old@example.com');
        const pending = await post(id, self, { secondEmail: 'bob.new@example.com', title: 'Lead' });
        expect([pending.status, pending.profile?.secondEmail, pending.profile?.title]).toEqual([200, 'bob.old@example.com', 'Lead']);
        const clearedBySelf = await post(id, self, { secondEmail: cleared });
        expect([clearedBySelf.status, clearedBySelf.profile?.secondEmail]).toEqual([200, cleared]);
      }
    } finally {
      expect((await post(id, admin, { secondEmail: null, title: null })).status).toBe(200);
    }
  });

  it.each(['ada lovelace@example.com', 'ada@example.com x', 'x ada@example.com'])('refuses %j as an email and as a secondEmail (400 E0000001)', async (address) => {
    const { id, admin } = await bob();
    for (const field of ['email', 'secondEmail']) {
      const res = await rawRequest(`${apps.org.url}/api/v1/users/${id}`, { method: 'POST', headers: { ...admin, ...json }, body: JSON.stringify({ profile: { [field]: address } }) });
      expect([res.status, (JSON.parse(res.body) as { errorCode?: string }).errorCode]).toEqual([400, 'E0000001']);
    }
  });
});
