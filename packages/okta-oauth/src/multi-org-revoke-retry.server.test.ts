/**
 * The owner's offboarding (`orgs.revoke`) after a secret rotation, while Okta's revocation endpoint
 * answers 503: it rejects, the org and every token stay held (in the credentials' caches and the
 * shared store), so the retry once Okta is back revokes every token and leaves the store empty.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';
import { sharedStore } from './test-helpers/shared-store.js';
import { recordingFetch } from './test-helpers/wire.js';

useEmulators();

describe('orgs.revoke(orgUrl, tenant) when the revocation fails for a reason other than invalid_client', () => {
  it.each([
    ['a 503', { kind: 'status', status: 503 }],
    ['a dropped connection', { kind: 'drop' }],
  ] as const)('%s: keeps the org and its tokens, and a retry revokes every token and empties the store', async (_what, fault) => {
    const b = await emulator({ seed: { users: 1 } });
    const app = b.createOinApp({ scopes: ['okta.users.read'] });
    const tokenStore = sharedStore();
    const wire = recordingFetch();
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, tenant: { clientId: string; clientSecret: string }) => createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], tokenStore, allowInsecureLoopback: true, fetch: wire.fetch }),
    });
    const before = { clientId: app.clientId, clientSecret: app.clientSecret };
    expect((await createOktaFetch({ credential: orgs.get(b.url, before), fetch: wire.fetch })('/api/v1/users')).status).toBe(200);
    const rotated = { ...before, clientSecret: b.addAppSecret(app.clientId).clientSecret };
    const job = createOktaFetch({ credential: orgs.get(b.url, rotated), fetch: wire.fetch });
    expect((await job('/api/v1/users')).status).toBe(200);
    const used = new Set(wire.apiRequests().map((r) => r.headers.get('authorization')!));
    expect(used.size).toBe(2);

    b.injectFault({ path: '/oauth2/v1/revoke', ...fault, count: 100 });
    await expect(orgs.revoke(b.url, rotated)).rejects.toMatchObject({ code: fault.kind === 'drop' ? 'NETWORK_ERROR' : 'OAUTH_ERROR' });
    expect(orgs.size).toBe(1);
    expect(tokenStore.entries.size).toBe(2);
    b.clearFaults();

    await orgs.revoke(b.url, rotated); // the retry
    for (const authorization of used) expect((await fetch(`${b.url}/api/v1/users`, { headers: { authorization } })).status).toBe(401);
    expect(tokenStore.entries.size).toBe(0);
    expect(orgs.size).toBe(0);
    await expect(job('/api/v1/users')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
