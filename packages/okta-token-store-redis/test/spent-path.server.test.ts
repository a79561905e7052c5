/**
 * A spent window is kept for the path whose answer said so (the bucket, `/api/v1/<first segment>`, folds endpoints Okta
 * limits apart), on a real redis-server: the bucket's `spent` field stays `1` and `spath` holds the path's key, a SHA-256
 * with the prefix and org (43 characters however long the path: a path is the caller's, or a `next` link's); a `spath` of
 * another value, or beside a `spent` of `0`, answers a wait, never a spent window. No older release's script reads these
 * buckets: since bucket164 a bucket's key holds its method class, which no earlier key did (deploy167 removed the test
 * that ran the script of the release before spent paths on a bucket of ours).
 */
import { createHash } from 'node:crypto';
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

it("keeps a spent window's path as its 43-character SHA-256 beside spent = 1; another value, or spent = 0, is no spent window", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const prefix = 'spent-path:';
    const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client, prefix, headroom: 0 });
    const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users', path: `/api/v1/users/${'m'.repeat(100_000)}` };
    await coordinator.observe(scope, { status: 200, limit: 10, remaining: 0, resetAt: Date.now() + 30_000 });
    const [bucket] = await client.sendCommand<string[]>(['KEYS', `${prefix}rl:*`]);
    expect(await client.sendCommand(['HMGET', bucket!, 'spent', 'spath'])).toEqual(['1', expect.stringMatching(/^[\w-]{43}$/)]);
    expect(await coordinator.reserve(scope, 1000)).toMatchObject({ resetIn: expect.any(Number) as unknown });
    expect(await coordinator.reserve({ ...scope, path: '/api/v1/users/00u1' }, 1000)).toBeGreaterThan(25_000);
    const spath = await client.sendCommand<string>(['HGET', bucket!, 'spath']);
    for (const [spent, value] of [['1', 'x'.repeat(1000)], ['1', ''], ['0', spath]]) {
      await client.sendCommand(['HSET', bucket!, 'spent', spent!, 'spath', value!]);
      expect(await coordinator.reserve(scope, 1000)).toBeGreaterThan(25_000);
    }
  } finally {
    await client.quit();
  }
});

it("stores a path's key hashed with the prefix and org, not the path's plain SHA-256 (a login in a path is not confirmed by hashing it alone)", async () => {
  const client = await createClient({ url: server.url }).connect();
  try {
    const prefix = 'path-hash:';
    const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client, prefix });
    const path = '/api/v1/users/jane.doe@acme.com';
    await coordinator.observe({ origin: 'https://acme.okta.com', bucket: '/api/v1/users', path }, { status: 429, limit: 600, remaining: 0, resetAt: Date.now() + 30_000 });
    const [bucket] = await client.sendCommand<string[]>(['KEYS', `${prefix}rl:*`]);
    const [spent, spath] = await client.sendCommand<string[]>(['HMGET', bucket!, 'spent', 'spath']);
    const sha = (text: string) => createHash('sha256').update(text).digest('base64url');
    expect([spent, spath]).not.toContain(sha(path));
    expect([spent, spath]).toEqual(['1', sha(`${prefix}https://acme.okta.com ${path}`)]);
  } finally {
    await client.quit();
  }
});
