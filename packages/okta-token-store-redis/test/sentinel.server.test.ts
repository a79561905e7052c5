/**
 * The store, the rate-limit coordinator and the shared DPoP key through a Redis Sentinel: a real
 * redis-server master, a replica of it and one redis-server --sentinel watching them, over
 * node-redis's Sentinel client (`createSentinel`) and ioredis in Sentinel mode. Every command
 * lands on the master, and a failover to the replica (SENTINEL FAILOVER) is survived: entries
 * written before it are read after it, and new ones land on the new master.
 */
import { randomBytes } from 'node:crypto';
import { until } from '@org/okta-test-utils';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, loadSharedDpopKeyPair, type RedisClientLike } from '../src/index.js';
import { startRedisSentinel, startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs, nodeRedisSentinel } from './redis-clients.js';

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const name = 'okta-test';
let master: RedisServer;
let replica: RedisServer;
let sentinel: RedisServer;

beforeAll(async () => {
  master = await startRedisServer();
  // Writable, so a test can give it a copy the master no longer has (what a lagging replica holds).
  replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--replica-read-only', 'no'] });
  sentinel = await startRedisSentinel(master.port, name);
});
afterAll(async () => {
  for (const server of [sentinel, replica, master] as (RedisServer | undefined)[]) await server?.stop();
});

/** The client to pass, connected through the Sentinel, and how to close it. */
async function connect(client: string): Promise<{ client: RedisClientLike; close: () => Promise<unknown> }> {
  if (client === 'node-redis') {
    const connected = await nodeRedisSentinel(sentinel.port, name);
    return { client: connected, close: () => connected.close() };
  }
  const connected = new Redis({ sentinels: [{ host: '127.0.0.1', port: sentinel.port }], name, failoverDetector: true });
  // disconnect, not quit: with failoverDetector, ioredis 6.0's quit leaves its Sentinel subscriptions open (ioredis#1362).
  return { client: connected, close: () => Promise.resolve(connected.disconnect()) };
}

/** One command to the redis-server on `port` (a master, a replica or the Sentinel), on a connection of its own. */
async function command(port: number, args: string[]): Promise<unknown> {
  const admin = await createClient({ url: `redis://127.0.0.1:${port}` }).connect();
  try {
    return await admin.sendCommand(args);
  } finally {
    await admin.close(); // not QUIT: a Sentinel does not know it
  }
}

/** How many keys under `prefix` the redis-server on `port` holds. */
const keysOn = async (port: number, prefix: string) => ((await command(port, ['KEYS', `${prefix}*`])) as string[]).length;

/** Entries, the removal of an equal one, the single flight and the shared DPoP key, through `client`. */
async function exercise(client: RedisClientLike, prefix: string, events: unknown[]): Promise<void> {
  const logger = (event: unknown) => void events.push(event);
  const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix, logger });
  await store.set('k', 'tokens', { expiresAt: Date.now() + 60_000 });
  expect(await store.get('k')).toBe('tokens');
  expect(await store.removeIfEqual?.('k', 'tokens')).toBe(true);
  let grants = 0;
  const obtain = () => Promise.resolve({ value: `token ${++grants}`, expiresAt: Date.now() + 60_000 });
  expect(await store.singleFlight?.('sf', obtain, {})).toBe('token 1');
  expect(await store.singleFlight?.('sf', obtain, {})).toBe('token 1');
  const [one, two] = await Promise.all([0, 1].map(() => loadSharedDpopKeyPair({ commandTimeoutMs, client, encryption, name: 'app', prefix, logger })));
  const jwk = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
  expect(await jwk(one!.publicKey)).toBe(await jwk(two!.publicKey));
}

describe.each(['node-redis', 'ioredis'])('a %s Sentinel client', (client) => {
  it('stores entries, runs the single flight and shares the DPoP key, all on the master', async () => {
    const connection = await connect(client);
    try {
      const events: unknown[] = [];
      await exercise(connection.client, `sentinel-${client}:`, events);
      expect(events).toEqual([]);
      // The single flight's entry and the DPoP key are on the master, and reached the replica from it.
      expect(await keysOn(master.port, `sentinel-${client}:`)).toBe(2);
      await until(async () => (await keysOn(replica.port, `sentinel-${client}:`)) === 2, 'the entries replicated');
    } finally {
      await connection.close();
    }
  });

  it("coordinates rate limits: a cold bucket sends one probe at a time, and an exhausted budget one process saw makes another wait", async () => {
    const connection = await connect(client);
    try {
      const [one, other] = [0, 1].map(() => createRedisRateLimitCoordinator({ commandTimeoutMs, client: connection.client, prefix: `sentinel-rl-${client}:` }));
      const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };
      expect(await one!.reserve(scope)).toBe(0);
      // The probe is out: the next caller waits for Okta's first answer, 250 ms at a time.
      expect(await other!.reserve(scope)).toBe(250);
      await one!.observe(scope, { status: 200, limit: 100, remaining: 0, resetAt: Date.now() + 30_000 });
      expect(await other!.reserve(scope)).toBeGreaterThan(0);
      expect(await keysOn(master.port, `sentinel-rl-${client}:`)).toBe(1);
    } finally {
      await connection.close();
    }
  });
});

// A read from a replica could see what the master no longer holds: a signed-out user's tokens, a lock already released.
it('node-redis with replicas in its pool (replicaPoolSize): reads go to the master too, never to a lagging replica', async () => {
  const client = await nodeRedisSentinel(sentinel.port, name, 1);
  try {
    const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: 'replicas:' });
    await store.set('k', 'signed-in tokens', { expiresAt: Date.now() + 60_000 });
    const [redisKey] = (await command(master.port, ['KEYS', 'replicas:*'])) as string[];
    const sealed = (await command(master.port, ['GET', redisKey!])) as string;
    await store.remove('k');
    await until(async () => (await command(replica.port, ['EXISTS', redisKey!])) === 0, 'the removal replicated');
    // The replica lags: it still holds the entry the master removed.
    await command(replica.port, ['SET', redisKey!, sealed]);
    for (let i = 0; i < 4; i++) expect(await store.get('k')).toBeUndefined();
    expect(await command(master.port, ['EXISTS', redisKey!])).toBe(0);
  } finally {
    await client.close();
  }
});

// Last in the file: the replica is the master from here on.
it('survives a failover to the replica (SENTINEL FAILOVER): entries written before are read after, new ones land on the new master', async () => {
  const clients = ['node-redis', 'ioredis'] as const;
  const connections = await Promise.all(clients.map((client) => connect(client)));
  try {
    const stores = connections.map(({ client }, i) => createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: `failover-${clients[i]}:`, pauseAfterFailureMs: 50 }));
    for (const store of stores) await store.set('before', 'tokens before', { expiresAt: Date.now() + 60_000 });
    // Both entries reached the replica before it is promoted (WAIT answers how many replicas acknowledged them).
    expect(await command(master.port, ['WAIT', '1', '30000'])).toBe(1);
    // The Sentinel may not have seen the replica yet (NOGOODSLAVE): ask again until it starts the failover.
    await until(() => command(sentinel.port, ['SENTINEL', 'FAILOVER', name]).then((reply) => reply === 'OK', () => false), 'the Sentinel starting the failover', 100);
    await until(async () => ((await command(sentinel.port, ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name])) as string[])[1] === String(replica.port), 'the replica promoted');
    for (const [i, store] of stores.entries()) {
      const prefix = `failover-${clients[i]}:`;
      // Through the failover a command may fail (the store then goes on without Redis, as for any trouble): write until one lands on the new master.
      await until(
        async () => {
          const written = await Promise.resolve(store.set('after', 'tokens after', { expiresAt: Date.now() + 60_000 })).then(() => true, () => false);
          return written && (await keysOn(replica.port, prefix)) === 2;
        },
        `${clients[i]}'s write on the new master`,
        100,
      );
      expect(await store.get('before')).toBe('tokens before');
      expect(await store.get('after')).toBe('tokens after');
      const obtain = () => Promise.resolve({ value: `token of ${clients[i]}`, expiresAt: Date.now() + 60_000 });
      expect(await store.singleFlight?.('sf', obtain, {})).toBe(`token of ${clients[i]}`);
      expect(await keysOn(replica.port, prefix)).toBe(3);
    }
  } finally {
    await Promise.all(connections.map(({ close }) => close()));
  }
});
