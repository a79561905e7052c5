/**
 * `delete(orgUrl)` and the credentials `createMultiOrgCredentials` dropped earlier for `maxOrgs` or
 * `idleMs` (memory management, not removal): a job that still holds one (a long pagination) must
 * stop at delete() as the holder of a held org's credential does, against @org/okta-emulator.
 */
import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
import type { OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

interface Tenant {
  clientId: string;
  clientSecret: string;
}

/** An org with one user and an OIN app, and the tenant a partner holds for it. */
async function customer(): Promise<{ org: OktaEmulator; tenant: Tenant }> {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createOinApp({ scopes: ['okta.users.read'] });
  return { org, tenant: { clientId: app.clientId, clientSecret: app.clientSecret } };
}

/** A partner's orgs (`maxOrgs`, a clock the test moves) over a recording fetch. */
function partner(options: { maxOrgs?: number; idleMs?: number }) {
  const wire = recordingFetch();
  const clock = { now: Date.now() };
  const orgs = createMultiOrgCredentials({
    create: (orgUrl, tenant: Tenant) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, fetch: wire.fetch, timeoutMs: 10_000 }),
    now: () => clock.now,
    ...options,
  });
  const okta = (credential: OktaCredential) => createOktaFetch({ credential, fetch: wire.fetch });
  /** How a call through `credential` ends: its status, or its error's code. */
  const call = (credential: OktaCredential) => okta(credential)('/api/v1/users').then((response) => response.status, (error: unknown) => (error as { code?: string }).code);
  return { wire, clock, orgs, call };
}

describe('delete() and credentials dropped before it', () => {
  it('a credential dropped for maxOrgs (another org came) refuses every call after delete(), sending nothing', async () => {
    const a = await customer();
    const b = await customer();
    const { wire, orgs, call } = partner({ maxOrgs: 1 });
    const held = orgs.get(a.org.url, a.tenant);
    expect(await call(held)).toBe(200);
    expect(await call(orgs.get(b.org.url, b.tenant))).toBe(200);
    expect(orgs.size).toBe(1); // a's credential was dropped; the job still holds it
    expect(await call(held)).toBe(200);
    expect(orgs.delete(a.org.url)).toBe(true);
    const sent = wire.sent.length;
    expect(await call(held)).toBe('INVALID_CONFIG');
    expect(wire.sent.length).toBe(sent);
    expect(orgs.size).toBe(1);
  });

  it('a credential dropped for idleMs, and the one get() made again after it, both refuse after delete()', async () => {
    const a = await customer();
    const b = await customer();
    const { wire, clock, orgs, call } = partner({ idleMs: 60_000 });
    const first = orgs.get(a.org.url, a.tenant);
    expect(await call(first)).toBe(200);
    clock.now += 120_000;
    expect(await call(orgs.get(b.org.url, b.tenant))).toBe(200); // a is dropped here, unused for idleMs
    clock.now += 120_000;
    const again = orgs.get(a.org.url, a.tenant); // made afresh: a new credential, the same org
    expect(again).not.toBe(first);
    expect([await call(first), await call(again)]).toEqual([200, 200]);
    expect(orgs.delete(a.org.url)).toBe(true);
    const sent = wire.sent.length;
    expect([await call(first), await call(again)]).toEqual(['INVALID_CONFIG', 'INVALID_CONFIG']);
    expect(wire.sent.length).toBe(sent);
    // The org back: a new credential, which works.
    expect(await call(orgs.get(a.org.url, a.tenant))).toBe(200);
  });
});
