import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

/** The curl walkthrough of the README, as a test: everything through /__emulator/* and plain HTTP. */
describe('/__emulator admin API', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${org.url}/__emulator${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  it('drives an org end to end', async () => {
    expect((await admin('POST', '/users/seed', { count: 3 })).status).toBe(204);
    const user = await admin('POST', '/users', { login: 'root@example.com', password: 'Passw0rd!', admin: true });
    expect(user.body).toMatchObject({ id: expect.stringMatching(/^00u/), login: 'root@example.com' });
    const token = (await admin('POST', '/api-tokens', { name: 'curl' })).body;
    const list = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `SSWS ${token.token}` } });
    expect(await list.json()).toHaveLength(5); // and the seeded super admin

    const svc = (await admin('POST', '/service-apps', { keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false })).body;
    expect(svc).toMatchObject({ clientId: expect.stringMatching(/^0oa/), keyId: expect.any(String), privateKeyPem: expect.stringContaining('BEGIN PRIVATE KEY') });
    const oin = (await admin('POST', '/oin-apps', { scopes: ['okta.users.read'] })).body;
    expect(oin.clientSecret).toBeTruthy();
    const web = (await admin('POST', '/sign-in-apps', { type: 'web', redirectUris: ['http://localhost/cb'] })).body;
    expect(web.clientSecret).toBeTruthy();

    const counters = (await admin('GET', '/counters')).body;
    expect(counters.requests['GET /api/v1/users']).toBe(1);
    expect((await admin('DELETE', '/counters')).status).toBe(204);
    expect((await admin('GET', '/counters')).body).toEqual({ requests: {}, tokenRequests: {}, origins: {}, maxInFlight: 0, concurrencyLimited: 0 });

    expect((await admin('POST', '/clock', { offsetSeconds: 3600 })).status).toBe(204);
    // Bracketed by the clock read before and after the request (the Date header in whole seconds).
    const before = Date.now();
    const dated = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `SSWS ${token.token}` } });
    const after = Date.now();
    expect(Date.parse(dated.headers.get('date')!)).toBeGreaterThan(before + 3600_000 - 1000);
    expect(Date.parse(dated.headers.get('date')!)).toBeLessThanOrEqual(after + 3600_000);
    await admin('POST', '/clock', { offsetSeconds: 0 });

    expect((await admin('POST', '/token-lifetime', { seconds: 120 })).status).toBe(204);
    const tok = await fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${oin.clientId}:${oin.clientSecret}`).toString('base64')}` }, body: 'grant_type=client_credentials&scope=okta.users.read' });
    const at = await tok.json();
    expect(at.expires_in).toBe(120);
    expect((await admin('POST', '/revoke-access-tokens')).status).toBe(204);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${at.access_token}` } })).status).toBe(401);

    expect((await admin('POST', `/api-tokens/${token.id as string}/expire`)).status).toBe(204);
    expect((await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `SSWS ${token.token}` } })).status).toBe(401);

    expect((await admin('POST', '/concurrency-limit', { limit: 5 })).status).toBe(204);
    expect((await admin('POST', '/concurrency-limit', { limit: null })).status).toBe(204);
    expect((await admin('POST', '/resource-nonce', { required: false })).status).toBe(204);
    expect((await admin('POST', '/signing-keys/rotate')).body.kid).toBeTruthy();
    expect((await admin('POST', '/corrupt-next-id-token', { kind: 'nonce' })).status).toBe(204);
    expect((await admin('GET', '')).body).toEqual({ url: org.url });
  });

  it('counts a grant_type named like an Object property as its own key', async () => {
    await admin('DELETE', '/counters');
    const form = { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
    expect((await fetch(`${org.url}/oauth2/v1/token`, { ...form, body: 'grant_type=__proto__' })).status).toBe(400);
    expect((await fetch(`${org.url}/oauth2/v1/token`, { ...form, body: 'grant_type=constructor' })).status).toBe(400);
    // Over HTTP (JSON.parse keeps "__proto__" as a key) and in process.
    const counted = [
      ['__proto__', { unsupported_grant_type: 1 }],
      ['constructor', { unsupported_grant_type: 1 }],
    ];
    expect(Object.entries((await admin('GET', '/counters')).body.tokenRequests)).toEqual(counted);
    expect(Object.entries(org.counters().tokenRequests)).toEqual(counted);
    expect(Object.getPrototypeOf(org.counters().tokenRequests)).toBe(Object.prototype);
  });

  it('answers 400 with a message for bad input and 404 for unknown admin routes', async () => {
    const bad = await admin('POST', '/clock', { offsetSeconds: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('offsetSeconds');
    expect((await admin('POST', '/api-tokens/nope/revoke')).status).toBe(400);
    expect((await admin('GET', '/nothing')).status).toBe(404);
    const corruption = await admin('POST', '/corrupt-next-id-token', { kind: 'everything' });
    expect(corruption.status).toBe(400);
    expect(corruption.body.error).toContain('unknown-kid');
  });

  it("answers a method's OktaEmulatorError as 400 with its code and option", async () => {
    expect(await admin('POST', '/clock', { offsetSeconds: 'soon' })).toEqual({
      status: 400,
      body: { error: 'POST /__emulator/clock: offsetSeconds must be a number, not "soon".', code: 'INVALID_OPTION', option: 'offsetSeconds' },
    });
    expect((await admin('POST', '/api-tokens/nope/revoke')).body).toMatchObject({ code: 'NOT_FOUND', option: 'id', error: expect.stringContaining('revokeApiToken: no API token with id "nope"') });
    expect((await admin('POST', '/devices/deny', { userCode: 'ABCD-EFGH' })).body).toMatchObject({ code: 'NOT_FOUND', option: 'userCode' });
    await admin('POST', '/users', { login: 'twice@example.com', password: 'Passw0rd!' });
    expect(await admin('POST', '/users', { login: 'twice@example.com', password: 'Passw0rd!' })).toMatchObject({ status: 400, body: { code: 'ALREADY_EXISTS', option: 'login' } });
    expect(await admin('POST', '/faults', { path: '/x', kind: 'explode' })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'fault.kind' } });
    expect(await admin('POST', '/token-lifetime', { seconds: -1 })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'seconds' } });
    // The field over HTTP is count (seedUsers' argument is n).
    expect(await admin('POST', '/users/seed', { count: -1 })).toEqual({
      status: 400,
      body: { error: 'POST /__emulator/users/seed: count must be a whole number from 0 to 100000 (users are kept in memory), not -1.', code: 'INVALID_OPTION', option: 'count' },
    });
    // An API token's value where its id goes is not echoed.
    const { token } = org.createApiToken();
    const byValue = await fetch(`${org.url}/__emulator/api-tokens/${token}/revoke`, { method: 'POST' });
    const byValueText = await byValue.text();
    expect(byValue.status).toBe(400);
    expect(JSON.parse(byValueText)).toMatchObject({ code: 'NOT_FOUND', option: 'id' });
    expect(byValueText).not.toContain(token);
    expect(await admin('POST', '/sign-in-apps', { type: 'spa' })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'redirectUris' } });
    expect(await admin('POST', '/discovery', [1])).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'body' } });
    // Not JSON: refused without quoting the body, which may carry a header value or a key.
    const garbled = await fetch(`${org.url}/__emulator/faults`, { method: 'POST', body: '{"headers":{"Authorization":"SSWS 00secret-value"' });
    expect(garbled.status).toBe(400);
    const text = await garbled.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'INVALID_OPTION', option: 'body', error: 'POST /__emulator/faults: body must be JSON: a JSON object of the options, or empty.' });
    expect(text).not.toContain('secret-value');
    // Nor a body that is a JSON string (a token or password sent as the whole body).
    const stringBody = await fetch(`${org.url}/__emulator/users`, { method: 'POST', body: JSON.stringify('00secret-token-value') });
    const stringText = await stringBody.text();
    expect(JSON.parse(stringText)).toMatchObject({ code: 'INVALID_OPTION', option: 'body', error: 'POST /__emulator/users: body must be a JSON object of the options, not a string.' });
    expect(await admin('POST', '/sign-in-apps', { type: 'spa', redirectUris: ['http://localhost/cb'], postLogoutRedirectUris: 5 })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'postLogoutRedirectUris' } });
    expect(await admin('POST', '/concurrency-limit', { limit: -1 })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'limit' } });
    expect(await admin('POST', '/service-apps', { scopes: 'okta.users.read' })).toMatchObject({ status: 400, body: { code: 'INVALID_OPTION', option: 'scopes' } });
  });

  it('admin calls are not counted, rate-limited or faulted', async () => {
    org.resetCounters();
    org.setRateLimit('/__emulator/counters', 0);
    org.injectFault({ path: '/__emulator/*', kind: 'status', status: 500 });
    expect((await admin('GET', '/counters')).status).toBe(200);
    expect(org.counters().requests).toEqual({});
    org.clearFaults();
  });
});
