/**
 * The README's "Shutting down" on a real redis-server: await your calls, then `client.quit()`. Core reports each
 * answer's `X-Rate-Limit-*` to the coordinator without awaiting it (a call's answer does not wait on Redis), so that
 * observation can reach the client after `quit()`: it was logged as a coordinator error on every clean shutdown
 * (rev168a). A client the caller closed skips the observation quietly; a storage call on it still fails, saying the
 * client is closed (the caller must know nothing was written); a client that dropped and is reconnecting stays an error.
 */
import { randomBytes } from 'node:crypto';
import type { OktaLogEvent } from '@org/okta-auth-core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await (server as RedisServer | undefined)?.stop();
});

const attempt = new URL('https://acme.okta.com/api/v1/users');
/** An Okta answer with its rate-limit headers, as core reports it after each call. */
const answer = () => new Response(null, { status: 200, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 60) } });
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

const clients: [string, () => Promise<{ client: RedisClientLike; quit: () => Promise<unknown> }>][] = [
  ['node-redis', async () => {
    const client = await createClient({ url: server.url }).connect();
    return { client, quit: () => client.quit() };
  }],
  ['ioredis', async () => {
    const client = new Redis(server.url);
    await client.ping();
    return { client, quit: () => client.quit() };
  }],
];

it.for(clients)('%s: after quit(), an observation is skipped without an event; a storage call fails, saying the client is closed', async ([, open]) => {
  const { client, quit } = await open();
  const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'closed:' });
  const storage = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: 'closed:' });
  const events: OktaLogEvent[] = [];
  const logger = (event: OktaLogEvent) => void events.push(event);
  // Open: the observation is stored, and so is a value.
  expect(await coordinator.report(attempt, answer(), logger)).toBe(true);
  await storage.set('k', 'v');
  await quit();

  // Closed on purpose: the observation core sends without awaiting it is skipped, no event.
  expect(await coordinator.report(attempt, answer(), logger)).toBe(true);
  expect(events).toEqual([]);
  // A write is no fire-and-forget: it fails, and says why (nothing was written).
  const closed = { code: 'REDIS_UNAVAILABLE', message: expect.stringMatching(/^The Redis client is closed .*nothing was sent/) as unknown };
  await expect(storage.set('k', 'w')).rejects.toMatchObject(closed);
  await expect(storage.get('k')).rejects.toMatchObject(closed);
});

it('node-redis that dropped (the server gone, the client reconnecting): the observation is still an error event', async () => {
  const own = await startRedisServer();
  const client = createClient({ url: own.url, disableOfflineQueue: true });
  client.on('error', () => undefined); // each failed reconnection, which the test expects
  await client.connect();
  try {
    const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix: 'dropped:' });
    await own.stop();
    await vi.waitFor(() => expect(client.isReady).toBe(false), { timeout: 10_000 });
    expect(client.isOpen).toBe(true);
    const events: OktaLogEvent[] = [];
    expect(await coordinator.report(attempt, answer(), (event) => void events.push(event))).toBe(false);
    expect(events).toEqual([{ type: 'rate-limit-coordinator', operation: 'observe', outcome: 'error', code: 'REDIS_UNAVAILABLE' }]);
  } finally {
    client.destroy();
  }
});

// mend168d (rev168d): the commonest set-up slip, `createClient()` without `connect()`, read as closed and was told only of
// quit(), close(), disconnect() or a reconnection given up, none of which the caller did.
it('node-redis never connected: a storage call fails, saying connect() was never called', async () => {
  const client = createClient({ url: server.url });
  const storage = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: 'unconnected:' });
  const unconnected = { code: 'REDIS_UNAVAILABLE', message: expect.stringMatching(/^The Redis client is closed \(.*or connect\(\) was never called\): nothing was sent/) as unknown };
  await expect(storage.set('k', 'v')).rejects.toMatchObject(unconnected);
  await expect(storage.get('k')).rejects.toMatchObject(unconnected);
  expect(client.isOpen).toBe(false);
});
