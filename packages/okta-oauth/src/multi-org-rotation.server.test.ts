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

describe("a customer org's secret rotated at Okta while the process runs", () => {
  it('add a secret, switch the tenant to it, deactivate the old one: no call fails; a credential still on the old secret is refused with a hint that says so', async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const { wire, orgs, call } = partner();
    let tenant: Tenant = { clientId: app.clientId, clientSecret: app.clientSecret, scopes: ['okta.users.read'] };
    const statuses: number[] = [];
    const work = async (): Promise<void> => {
      statuses.push((await call(org.url, tenant)).status);
    };
    await work();
    // A job that kept the credential it was given before the rotation (a long pagination).
    const job = createOktaFetch({ credential: orgs.get(org.url, tenant), fetch: wire.fetch });

    const added = org.addAppSecret(app.clientId); // 1. Okta: "Generate new secret"; both are active
    await work();
    tenant = { ...tenant, clientSecret: added.clientSecret }; // 2. the tenant's record now holds the new secret
    await work();
    expect(wire.tokenRequests().at(-1)?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${added.clientSecret}`)}`);
    org.deactivateAppSecret(app.clientId, app.secretId); // 3. Okta: the old secret set Inactive
    await work();
    expect((await job('/api/v1/users')).status).toBe(200); // its token, obtained with the old secret, stays valid
    org.setClockOffset(3600); // every token issued so far has expired
    await work();
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(wire.tokenRequests().at(-1)?.headers.get('authorization')).toBe(`Basic ${btoa(`${app.clientId}:${added.clientSecret}`)}`);

    const error: unknown = await job('/api/v1/users').catch((e: unknown) => e);
expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client', message: expect.stringMatching(/deactivated/) });
    expect((error as Error).message).not.toContain(app.clientSecret);
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
