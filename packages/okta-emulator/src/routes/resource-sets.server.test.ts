import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  it('answers a set as Okta shows it: label, description, created and lastUpdated of the org clock, its links', async () => {
    // Only Date is faked (the org's clock reads Date.now): the sockets' timers run as ever.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-02T03:04:05.678Z'));
    org.setClockOffset(60);
    const res = await create({ label: 'SF-IT', description: 'The IT group', resources: [] }).finally(() => vi.useRealTimers());
    const set = (await res.json()) as Record<string, unknown> & { id: string };
    const href = `${org.url}/api/v1/iam/resource-sets/${set.id}`;
    const at = '2026-01-02T03:05:05.678Z';
    expect(set).toEqual({ id: set.id, label: 'SF-IT', description: 'The IT group', created: at, lastUpdated: at, _links: { self: { href }, resources: { href: `${href}/resources` }, bindings: { href: `${href}/bindings` } } });
  });

  it.each([
    ['both missing', {}, 'Api validation failed: label, description', ['label: The field cannot be left blank', 'description: The field cannot be left blank']],
    ['a blank description', { label: 'L', description: '' }, 'Api validation failed: description', ['description: The field cannot be left blank']],
    ['a label that is no string', { label: 7, description: 'd' }, 'Api validation failed: label', ['label: The field cannot be left blank']],
  ])('refuses %s with E0000001 naming each field', async (_name, body, summary, causes) => {
    const res = await create(body);
    const error = (await res.json()) as { errorCode: string; errorSummary: string; errorCauses: { errorSummary: string }[] };
    expect([res.status, error.errorCode, error.errorSummary, error.errorCauses.map((cause) => cause.errorSummary)]).toEqual([400, 'E0000001', summary, causes]);
  });

  it('refuses a body that is not JSON with E0000003', async () => {
    const res = await fetch(`${org.url}/api/v1/iam/resource-sets`, { method: 'POST', headers: { ...h, 'Content-Type': 'application/json' }, body: '{"label":' });
    expect([res.status, ((await res.json()) as { errorCode: string }).errorCode]).toEqual([400, 'E0000003']);
  });

  it('wants okta.roles.read to list, okta.roles.manage to create', async () => {
    const reader = org.createServiceApp({ scopes: ['okta.roles.read', 'okta.groups.read'], requireDpop: false });
    const read = { Authorization: `Bearer ${(await serviceToken(org, reader, 'okta.roles.read')).access_token}` };
    expect((await fetch(`${org.url}/api/v1/iam/resource-sets`, { headers: read })).status).toBe(200);
    const refused = await create({ label: 'A', description: 'd' }, read);
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([403, expect.stringContaining('scope="okta.roles.manage"')]);
    const other = { Authorization: `Bearer ${(await serviceToken(org, reader, 'okta.groups.read')).access_token}` };
    expect((await fetch(`${org.url}/api/v1/iam/resource-sets`, { headers: other })).status).toBe(403);
    const manager = org.createServiceApp({ scopes: ['okta.roles.manage'], requireDpop: false });
    const manage = { Authorization: `Bearer ${(await serviceToken(org, manager, 'okta.roles.manage')).access_token}` };
    expect((await create({ label: 'A', description: 'd' }, manage)).status).toBe(200);
  });
});
