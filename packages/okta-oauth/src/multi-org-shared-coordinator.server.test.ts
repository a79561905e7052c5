/**
 * An OIN partner's process: `createMultiOrgCredentials` and one `createMemoryRateLimitCoordinator` shared by every org,
 * each org's token requests and API calls coordinated. Each org makes two buckets at least (its token endpoint, its users
 * listed), so the coordinator's `maxBuckets` must hold `maxOrgs` times that: rev165b found its fixed 10,000 filled by
 * 5,000 orgs of the default 10,000, every call of a newer org then uncoordinated with an event that said no why.
 * Scaled down here: 12 orgs on `maxBuckets: 20`.
 */
import { createMemoryRateLimitCoordinator, createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';

useEmulators();

describe('a multi-org app sharing one memory coordinator', () => {
  it('coordinates every org whose buckets fit maxBuckets, no event; past them an org goes on uncoordinated, each event BUCKETS_FULL', async () => {
    const orgs = await Promise.all(Array.from({ length: 12 }, () => emulator()));
    const events: OktaLogEvent[] = [];
    const logger = (event: OktaLogEvent) => void events.push(event);
    const rateLimitCoordinator = createMemoryRateLimitCoordinator({ maxBuckets: 20 });
    const credentials = createMultiOrgCredentials({
      create: (orgUrl, tenant: { clientId: string; clientSecret: string }) =>
        createOinAppCredential({ orgUrl, ...tenant, scopes: ['okta.users.read'], allowInsecureLoopback: true, rateLimitCoordinator, logger }),
    });
    const coordinatorEvents = () => events.filter((event) => event.type === 'rate-limit-coordinator');
    for (const [n, org] of orgs.entries()) {
      const app = org.createOinApp({ scopes: ['okta.users.read'] });
      const okta = createOktaFetch({ credential: credentials.get(org.url, { clientId: app.clientId, clientSecret: app.clientSecret }), rateLimitCoordinator, logger });
      expect((await okta('/api/v1/users')).status).toBe(200);
      // The first 10 orgs' 20 buckets (a token endpoint and the users list each) are all coordinated.
      if (n === 9) expect(coordinatorEvents()).toEqual([]);
    }
    // Orgs 11 and 12: each call's reserve and report refused, every event saying why.
    // (the last answer's report may end after its call returned)
    await vi.waitFor(() => expect(coordinatorEvents()).toHaveLength(8));
    for (const event of coordinatorEvents()) expect(event).toMatchObject({ outcome: 'error', code: 'BUCKETS_FULL' });
  });
});
