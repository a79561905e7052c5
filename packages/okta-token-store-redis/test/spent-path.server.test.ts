/**
 * A spent window is kept for the path whose answer said so (the bucket, `/api/v1/<first segment>`, folds endpoints Okta
 * limits apart), on a real redis-server: the bucket's `spent` field holds that path's SHA-256 (43 characters however long
 * the path: a path is the caller's, or a `next` link's), and a bucket the older script marked (`spent` = `1`) answers a
 * wait, never a spent window; a `spent` of anything else is only compared, never read as a number.
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

it("keeps a spent window's path as its 43-character SHA-256; an older script's mark or another value is no spent window", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const prefix = 'spent-path:';
    const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client, prefix, headroom: 0 });
    const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users', path: `/api/v1/users/${'m'.repeat(100_000)}` };
    await coordinator.observe(scope, { status: 200, limit: 10, remaining: 0, resetAt: Date.now() + 30_000 });
    const [bucket] = await client.sendCommand<string[]>(['KEYS', `${prefix}rl:*`]);
    expect(await client.sendCommand(['HGET', bucket!, 'spent'])).toMatch(/^[\w-]{43}$/);
    expect(await coordinator.reserve(scope, 1000)).toMatchObject({ resetIn: expect.any(Number) as unknown });
    expect(await coordinator.reserve({ ...scope, path: '/api/v1/users/00u1' }, 1000)).toBeGreaterThan(25_000);
    for (const value of ['1', 'x'.repeat(1000)]) {
      await client.sendCommand(['HSET', bucket!, 'spent', value]);
      expect(await coordinator.reserve(scope, 1000)).toBeGreaterThan(25_000);
    }
  } finally {
    await client.quit();
  }
});
