import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { ssws } from '../test-helpers/http.js';
import { serviceToken } from '../test-helpers/oauth.js';

/*
 * `GET` / `POST /api/v1/iam/resource-sets` (docs/FIDELITY.md M14): a list whose page is a JSON object,
 * `{ "resource-sets": [...], "_links": { "next": { "href": … } } }`, paged in its body, no `Link` header.
 */
describe('resource sets', () => {
  let org: OktaEmulator;
  let h: Record<string, string>;
  beforeEach(async () => {
    org = await startEmulator();
    h = ssws(org.createApiToken().token);
  });
  afterEach(async () => {
    await org.close();
  });
  const create = (body: unknown, headers = h) =>
    fetch(`${org.url}/api/v1/iam/resource-sets`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('lists them in pages of a JSON object, the next page in _links.next.href', async () => {
    for (const label of ['A', 'B', 'C']) expect((await create({ label, description: `set ${label}`, resources: [] })).status).toBe(200);
    const first = await fetch(`${org.url}/api/v1/iam/resource-sets?limit=2`, { headers: h });
    expect(first.headers.get('link')).toBeNull();
    const page = (await first.json()) as { 'resource-sets': { id: string; label: string; _links: { self: { href: string } } }[]; _links: { next?: { href: string } } };
    expect(page['resource-sets'].map((set) => set.label)).toEqual(['A', 'B']);
    expect(page['resource-sets'][0]?.id).toMatch(/^iam[0-9A-Za-z]{17}$/);
    expect(page['resource-sets'][0]?._links.self.href).toBe(`${org.url}/api/v1/iam/resource-sets/${page['resource-sets'][0]?.id}`);
    const next = page._links.next?.href ?? '';
    expect(next).toMatch(new RegExp(`^${org.url}/api/v1/iam/resource-sets\\?.*after=`));
    const last = (await (await fetch(next, { headers: h })).json()) as { 'resource-sets': { label: string }[]; _links: Record<string, unknown> };
    expect([last['resource-sets'].map((set) => set.label), last._links]).toEqual([['C'], {}]);
  });

  it('refuses a blank label or description with E0000001 naming it', async () => {
    const res = await create({ label: ' ', description: 'd' });
    expect([res.status, ((await res.json()) as { errorSummary: string }).errorSummary]).toEqual([400, 'Api validation failed: label']);
  });

  it('wants okta.roles.read to list, okta.roles.manage to create', async () => {
    const reader = org.createServiceApp({ scopes: ['okta.roles.read', 'okta.groups.read'], requireDpop: false });
    const read = { Authorization: `Bearer ${(await serviceToken(org, reader, 'okta.roles.read')).access_token}` };
    expect((await fetch(`${org.url}/api/v1/iam/resource-sets`, { headers: read })).status).toBe(200);
    expect((await create({ label: 'A', description: 'd' }, read)).status).toBe(403);
    const other = { Authorization: `Bearer ${(await serviceToken(org, reader, 'okta.groups.read')).access_token}` };
    expect((await fetch(`${org.url}/api/v1/iam/resource-sets`, { headers: other })).status).toBe(403);
  });
});
