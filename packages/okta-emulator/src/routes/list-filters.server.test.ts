import { beforeAll, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';

/*
 * `filter` and `search` on GET /api/v1/users and /api/v1/groups, as Okta's OpenAPI spec describes them
 * (`listUsers`, `listGroups`; docs/FIDELITY.md L1–L8): the expressions its examples use, and its 400s.
 */

describe('users and groups: SCIM filter and search', () => {
  const env = useApiTokenOrg();
  const users: Record<string, { id: string; lastUpdated: string; status: string }> = {};
  const groups: Record<string, { id: string; lastUpdated: string }> = {};

  const get = async (path: string, params: Record<string, string>) => {
    const res = await fetch(`${env.org.url}${path}?${new URLSearchParams(params)}`, { headers: ssws(env.token) });
    return { status: res.status, body: await res.json() };
  };
  const ids = async (path: string, params: Record<string, string>): Promise<string[]> => {
    const res = await get(path, params);
    expect(res).toMatchObject({ status: 200 });
    return (res.body as { id: string }[]).map((x) => x.id).sort();
  };
  const idsOf = (from: Record<string, { id: string }>, ...names: string[]): string[] => names.map((n) => from[n]?.id ?? n).sort();
  const user = async (login: string, firstName: string, lastName: string) => {
    const res = await fetch(`${env.org.url}/api/v1/users`, {
      method: 'POST',
      headers: { ...ssws(env.token), 'Content-Type': 'application/json' },
      body: JSON.stringify({ profile: { login, email: login, firstName, lastName } }),
    });
    users[firstName] = await res.json();
  };
  const group = async (name: string, description: string) => {
    const res = await fetch(`${env.org.url}/api/v1/groups`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: JSON.stringify({ profile: { name, description } }) });
    groups[name] = await res.json();
  };

  beforeAll(async () => {
    users.Super = (await get('/api/v1/users/me', {})).body; // the seeded super admin, the org's first user
    // Three generations an hour apart on the org clock, so lastUpdated ranges can tell them apart.
    await user('ada@example.com', 'Ada', 'Lovelace');
    await group('Engineering West', 'builds things');
    env.org.setClockOffset(3600);
    await user('grace@example.com', 'Grace', 'Hopper');
    await group('Sales', 'sells engineering');
    env.org.setClockOffset(7200);
    await user('Alan@Example.com', 'Alan', 'Turing');
    await fetch(`${env.org.url}/api/v1/users/${users.Alan?.id}/lifecycle/deactivate`, { method: 'POST', headers: ssws(env.token) });
    users.Alan = (await get(`/api/v1/users/${users.Alan?.id}`, {})).body;
    env.org.setClockOffset(0);
  });

  it('users filter: eq on status, id and profile attributes, dates by gt/lt, and/or with ( ), DEPROVISIONED included', async () => {
    const U = '/api/v1/users';
    expect(await ids(U, { filter: 'status eq "DEPROVISIONED"' })).toEqual(idsOf(users, 'Alan'));
    expect(await ids(U, { filter: `id eq "${users.Grace?.id}"` })).toEqual(idsOf(users, 'Grace'));
    expect(await ids(U, { filter: 'profile.login eq "ada@example.com" or profile.lastName Eq "Hopper"' })).toEqual(idsOf(users, 'Ada', 'Grace'));
    // Values are case-sensitive in `filter` (operators are not).
    expect(await ids(U, { filter: 'profile.email eq "alan@example.com"' })).toEqual([]);
    const after = users.Ada?.lastUpdated ?? '';
    expect(await ids(U, { filter: `lastUpdated gt "${after}"` })).toEqual(idsOf(users, 'Grace', 'Alan'));
    expect(await ids(U, { filter: `lastUpdated gt "${after}" and lastUpdated lt "${users.Alan?.lastUpdated}"` })).toEqual(idsOf(users, 'Grace'));
    expect(await ids(U, { filter: `lastUpdated ge "${after}" and (status eq "DEPROVISIONED" or profile.firstName eq "Ada")` })).toEqual(idsOf(users, 'Ada', 'Alan'));
  });

  it('users search: sw, eq, co on profile attributes, case-insensitive values, lt … or … gt, pr, created; q is unchanged', async () => {
    const U = '/api/v1/users';
    expect(await ids(U, { search: 'profile.lastName sw "LOVE"' })).toEqual(idsOf(users, 'Ada'));
    expect(await ids(U, { search: 'profile.email co "example.COM"' })).toEqual(idsOf(users, 'Super', 'Ada', 'Grace', 'Alan'));
    expect(await ids(U, { search: 'status eq "deprovisioned"' })).toEqual(idsOf(users, 'Alan'));
    expect(await ids(U, { search: '(status lt "PROVISIONED" or status gt "PROVISIONED") and profile.firstName pr' })).toEqual(idsOf(users, 'Super', 'Alan'));
    expect(await ids(U, { search: `created lt "${users.Grace?.lastUpdated}" and type.id pr` })).toEqual(idsOf(users, 'Super', 'Ada'));
    expect(await ids(U, { search: 'profile.department pr' })).toEqual([]);
    expect(await ids(U, { q: 'A' })).toEqual(idsOf(users, 'Super', 'Ada')); // Super Admin's last name
  });

  it("users: refuses what Okta's spec says filter and search do not take, 400 E0000031", async () => {
    const U = '/api/v1/users';
    const refused = { errorCode: 'E0000031', errorSummary: 'Invalid search criteria.', errorCauses: [] };
    const syntax = { ...refused, errorCauses: [{ errorSummary: 'Invalid search syntax.' }] };
    for (const filter of ['profile.department eq "x"', 'status sw "A"', 'created gt "2020-01-01T00:00:00.000Z"', 'profile.email co "x"', 'not (status eq "ACTIVE")']) {
      expect({ filter, ...(await get(U, { filter })) }).toMatchObject({ filter, status: 400, body: filter.startsWith('not') ? syntax : refused });
    }
    for (const search of ['status ne "ACTIVE"', 'profile.city co "x"', 'profile.email ew ".com"', 'credentials.provider.type eq "OKTA"']) {
      expect({ search, ...(await get(U, { search })) }).toMatchObject({ search, status: 400, body: refused });
    }
    for (const filter of ['status eqq "ACTIVE"', 'status eq ACTIVE', 'status eq "ACTIVE" and', '(status eq "ACTIVE"', 'status eq "ACTIVE")', 'status eq "ACTIVE']) {
      expect({ filter, ...(await get(U, { filter })) }).toMatchObject({ filter, status: 400, body: syntax });
    }
    // Nesting is bounded (32 levels): deeper is a 400, not a stack overflow.
    expect(await ids(U, { search: `${'('.repeat(32)}status eq "DEPROVISIONED"${')'.repeat(32)}` })).toEqual(idsOf(users, 'Alan'));
    // 3,000 levels fit in the request line (encodeURIComponent leaves parentheses as they are) and
    // would overflow the parser's stack.
    const deep = encodeURIComponent(`${'('.repeat(3000)}status eq "ACTIVE"${')'.repeat(3000)}`);
    const res = await fetch(`${env.org.url}${U}?search=${deep}`, { headers: ssws(env.token) });
    expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 400, body: syntax });
    expect(await get(U, { filter: 'status eq "ACTIVE"', search: 'status eq "ACTIVE"' })).toMatchObject({
      status: 400,
      body: { errorCode: 'E0000033', errorSummary: "Bad request. Can't specify a search query and filter in the same request." },
    });
  });

  it('groups filter and search: type, id, lastUpdated; profile sw and co; q as before', async () => {
    const G = '/api/v1/groups';
    const everyone = (await get(G, { q: 'Everyone' })).body[0] as { id: string };
    expect(await ids(G, { filter: 'type eq "OKTA_GROUP"' })).toEqual(idsOf(groups, 'Engineering West', 'Sales'));
    expect(await ids(G, { filter: 'type eq "BUILT_IN"' })).toEqual([everyone.id]);
    expect(await ids(G, { filter: `id eq "${groups.Sales?.id}"` })).toEqual(idsOf(groups, 'Sales'));
    expect(await ids(G, { filter: `type eq "OKTA_GROUP" and (lastUpdated gt "${groups['Engineering West']?.lastUpdated}" or lastMembershipUpdated lt "2000-01-01T00:00:00.000Z")` })).toEqual(idsOf(groups, 'Sales'));
    expect(await ids(G, { search: 'profile.name sw "engineering"' })).toEqual(idsOf(groups, 'Engineering West'));
    expect(await ids(G, { search: 'profile.description co "ENGINEERING" or profile.name eq "everyone"' })).toEqual([everyone.id, groups.Sales?.id].sort());
    expect(await ids(G, { q: 'S', filter: 'type eq "OKTA_GROUP"' })).toEqual(idsOf(groups, 'Sales'));
    const refused = { errorCode: 'E0000031', errorSummary: 'Invalid search criteria.' };
    for (const filter of ['profile.name eq "Sales"', 'created gt "2000-01-01T00:00:00.000Z"', 'type sw "OKTA"']) {
      expect({ filter, ...(await get(G, { filter })) }).toMatchObject({ filter, status: 400, body: refused });
    }
    expect(await get(G, { search: 'type co "OKTA"' })).toMatchObject({ status: 400, body: refused });
    expect(await get(G, { filter: 'type eq "OKTA_GROUP"', search: 'type eq "OKTA_GROUP"' })).toMatchObject({ status: 400, body: { errorCode: 'E0000033' } });
  });

  it('apps: filter takes one eq on id, status or name; q is startsWith on name or label; the rest is 400 E0000031', async () => {
    const A = '/api/v1/apps';
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: ['http://localhost:5173/callback'] });
    const service = env.org.createServiceApp({ scopes: ['okta.users.read'] });
    const both = [spa.clientId, service.clientId].sort();
    expect(await ids(A, { filter: 'status eq "ACTIVE"' })).toEqual(both);
    expect(await ids(A, { filter: 'status eq "INACTIVE"' })).toEqual([]);
    expect(await ids(A, { filter: `id eq "${spa.clientId}"` })).toEqual([spa.clientId]);
    expect(await ids(A, { filter: 'name eq "oidc_client"' })).toEqual(both);
    expect(await ids(A, { filter: 'name eq "okta_org2org"' })).toEqual([]);
    expect(await ids(A, { q: 'SPA' })).toEqual([spa.clientId]);
    expect(await ids(A, { q: 'okta' })).toEqual([]);
    const refused = { status: 400, body: { errorCode: 'E0000031', errorSummary: 'Invalid search criteria.' } };
    for (const filter of ['label eq "x"', 'status sw "ACT"', `status eq "ACTIVE" and id eq "${spa.clientId}"`, 'user.id eq "00u1"', 'group.id eq "00g1"']) {
      expect({ filter, ...(await get(A, { filter })) }).toMatchObject({ filter, ...refused });
    }
  });
});
