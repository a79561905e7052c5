/**
 * Okta limits the users listed, a user got by id and a user updated apart (its rate-limit table, `rl-global-mgmt`: 600,
 * 2,000 and 600 a minute, each its own window), and the emulator now does too. Core folded them into one bucket: the
 * list's answer said its window is spent, the next list failed `RATE_LIMITED` unsent; then a user got by id answered
 * its own limit (2,000), which reset the folded bucket and cleared its spent flag, and the next list was sent, for
 * Okta's 429 (rev164b M1, p7). Each driver, over the emulator, a memory coordinator; counted at the emulator, never timed.
 */
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';

const org = useApiTokenOrg();

describe.each(Object.keys(drivers))('through %s', (name) => {
  it("a user got or updated by id answers its own bucket: the users' list, spent, stays spent, nothing sent", async () => {
    const emulator = org.org;
    emulator.setRateLimit('/api/v1/users', 1);
    const client = drivers[name]!({ credential: org.ssws(emulator.url), rateLimitCoordinator: createMemoryRateLimitCoordinator({ headroom: 0 }), retry: { limit: 0, maxWaitMs: 1000 } });
    const listed = () => emulator.counters().requests['GET /api/v1/users'] ?? 0;
    const list = () => client.getJson('/api/v1/users?limit=1').catch((error: unknown) => error);
    const [user] = (await client.getJson('/api/v1/users?limit=1')) as { id: string }[];
    const refused = async () => {
      const outcome = await list();
      expect(isOktaApiError(outcome) && outcome.code).toBe('RATE_LIMITED');
      expect(isOktaApiError(outcome) && outcome.message).toMatch(/nothing was sent: the org's budget for GET \/api\/v1\/users is spent/);
    };
    await refused();
    expect(listed()).toBe(1);
    // Okta's (and the emulator's) other buckets: each answer says its own limit, which must not touch the list's.
    expect(await client.getJson(`/api/v1/users/${user!.id}`)).toMatchObject({ id: user!.id });
    expect(await client.postJson(`/api/v1/users/${user!.id}`, { profile: { title: 'x' } })).toMatchObject({ id: user!.id });
    await refused();
    expect(listed()).toBe(1);
  });
});
