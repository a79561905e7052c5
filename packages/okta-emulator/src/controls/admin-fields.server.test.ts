import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

/**
 * Every `/__emulator/*` route with a body refuses a field it does not take, as the methods do (journey93):
 * read as unset, a misspelt `nmae` gave a token the default name and `keytype` an RSA key. 400
 * `INVALID_OPTION` naming the field, never its value (a field may carry a secret).
 */
describe('the admin routes refuse a field they do not take', () => {
  let org: OktaEmulator;
  let clientId: string;
  let keyId: string;
  let tokenId: string;
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
    ({ clientId, keyId } = org.createServiceApp({ scopes: ['okta.users.read'] }));
    tokenId = org.createApiToken().id;
  });
  afterAll(() => org.close());

  const SECRET = '00hidden-value-of-the-field';
  const post = async (path: string, body: unknown): Promise<{ status: number; text: string }> => {
    const res = await fetch(`${org.url}/__emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  const withBody: [string, Record<string, unknown>, string?][] = [
    ['/api-tokens', { name: 'ci' }],
    ['/service-apps', { scopes: ['okta.users.read'] }],
    ['/oin-apps', { scopes: ['okta.users.read'] }],
    ['/sign-in-apps', { type: 'spa', redirectUris: ['http://localhost/cb'] }],
    ['/users', { login: 'typo@example.com', password: 'Passw0rd!' }],
    ['/users/seed', { count: 1 }],
    ['/devices/approve', { userCode: 'ABCD-EFGH', login: 'x@example.com' }],
    ['/devices/deny', { userCode: 'ABCD-EFGH' }],
    ['/clock', { offsetSeconds: 0 }],
    ['/token-lifetime', { seconds: 120 }],
    ['/faults', { path: '/api/v1/users', kind: 'drop' }, 'fault.typo'],
    ['/faults/flt1/release', { count: 1 }],
    ['/rate-limits', { bucket: '/api/v1/users', perMinute: 10 }],
    ['/concurrency-limit', { limit: 5 }],
    ['/principal-rate-limit-share', { share: 0.5 }],
    ['/resource-nonce', { required: false }],
    ['/logs', { eventType: 'user.session.start' }],
    ['/corrupt-next-id-token', { kind: 'unknown-kid' }],
  ];

  it.each(withBody)('POST %s: a misspelt field is refused, named, its value not echoed', async (path, good, option = 'typo') => {
    const { status, text } = await post(path, { ...good, typo: SECRET });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'INVALID_OPTION', option, error: expect.stringContaining('typo is not an option of') });
    expect(text).not.toContain(SECRET);
  });

  it('POST /api-tokens: nmae is refused (before, the token was named "emulator token"), a name of the wrong type too', async () => {
    expect(JSON.parse((await post('/api-tokens', { nmae: 'ci' })).text)).toMatchObject({ code: 'INVALID_OPTION', option: 'nmae', error: expect.stringContaining('use name, user') });
    expect(JSON.parse((await post('/api-tokens', { name: 5 })).text)).toMatchObject({ code: 'INVALID_OPTION', option: 'name' });
    expect((await post('/api-tokens', { name: 'ci' })).status).toBe(200);
  });

  it('POST /apps/{clientId}/keys: keytype is refused (before, an RSA key was added), and so is a keyType of the wrong value', async () => {
    expect(JSON.parse((await post(`/apps/${clientId}/keys`, { keytype: 'EC' })).text)).toMatchObject({ code: 'INVALID_OPTION', option: 'keytype', error: expect.stringContaining('use keyType') });
    expect(JSON.parse((await post(`/apps/${clientId}/keys`, { keyType: 'DSA' })).text)).toMatchObject({ code: 'INVALID_OPTION', option: 'keyType' });
    const added = await post(`/apps/${clientId}/keys`, { keyType: 'EC' });
    expect(added.status).toBe(200);
    expect(JSON.parse(added.text)).toMatchObject({ clientId, privateKeyPem: expect.stringContaining('BEGIN PRIVATE KEY') });
  });

  it.each([
    () => `/api-tokens/${tokenId}/revoke`,
    () => `/api-tokens/${tokenId}/expire`,
    () => '/revoke-access-tokens',
    () => `/apps/${clientId}/keys/${keyId}/deactivate`,
    () => `/apps/${clientId}/secrets`,
    () => `/apps/${clientId}/secrets/ocs1/deactivate`,
    () => `/apps/${clientId}/deactivate`,
    () => `/apps/${clientId}/activate`,
    () => '/signing-keys/rotate',
  ])('a route that takes no body refuses a field, saying it takes none (%#)', async (path) => {
    const { status, text } = await post(path(), { typo: SECRET });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ code: 'INVALID_OPTION', option: 'typo', error: expect.stringContaining('takes no options') });
    expect(text).not.toContain(SECRET);
  });

  it('a route that takes no body still takes none, or {}', async () => {
    expect((await post('/signing-keys/rotate', {})).status).toBe(200);
    expect((await fetch(`${org.url}/__emulator/signing-keys/rotate`, { method: 'POST' })).status).toBe(200);
  });

  it('POST /discovery still takes any field: they are the documents’ own', async () => {
    expect((await post('/discovery', { some_new_metadata: true })).status).toBe(204);
    expect((await post('/discovery', {})).status).toBe(204);
  });
});
