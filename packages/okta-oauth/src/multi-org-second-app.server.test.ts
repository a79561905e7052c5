/**
 * A tenant record naming the owner's org URL with a client of its own in that org (a second OIN app
 * there, a valid secret). Its offboarding revokes its own token, which Okta accepts: that proves its
 * secret is its own app's, not the owner's, so the org and the owner's running job stay; the owner's
 * offboarding still drops the org. Real HTTP against @org/okta-emulator.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { sharedStore } from './test-helpers/shared-store.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

interface Tenant {
  readonly clientId: string;
  readonly clientSecret: string;
}

async function partner(shared: boolean) {
  const b = await emulator({ seed: { users: 1 } });
  const owner: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
  const second: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
  const wire = recordingFetch();
  const tokenStore = shared ? sharedStore() : undefined;
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch }),
  });
  const serve = (tenant: Tenant) => createOktaFetch({ credential: orgs.get(b.url, tenant), fetch: wire.fetch });
  /** The bearer tokens the API calls carried, each once. */
  const used = () => new Set(wire.apiRequests().filter((r) => r.url.origin === b.url).map((r) => r.headers.get('authorization')!));
  const valid = async (authorization: string) => (await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status;
  return { b, owner, second, orgs, serve, used, valid };
}

describe("offboarding a tenant with an app of its own in the owner's org", () => {
  it.each([
    ['a shared store, the owner served last', true, 'owner'],
    ['no shared store, the owner served last', false, 'owner'],
    ['a shared store, the claimant served last', true, 'claimant'],
    ['no shared store, the claimant served last', false, 'claimant'],
  ] as const)("keeps the owner's org and job; the owner's offboarding drops it (%s)", async (_what, shared, last) => {
    const { b, owner, second, orgs, serve, used, valid } = await partner(shared);
    const job = serve(owner);
    const claimantCall = async () => expect((await serve(second)('/api/v1/users')).status).toBe(200);
    if (last === 'owner') await claimantCall();
    expect((await job('/api/v1/users')).status).toBe(200);
    const ownerToken = [...used()].at(-1)!;
    if (last === 'claimant') await claimantCall();

    await orgs.revoke(b.url, second); // Okta accepts it: the claimant's own token, of its own app
    expect(orgs.size).toBe(1);
    expect((await job('/api/v1/users')).status).toBe(200);
    expect(await valid(ownerToken)).toBe(200);
    expect(b.counters().tokenRequests.client_credentials).toMatchObject({ success: 2 }); // the owner kept its token

    await orgs.revoke(b.url, owner);
    expect(orgs.size).toBe(0);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    for (const authorization of used()) expect(await valid(authorization)).toBe(401);
  });

  it("the owner's offboarding while the other app's credential holds a valid token keeps the org: delete() drops it", async () => {
    const { b, owner, second, orgs, serve, used, valid } = await partner(false);
    const job = serve(owner);
    expect((await job('/api/v1/users')).status).toBe(200);
    const ownerToken = [...used()][0]!;
    expect((await serve(second)('/api/v1/users')).status).toBe(200);

    await orgs.revoke(b.url, owner); // its token revoked; nothing tells it from a claimant while the other's token is held
    expect(await valid(ownerToken)).toBe(401);
    expect(orgs.size).toBe(1);
    expect(orgs.delete(b.url)).toBe(true);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it("not covered: the claimant's offboarding while the owner's credential holds no token yet drops the org (nothing of the owner's tells them apart)", async () => {
    const { b, owner, second, orgs, serve } = await partner(false);
    const job = serve(owner); // made, no call yet: no token
    expect((await serve(second)('/api/v1/users')).status).toBe(200);
    orgs.get(b.url, owner);
    await orgs.revoke(b.url, second);
    expect(orgs.size).toBe(0);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
