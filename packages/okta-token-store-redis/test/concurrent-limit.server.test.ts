/**
 * Okta's concurrent-limit 429 (too many requests in flight in the org, whatever their bucket): its
 * `X-Rate-Limit-Limit` and `-Remaining` are both 0 and its reset only a suggestion (Okta's rate
 * limit docs, `rl2-concurrency`, `rl-best-practices`; shared/reference okta-protocol.md §6). Those
 * zeros are not the bucket's limit. The coordinator took them as one (session 35 review): a limit
 * of 0 started a new window, so the fleet's count of the bucket's real window was lost, and left a
 * budget of −1, so each waiter waited a whole `spreadMs` (a minute) more than the one before. Then
 * (session 35) such a 429 exhausted the bucket's window, up to a minute, for a limit that clears as
 * requests end. Now (session 37) it pauses the bucket until the suggested reset: the window's
 * limit, reset and count stay, and the waiters resume at the limit's pace. On a real redis-server.
 */
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** The bucket's window (`limit`, `reset`, `used`), as Redis holds it. */
async function windowOf(client: { sendCommand<T>(args: string[]): Promise<T>; keys(pattern: string): Promise<string[]> }, prefix: string): Promise<(string | null)[]> {
  const [key] = await client.keys(`${prefix}rl:v1:*`);
  return client.sendCommand<(string | null)[]>(['HMGET', key!, 'limit', 'reset', 'used']);
}

it("keeps the bucket's limit after a concurrent-limit 429: the fleet's waiters resume at its pace, not a window apart", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'concurrent:' });
    const resetAt = Date.now() + 20_000;
    // The bucket's window, as Okta's answers say it: 600 a minute, 300 left.
    await coordinator.observe(scope, { status: 200, limit: 600, remaining: 300, resetAt });
    // Then a concurrent-limit 429: Limit and Remaining 0, a reset suggested 5 s ahead. Read before the
    // answer is observed: the pause ends at the suggested reset, on Redis's clock, never later than that from here.
    const before = Date.now();
    const suggested = before + 5_000;
    await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0, resetAt: suggested });
    // Each waiter resumes a step of the limit's pace after the one before (spreadMs / budget: 60 s / 570):
    // the k-th waits until the suggested reset and k steps more, counted from when Redis answered it
    // (at the latest `after`, read once it has): never sooner (the pause kept), never later (not the window's reset).
    const step = 60_000 / 570;
    for (let k = 0; k < 5; k++) {
      const wait = await coordinator.reserve(scope);
      const after = Date.now();
      expect(wait).toBeGreaterThanOrEqual(suggested - after + Math.floor(k * step));
      expect(wait).toBeLessThanOrEqual(suggested - before + Math.floor(k * step));
    }
    const [limit] = await client.sendCommand<string[]>(['HMGET', (await client.keys('concurrent:rl:v1:*'))[0]!, 'limit']);
    expect(limit).toBe('600');
  } finally {
    await client.quit();
  }
});

// Session 37 (redis60): the fix above exhausted the bucket until its window's reset, up to a minute,
// for a limit that clears as soon as requests in flight end (Okta's suggested reset, about a second),
// and threw away what was left of the window; a bucket with no state yet ignored it. The bucket now
// pauses until the suggested reset, its window (limit, reset, count) untouched.
describe("a concurrent-limit 429 pauses the bucket until Okta's suggested reset, not its window's", () => {
  it('a window with 300 of 600 left: the waiters resume after the suggested reset, the window kept as it was', async () => {
    const client = await createClient({ url: server.url }).connect();
    try {
      const prefix = 'pause-window:';
      const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix });
      await coordinator.observe(scope, { status: 200, limit: 600, remaining: 300, resetAt: Date.now() + 40_000 });
      const window = await windowOf(client, prefix);
      // Read before the answer is observed: the waits are the reset less the time since (on Redis's clock), never more.
      const before = Date.now();
      const suggested = before + 2_000;
      await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0, resetAt: suggested });
      const waits: unknown[] = [];
      for (let i = 0; i < 5; i++) waits.push(await coordinator.reserve(scope));
      // Each waiter after the suggested reset, a step of the limit's pace (60 s / 570) after the one before.
      for (const wait of waits) expect(wait).toBeGreaterThan(0);
      for (const wait of waits) expect(wait).toBeLessThanOrEqual(2_000 + 5 * Math.ceil(60_000 / 570));
      expect(window).toEqual(['600', expect.stringMatching(/^\d+$/), '300']);
      expect(await windowOf(client, prefix)).toEqual(window);
    } finally {
      await client.quit();
    }
  });

  it('a bucket with no state yet pauses too (it sent one probe a second before)', async () => {
    const client = await createClient({ url: server.url }).connect();
    try {
      const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'pause-cold:' });
      await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0, resetAt: Date.now() + 5_000 });
      const wait = await coordinator.reserve(scope);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(5_000);
    } finally {
      await client.quit();
    }
  });

  it('one without a reset pauses the bucket a second, as core waits one without a coordinator', async () => {
    const client = await createClient({ url: server.url }).connect();
    try {
      const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'pause-none:' });
      await coordinator.observe(scope, { status: 200, limit: 600, remaining: 300, resetAt: Date.now() + 40_000 });
      await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0 });
      const wait = await coordinator.reserve(scope);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(1_000);
    } finally {
      await client.quit();
    }
  });

  // Session 37 (rev61): a reset suggested far ahead (a hostile or broken org, a skewed `Date` that core
  // reads the reset through) paused the bucket that long, up to the year a wait is capped at: each
  // reserve asked more than the retry budget, so the fleet sent uncoordinated, and every answer kept
  // the key alive. A concurrent limit clears as requests end: the pause is at most a window.
  it('one suggesting a reset hours ahead pauses the bucket at most a window', async () => {
    const client = await createClient({ url: server.url }).connect();
    try {
      const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'pause-far:', windowMs: 30_000, spreadMs: 0 });
      await coordinator.observe(scope, { status: 200, limit: 600, remaining: 300, resetAt: Date.now() + 20_000 });
      await coordinator.observe(scope, { status: 429, limit: 0, remaining: 0, resetAt: Date.now() + 6 * 3_600_000 });
      const wait = await coordinator.reserve(scope);
      expect(wait).toBeGreaterThan(1_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    } finally {
      await client.quit();
    }
  });
});
