import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

describe('SSWS API tokens', () => {
  let org: OktaEmulator;

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
  });
  afterAll(() => org.close());

  const get = (headers: Record<string, string>) => fetch(`${org.url}/api/v1/users`, { headers });

  it('accepts a live token', async () => {
    const { token } = org.createApiToken({ name: 'ci' });
    const res = await get({ Authorization: `SSWS ${token}` });
    expect(res.status).toBe(200);
  });

  it('accepts the scheme case-insensitively', async () => {
    const { token } = org.createApiToken();
    expect((await get({ Authorization: `ssws ${token}` })).status).toBe(200);
  });

  it.each([
    ['unknown', () => 'not-a-token-00000000000000000000000000000'],
    ['revoked', () => { const t = org.createApiToken(); org.revokeApiToken(t.id); return t.token; }],
    ['expired', () => { const t = org.createApiToken(); org.expireApiToken(t.id); return t.token; }],
  ])('rejects an %s token with 401 E0000011', async (_name, make) => {
    const res = await get({ Authorization: `SSWS ${make()}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
      errorLink: 'E0000011',
      errorCauses: [],
    });
  });

  it('expires a token after 30 days without use (org clock)', async () => {
    const { token } = org.createApiToken();
    org.setClockOffset(29 * 86_400);
    expect((await get({ Authorization: `SSWS ${token}` })).status).toBe(200);
    org.setClockOffset(58 * 86_400);
    expect((await get({ Authorization: `SSWS ${token}` })).status).toBe(200);
    org.setClockOffset(89 * 86_400);
    expect((await get({ Authorization: `SSWS ${token}` })).status).toBe(401);
    org.setClockOffset(0);
  });

  it.each([
    ['no header', {}],
    ['an empty SSWS', { Authorization: 'SSWS' }],
    ['an unknown scheme', { Authorization: 'Basic dXNlcjpwYXNz' }],
    ['a bare token', { Authorization: '00abcdef' }],
  ])('rejects %s with 403 E0000005', async (_name, headers: Record<string, string>) => {
    const res = await get(headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000005', errorSummary: 'Invalid session' });
  });

  it('API tokens are managed over /__emulator too', async () => {
    const created = await (await fetch(`${org.url}/__emulator/api-tokens`, { method: 'POST', body: '{"name":"curl"}' })).json();
    expect((await get({ Authorization: `SSWS ${created.token}` })).status).toBe(200);
    const r = await fetch(`${org.url}/__emulator/api-tokens/${created.id}/revoke`, { method: 'POST' });
    expect(r.status).toBe(204);
    expect((await get({ Authorization: `SSWS ${created.token}` })).status).toBe(401);
  });
});
