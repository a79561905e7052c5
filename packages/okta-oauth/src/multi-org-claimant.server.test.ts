/**
 * A tenant record claiming another customer's org URL and client id with a secret of its own, in a
 * partner's process serving every tenant (its `get` may run last). Its offboarding (`orgs.revoke`
 * with its tenant), refused by Okta (`invalid_client`), neither drops the org nor takes the
 * customer's token out of its cache and the shared store; the customer's own offboarding still
 * drops the org and revokes every token it used. A claimant whose offboarding sends nothing (a
 * client id of its own, or the owner's before the owner holds a token) does not drop it either.
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

async function partner() {
  const b = await emulator({ seed: { users: 2 } });
  const appB: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
  const claimant: Tenant = { clientId: appB.clientId, clientSecret: 'claimant-own-secret' };
  const wire = recordingFetch();
  const tokenStore = sharedStore();
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch }),
  });
  // B's long job holds its credential.
  const job = createOktaFetch({ credential: orgs.get(b.url, appB), fetch: wire.fetch });
  expect((await job('/api/v1/users')).status).toBe(200);
  /** The bearer tokens B's API calls carried, each once. */
  const used = () => new Set(wire.apiRequests().filter((r) => r.url.origin === b.url).map((r) => r.headers.get('authorization')!));
  /** The claimant is served like any tenant: its call fails (its secret is not B's), and its credential is now the one held. */
  const serveClaimant = async () => {
    const refused = await createOktaFetch({ credential: orgs.get(b.url, claimant), fetch: wire.fetch })('/api/v1/users').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
  };
  return { b, appB, claimant, wire, tokenStore, orgs, job, used, serveClaimant };
}

describe("offboarding a tenant that claims a neighbour's org URL", () => {
  it("keeps the neighbour's org when the claimant's get ran last; the neighbour's own offboarding drops it", async () => {
    const { b, appB, claimant, orgs, job, wire, used, serveClaimant } = await partner();
    await serveClaimant();
    expect((await job('/api/v1/users')).status).toBe(200);

    await expect(orgs.revoke(b.url, claimant)).rejects.toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client' });
    expect((await job('/api/v1/users')).status).toBe(200);
    expect(orgs.size).toBe(1);
    // B kept its token: no new grant.
    expect(b.counters().tokenRequests.client_credentials).toMatchObject({ success: 1 });

    await serveClaimant(); // the claimant's get ran last again
    await orgs.revoke(b.url, appB);
    for (const authorization of used()) expect((await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status).toBe(401);
    const after = wire.sent.length;
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(wire.sent).toHaveLength(after);
    expect(orgs.size).toBe(0);
  });

  it("leaves the neighbour's token held when Okta refuses the claimant's revocation, so the neighbour's offboarding revokes every token it used", async () => {
    const { b, appB, claimant, orgs, job, tokenStore, used } = await partner();
    const stored = JSON.stringify([...tokenStore.entries.values()]);
    for (let i = 0; i < 3; i++) {
      await expect(orgs.revoke(b.url, claimant)).rejects.toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client' });
      expect((await job('/api/v1/users')).status).toBe(200);
    }
    // One token, still in B's cache and the shared store: no orphan minted.
    expect(used().size).toBe(1);
    expect(b.counters().tokenRequests.client_credentials).toEqual({ success: 1 });
    expect(JSON.stringify([...tokenStore.entries.values()])).toBe(stored);

    await orgs.revoke(b.url, appB); // B's real offboarding
    for (const authorization of used()) expect((await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status).toBe(401);
    expect(tokenStore.entries.size).toBe(0);
  });

  it("an uninstalled integration (Okta refuses every secret): dropped when only the owner's credentials are held; with a claimant's held too, kept until delete()", async () => {
    const { b, appB, orgs, job, serveClaimant } = await partner();
    b.deactivateApp(appB.clientId);
    await serveClaimant();
    await expect(orgs.revoke(b.url, appB)).rejects.toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client' });
    expect(orgs.size).toBe(1);
    expect(orgs.delete(b.url)).toBe(true);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });

    const alone = await partner();
    alone.b.deactivateApp(alone.appB.clientId);
    await expect(alone.orgs.revoke(alone.b.url, alone.appB)).rejects.toMatchObject({ code: 'OAUTH_ERROR', error: 'invalid_client' });
    expect(alone.orgs.size).toBe(0);
    await expect(alone.job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it.each([
    ['a client id of its own (an app of another org)', 'own', true, true],
    ["the owner's client id, the owner holding no token yet", 'copied', true, false],
    ["a client id of its own, never served (the owner's get ran last)", 'own', false, true],
  ] as const)("keeps the owner's org when the claimant's offboarding sends nothing of the owner's: %s", async (_what, id, served, ownerCalled) => {
    const b = await emulator({ seed: { users: 1 } });
    const other = await emulator({ seed: { users: 1 } });
    const appB: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
    const claimant: Tenant = id === 'own' ? other.createOinApp({ scopes: ['okta.users.read'] }) : { clientId: appB.clientId, clientSecret: 'claimant-own-secret' };
    const orgs = createMultiOrgCredentials({ create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true }) });
    const job = createOktaFetch({ credential: orgs.get(b.url, appB) });
    if (ownerCalled) expect((await job('/api/v1/users')).status).toBe(200);
    if (served) await expect(createOktaFetch({ credential: orgs.get(b.url, claimant) })('/api/v1/users')).rejects.toMatchObject({ error: 'invalid_client' });

    await orgs.revoke(b.url, claimant).catch(() => undefined);
    expect(orgs.size).toBe(1);
    expect((await job('/api/v1/users')).status).toBe(200);
    await orgs.revoke(b.url, appB); // the owner's offboarding still drops it
    expect(orgs.size).toBe(0);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
