/**
 * createMemoryRateLimitCoordinator over real HTTP, against the emulator: two clients of one org in one
 * process (each its own API token), 8 concurrent calls each, into a window of 10 a minute with 9 left
 * that ends 3 s later (the org's clock moved). On their own, the clients send every call and meet a
 * 429 for each past the 9; sharing one memory coordinator, they send the 9 the window has room for
 * (one kept back) and wait for the next window for the rest. Counts of the 429s Okta answered, never time.
 */
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import type { CoordinatedRateLimits } from './rate-limit-coordinator.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';

const org = useApiTokenOrg();
const LIMIT = 10;
const CALLS = 8;
const path = '/api/v1/users?limit=1';

/** Two clients' bursts into a fresh window ending soon; answers the statuses and the 429s Okta answered. */
async function burst(rateLimitCoordinator: CoordinatedRateLimits | undefined): Promise<{ statuses: number[]; tooMany: number }> {
  const emulator = org.org;
  let tooMany = 0;
  const counting: typeof fetch = async (input, init) => {
    const answer = await globalThis.fetch(input, init);
    if (answer.status === 429) tooMany++;
    return answer;
  };
  // A fresh window of LIMIT a minute, opened by one call, then the org's clock moved so it ends 3 s from now.
  emulator.setClockOffset(0);
  emulator.setRateLimit('/api/v1/users', LIMIT);
  const opened = Date.now();
  expect((await createOktaFetch({ credential: org.ssws(emulator.url) })(path)).status).toBe(200);
  emulator.setClockOffset((opened + 57_000 - Date.now()) / 1000);
  const second = emulator.createApiToken().token;
  const credentials: OktaCredential[] = [org.ssws(emulator.url), { kind: 'ssws', origin: emulator.url, authorize: () => Promise.resolve({ authorization: `SSWS ${second}` }) }];
  const clients = credentials.map((credential) => createOktaFetch({ credential, fetch: counting, rateLimitCoordinator, retry: { limit: 3, maxWaitMs: 9000 } }));
  const answers = await Promise.all(clients.flatMap((okta) => Array.from({ length: CALLS }, () => okta(path))));
  return { statuses: answers.map((answer) => answer.status), tooMany };
}

describe('two clients in one process sharing createMemoryRateLimitCoordinator', () => {
  it('pace their calls into the window: fewer 429s reach Okta than without it, every call answered', async () => {
    const alone = await burst(undefined);
    const shared = await burst(createMemoryRateLimitCoordinator({ headroom: 0, spreadMs: 2000 }));
    console.log(`2 clients × ${CALLS} calls, limit ${LIMIT}/min with 9 left: 429s without a coordinator ${alone.tooMany}, with the memory coordinator ${shared.tooMany}`);
    for (const { statuses } of [alone, shared]) expect(statuses).toEqual(Array.from({ length: 2 * CALLS }, () => 200));
    // Without: every call past the 9 the window had left meets a 429.
    expect(alone.tooMany).toBeGreaterThanOrEqual(2 * CALLS - (LIMIT - 1));
    // With: none, but for a second's rounding of the reset Okta says (a waiter sent just before it).
    expect(shared.tooMany).toBeLessThanOrEqual(1);
    expect(shared.tooMany).toBeLessThan(alone.tooMany);
  }, 30_000);
});
