/**
 * Okta's concurrent-limit 429 (too many requests in flight in the org, whatever their bucket): its
 * `X-Rate-Limit-Limit` and `-Remaining` are both 0 and its reset only a suggestion (Okta's rate
 * limit docs, `rl2-concurrency`; shared/reference okta-protocol.md §6). Those zeros are not the
 * bucket's limit. The coordinator took them as one (session 35 review): a limit of 0 started a new
 * window, so the fleet's count of the bucket's real window was lost, and left a budget of −1, so
 * the first waiter waited for the reset and each later one a whole `spreadMs` (a minute) more,
 * past any client's budget: not taken, those requests went to Okta at once, all together, into
 * the org that had just said too many were in flight. Now such a 429 keeps the bucket's limit and
 * exhausts it as any 429 does: the waiters resume at the limit's pace. On a real redis-server.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await (server as RedisServer | undefined)?.stop();
});

const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

it("keeps the bucket's limit after a concurrent-limit 429: the fleet's waiters resume at its pace, not a window apart", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'concurrent:' });
    const resetAt = Date.now() + 20_000;
    // The bucket's window, as Okta's answers say it: 600 a minute, 300 left.
    await coordinator.observe(scope, { status: 200, limit: 600, remaining: 300, resetAt });
    // Then a concurrent-limit 429: Limit and Remaining 0, a reset suggested 5 s ahead.
    await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0, resetAt: Date.now() + 5_000 });
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await coordinator.reserve(scope));
    // Each waiter resumes a step of the limit's pace after the one before (spreadMs / budget: 60 s / 570).
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(resetAt - Date.now() + 5 * Math.ceil(60_000 / 570));
    const [limit] = await client.sendCommand<string[]>(['HMGET', (await client.keys('concurrent:rl:v1:*'))[0]!, 'limit']);
    expect(limit).toBe('600');
  } finally {
    await client.quit();
  }
});
