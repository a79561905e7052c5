/**
 * An org dropped for `idleMs` or `maxOrgs` while a job still holds the owner's credential, then made
 * again by a claimant's `get` (a tenant record naming the owner's org URL with a client id of its own,
 * or the owner's with a secret of its own): the claimant's offboarding keeps the org and the job, and
 * the owner's offboarding revokes the token the job's credential holds (no shared store). An owner
 * whose offboarding finds no token anywhere while a claimant's credential is held drops nothing:
 * `delete(orgUrl)` does. Real HTTP against @org/okta-emulator.
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

interface Tenant {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The owner's org B, another org C, a claimant of B's URL, and a partner's orgs (no shared store) on a clock the test moves. */
async function partner(claims: 'own' | 'copied', limits: { idleMs?: number; maxOrgs?: number }) {
  const b = await emulator({ seed: { users: 1 } });
  const c = await emulator({ seed: { users: 1 } });
  const appB: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
  const appC: Tenant = c.createOinApp({ scopes: ['okta.users.read'] });
  const claimant: Tenant = claims === 'own' ? c.createOinApp({ scopes: ['okta.users.read'] }) : { clientId: appB.clientId, clientSecret: 'claimant-own-secret' };
  const wire = recordingFetch();
  const clock = { now: Date.now() };
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch }),
    now: () => clock.now,
    ...limits,
  });
  const call = (credential: OktaCredential) => createOktaFetch({ credential, fetch: wire.fetch })('/api/v1/users').then((r) => r.status, (e: unknown) => (e as { code?: string }).code);
  // B's job holds its credential and has a token.
  const held = orgs.get(b.url, appB);
  expect(await call(held)).toBe(200);
  /** B's org dropped: unused for idleMs (the next get evicts it), or pushed out by C's org (maxOrgs 1). */
  const dropB = async () => {
    clock.now += 120_000;
    expect(await call(orgs.get(c.url, appC))).toBe(200);
    expect(orgs.size).toBe(1);
  };
  /** The bearer tokens B's API calls carried. */
  const used = () => new Set(wire.apiRequests().filter((r) => r.url.origin === b.url).map((r) => r.headers.get('authorization')!));
  return { b, appB, c, appC, claimant, orgs, call, held, dropB, used };
}

const drops = [
  ['idleMs', { idleMs: 60_000 }],
  ['maxOrgs', { maxOrgs: 1 }],
] as const;

describe("an org dropped while a job holds the owner's credential", () => {
  describe.each(drops)('dropped for %s', (_why, limits) => {
    it.each([
      ['a client id of its own, its get making the org again', 'own', true],
      ["the owner's client id and a secret of its own, its get making the org again", 'copied', true],
      ["the owner's client id and a secret of its own, never served after the drop", 'copied', false],
    ] as const)("keeps the org and the owner's job when a claimant is offboarded: %s", async (_what, claims, served) => {
      const { b, appB, claimant, orgs, call, held, dropB, used } = await partner(claims, limits);
      await dropB();
      if (served) expect(await call(orgs.get(b.url, claimant))).toBe('TOKEN_REQUEST_FAILED');

      await orgs.revoke(b.url, claimant).catch(() => undefined);
      expect(await call(held)).toBe(200);

      // The owner's offboarding revokes the token its job's credential holds and stops the job.
      await orgs.revoke(b.url, appB);
      expect(await call(held)).toBe('INVALID_CONFIG');
      for (const authorization of used()) expect((await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status).toBe(401);
    });

    it("the owner's offboarding revokes the token of its dropped credential, a claimant's held or none", async () => {
      for (const served of [true, false]) {
        const { b, appB, claimant, orgs, call, held, dropB, used } = await partner('own', limits);
        await dropB();
        if (served) expect(await call(orgs.get(b.url, claimant))).toBe('TOKEN_REQUEST_FAILED');
        await orgs.revoke(b.url, appB);
        expect(b.counters().requests['POST /oauth2/v1/revoke']).toBe(1);
        for (const authorization of used()) expect((await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status).toBe(401);
        expect(await call(held)).toBe('INVALID_CONFIG');
      }
    });
  });

  it('without WeakRef (workerd before compatibility date 2025-05-05) an org is dropped as before, and forgets the credentials dropped with it', async () => {
    const { b, c, appC, claimant, orgs, call, held } = await partner('own', { maxOrgs: 1 });
    vi.stubGlobal('WeakRef', undefined); // only for the get that drops B (the fetch needs it)
    orgs.get(c.url, appC);
    vi.unstubAllGlobals();
    expect(orgs.size).toBe(1);
    expect(await call(orgs.get(b.url, claimant))).toBe('TOKEN_REQUEST_FAILED');
    await orgs.revoke(b.url, claimant);
    expect(await call(held)).toBe('INVALID_CONFIG');
  });

  it("an owner holding no token anywhere, a claimant's credential held: its offboarding keeps the org; delete() drops it", async () => {
    const b = await emulator({ seed: { users: 1 } });
    const appB: Tenant = b.createOinApp({ scopes: ['okta.users.read'] });
    const claimant: Tenant = { clientId: appB.clientId, clientSecret: 'claimant-own-secret' };
    const orgs = createMultiOrgCredentials({ create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true }) });
    const job = createOktaFetch({ credential: orgs.get(b.url, appB) }); // no call yet: no token
    await expect(createOktaFetch({ credential: orgs.get(b.url, claimant) })('/api/v1/users')).rejects.toMatchObject({ error: 'invalid_client' });

    await orgs.revoke(b.url, appB); // nothing to revoke, nothing proves the owner
    expect(b.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
    expect(orgs.size).toBe(1);
    expect(orgs.delete(b.url)).toBe(true); // the owner's offboarding, as the README says
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(orgs.size).toBe(0);
  });
});
