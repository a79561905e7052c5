/**
 * Rotating a private_key_jwt app's client key, as a fleet does at Okta: add a key (both work), move
 * the processes to it, deactivate the old one (its assertions are refused, its tokens still work).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { refusal } from '../test-helpers/refusal.js';
import { clientAssertion, JWT_BEARER, postToken, serviceToken } from '../test-helpers/oauth.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator();
});
afterAll(() => org.close());

async function grant(app: Parameters<typeof clientAssertion>[1]): Promise<Response> {
  return postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app) });
}

describe('addAppKey and deactivateAppKey', () => {
  it('adds a key beside the old one, then refuses the old one once deactivated; its tokens stay valid', async () => {
    const old = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const issued = await serviceToken(org, old, 'okta.users.read');
    const added = org.addAppKey(old.clientId, { keyType: 'EC' });
    expect(added).toMatchObject({ clientId: old.clientId, privateKeyPem: expect.stringContaining('BEGIN PRIVATE KEY'), privateJwk: { kty: 'EC', alg: 'ES256', kid: added.keyId } });
    expect(added.keyId).not.toBe(old.keyId);
    expect((await grant(old)).status).toBe(200);
    expect((await grant(added)).status).toBe(200);

    org.deactivateAppKey(old.clientId, old.keyId);
    const refused = await grant(old);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    expect((await grant(added)).status).toBe(200);
    const users = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: `Bearer ${issued.access_token}` } });
    expect(users.status).toBe(200);
  });

  it('works for a private_key_jwt web app too, and over /__emulator', async () => {
    const web = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'private_key_jwt' });
    const res = await fetch(`${org.url}/__emulator/apps/${web.clientId}/keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"keyType":"EC"}' });
    expect(res.status).toBe(200);
    const added = (await res.json()) as { keyId: string };
    const off = await fetch(`${org.url}/__emulator/apps/${web.clientId}/keys/${added.keyId}/deactivate`, { method: 'POST' });
    expect(off.status).toBe(204);
    const again = await fetch(`${org.url}/__emulator/apps/${web.clientId}/keys/${added.keyId}/deactivate`, { method: 'POST' });
    expect(await again.json()).toMatchObject({ code: 'NOT_FOUND', option: 'keyId' });
  });

  it("adds an RSA key unless told EC, as createServiceApp does", () => {
    const service = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC' });
    expect([org.addAppKey(service.clientId).publicJwk.kty, org.addAppKey(service.clientId, { keyType: 'RSA' }).publicJwk.kty, org.addAppKey(service.clientId, {}).publicJwk.kty]).toEqual(['RSA', 'RSA', 'RSA']);
  });

  it('refuses what it cannot rotate, naming the argument', () => {
    const service = org.createServiceApp({ scopes: ['okta.users.read'] });
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    expect(refusal(() => org.addAppKey('0oanothere'))).toMatchObject({ code: 'NOT_FOUND', option: 'clientId' });
    expect(refusal(() => org.addAppKey(oin.clientId))).toMatchObject({ code: 'INVALID_OPTION', option: 'clientId', message: expect.stringContaining('private_key_jwt') });
    expect(refusal(() => org.addAppKey(service.clientId, { keyType: 'DSA' as 'EC' }))).toEqual({ code: 'INVALID_OPTION', option: 'keyType', message: `addAppKey: keyType must be 'RSA' or 'EC', or unset, not "DSA".` });
    expect(refusal(() => org.addAppKey(service.clientId, 'EC' as never))).toEqual({ code: 'INVALID_OPTION', option: 'options', message: `addAppKey: options must be an object such as { keyType: 'EC' }, not "EC".` });
    expect(refusal(() => org.addAppKey('0oanothere'))).toEqual({ code: 'NOT_FOUND', option: 'clientId', message: 'addAppKey: no app with client id "0oanothere": give the clientId that createServiceApp or createSignInApp returned.' });
    expect(refusal(() => org.deactivateAppKey(service.clientId, 'no-such-kid'))).toMatchObject({ code: 'NOT_FOUND', option: 'keyId' });
    expect(refusal(() => org.deactivateAppKey(oin.clientId, 'x'))).toMatchObject({ code: 'INVALID_OPTION', option: 'clientId' });
  });

  it("a key's private part or a secret given for its kid is NOT_FOUND, never quoted (method and /__emulator)", async () => {
    const service = org.createServiceApp({ scopes: ['okta.users.read'], keyType: 'EC', requireDpop: false });
    const rsa = org.addAppKey(service.clientId, { keyType: 'RSA' });
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const d = String(service.privateJwk.d);
    for (const value of [service.privateKeyPem, rsa.privateKeyPem, d, JSON.stringify(service.privateJwk), oin.clientSecret]) {
      const refused = refusal(() => org.deactivateAppKey(service.clientId, value));
      expect(refused).toMatchObject({ code: 'NOT_FOUND', option: 'keyId', message: expect.stringContaining('not quoted') });
      for (const part of [value.slice(0, 20), value.slice(-20), d.slice(0, 20)]) expect(refused.message).not.toContain(part);
      const res = await fetch(`${org.url}/__emulator/apps/${service.clientId}/keys/${encodeURIComponent(value)}/deactivate`, { method: 'POST' });
      const text = await res.text();
      expect([res.status, text.includes(value.slice(0, 20))]).toEqual([400, false]);
    }
    // Nor for the client id (its arguments swapped): a PEM given there is not quoted either.
    const swapped = refusal(() => org.deactivateAppKey(service.privateKeyPem, service.keyId));
    expect(swapped).toMatchObject({ code: 'NOT_FOUND', option: 'clientId' });
    expect(swapped.message).not.toContain(service.privateKeyPem.slice(30, 50));
    // Nothing was deactivated: both keys still work. A kid-shaped value is still quoted, to be checked.
    expect([(await grant(service)).status, (await grant(rsa)).status]).toEqual([200, 200]);
    expect(refusal(() => org.deactivateAppKey(service.clientId, 'my-key.2024_01')).message).toContain('"my-key.2024_01"');
    expect(refusal(() => org.deactivateAppKey(service.clientId, rsa.keyId.slice(1))).message).toContain(`"${rsa.keyId.slice(1)}"`);
  });
});
