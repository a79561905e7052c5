/**
 * A partner rotating one customer's secret: the tenant data `get` is given decides which secret a
 * credential uses, whether the partner passes a new object or changes the one it passed before.
 */
import { createOktaFetch, Secret, type OktaCredential } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

interface Tenant {
  clientId: string;
  clientSecret: string | Secret;
  scopes: string[];
}

function partner() {
  const wire = recordingFetch();
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, allowInsecureLoopback: true, fetch: wire.fetch, timeoutMs: 10_000 }),
  });
  const call = (orgUrl: string, tenant: Tenant) => createOktaFetch({ credential: orgs.get(orgUrl, tenant), fetch: wire.fetch })('/api/v1/users');
  return { wire, orgs, call };
}

describe('a tenant changed in place', () => {
  it('a secret rotated in the object given before is used on the next get (a new credential), not the old one', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const { wire, orgs, call } = partner();
    const tenant: Tenant = { clientId: app.clientId, clientSecret: `${app.clientSecret}-old`, scopes: ['okta.users.read'] };
    const first = orgs.get(org.url, tenant);
    await expect(call(org.url, tenant)).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    tenant.clientSecret = app.clientSecret; // the partner's rotation: the record it holds, updated
    expect(orgs.get(org.url, tenant)).not.toBe(first);
    expect((await call(org.url, tenant)).status).toBe(200);
    expect(wire.tokenRequests().at(-1)?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${app.clientSecret}`)}`);
  });

  it('a scope added to the array given before, and a Secret replaced inside it, each make a new credential; an unchanged tenant keeps its own', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read', 'okta.groups.read'] });
    const { wire, orgs, call } = partner();
    const tenant: Tenant = { clientId: app.clientId, clientSecret: new Secret(app.clientSecret), scopes: ['okta.users.read'] };
    const first = orgs.get(org.url, tenant);
    expect(orgs.get(org.url, { ...tenant, scopes: [...tenant.scopes] })).toBe(first);
    tenant.scopes.push('okta.groups.read');
    const second = orgs.get(org.url, tenant);
    expect(second).not.toBe(first);
    expect((await call(org.url, tenant)).status).toBe(200);
    expect(wire.tokenRequests().at(-1)?.form?.get('scope')).toBe('okta.users.read okta.groups.read');
    tenant.clientSecret = new Secret(`${app.clientSecret}-other`);
    expect(orgs.get(org.url, tenant)).not.toBe(second);
    await expect(call(org.url, tenant)).rejects.toMatchObject({ error: 'invalid_client' });
  });
});

describe('an org removed with delete()', () => {
  it('the credentials handed out for it (the current one and one a rotation replaced) send nothing more; get() makes a new one', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const { wire, orgs } = partner();
    const tenant: Tenant = { clientId: app.clientId, clientSecret: app.clientSecret, scopes: ['okta.users.read'] };
    const before = createOktaFetch({ credential: orgs.get(org.url, { ...tenant, scopes: ['okta.users.read', 'okta.users.read'] }), fetch: wire.fetch });
    const held = createOktaFetch({ credential: orgs.get(org.url, tenant), fetch: wire.fetch }); // a rotation (other scopes) replaced the first
    expect((await held('/api/v1/users')).status).toBe(200);
    expect(orgs.delete(org.url)).toBe(true);
    const sent = wire.sent.length;
    for (const okta of [held, before]) {
      const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_CONFIG' });
      expect((error as Error).message).toMatch(/delete\(\)/);
      expect((error as Error).message).not.toContain(app.clientSecret);
    }
    expect(wire.sent.length).toBe(sent);
    // authorize() keeps its contract (a promise): the refusal is a rejection, not a throw, for code that chains .catch on it.
    const removed = orgs.get(org.url, tenant);
    orgs.delete(org.url);
    let authorizing: Promise<unknown> | undefined;
    expect(() => (authorizing = removed.authorize({} as Parameters<OktaCredential['authorize']>[0]))).not.toThrow();
    await expect(authorizing).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(orgs.delete(org.url)).toBe(false);
    expect((await createOktaFetch({ credential: orgs.get(org.url, tenant), fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
  });
});

describe('tenant data', () => {
  it('a tenant that contains itself is INVALID_CONFIG, not a stack overflow', () => {
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, tenant: Tenant & { self?: unknown }) => createOinAppCredential({ orgUrl, clientId: tenant.clientId, clientSecret: tenant.clientSecret, scopes: tenant.scopes }),
    });
    const tenant: Tenant & { self?: unknown } = { clientId: '0oa1', clientSecret: 'x'.repeat(40), scopes: ['okta.users.read'] };
    tenant.self = [tenant];
    expect(() => orgs.get('https://acme.okta.com', tenant)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/contains itself/) }));
  });
});
