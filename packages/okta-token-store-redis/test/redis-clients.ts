/**
 * A real redis-server for one test file, with a Redis Sentinel watching it, and a connection to it
 * over each well-kept client (node-redis, ioredis, and node-redis's Sentinel client, `createSentinel`):
 * the client the store takes, and the same client's raw commands.
 */
import { Redis } from 'ioredis';
import { createClient, createSentinel, type RedisSentinelType } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import type { RedisClientLike } from '../src/index.js';
import { startRedisSentinel, startRedisServer, type RedisServer } from './fleet/redis-server.mjs';

/**
 * The `commandTimeoutMs` of the stores, shared DPoP keys and rate-limit coordinators these tests
 * build where Redis answers every command: far beyond a loaded machine's answer, so a test is about
 * what they do with the answer. The defaults (500 ms; 200 ms for the coordinator) ran out for a SET
 * with three busy cores, and the store then goes on without Redis. Tests of a Redis that does not
 * answer keep a short bound of their own.
 */
export const commandTimeoutMs = 30_000;

/** One connection: the client to pass, its raw commands, and how to close it. */
export interface RedisConnection {
  readonly client: RedisClientLike;
  readonly raw: (args: string[]) => Promise<unknown>;
  readonly close: () => Promise<unknown>;
}

/** `connection`'s client for a waiter, opening `polled` at each `EXISTS` it sends (its poll of another process's lock: it is inside its wait). */
export function polling(connection: RedisConnection, polled: { open: () => void }): RedisClientLike {
  return {
    sendCommand(args: string[]) {
      if (args[0] === 'EXISTS') polled.open();
      return connection.raw(args);
    },
  };
}

/**
 * `connection`'s client for a lock holder whose heartbeat the test fires (fake timers): `beat()`, called before the
 * test fires it, resolves with the reply of the next heartbeat (the script that extends the lock: 1 while the lock is its own).
 */
export function beatingOf(connection: RedisConnection): { readonly client: RedisClientLike; readonly beat: () => Promise<unknown> } {
  let extended: ((reply: unknown) => void) | undefined;
  return {
    client: {
      async sendCommand(args: string[]) {
        const reply = await connection.raw(args);
        if (args[0] === 'EVAL' && args[1]!.includes('PEXPIRE')) extended?.(reply);
        return reply;
      },
    },
    beat: () => new Promise((resolve) => (extended = resolve)),
  };
}

/** A connected node-redis Sentinel client of the master the Sentinel on `port` watches as `name` (and of its replicas, for read-only commands, with a `replicaPoolSize`). */
export function nodeRedisSentinel(port: number, name = 'okta-test', replicaPoolSize = 0): Promise<RedisSentinelType> {
  return createSentinel({ name, sentinelRootNodes: [{ host: '127.0.0.1', port }], replicaPoolSize }).connect();
}

/** Starts a redis-server and a Sentinel watching it before the file's tests and stops them after; each client's entry opens a connection to it. */
export function useRedisClients(): [string, () => Promise<RedisConnection>][] {
  let server: RedisServer | undefined;
  let sentinel: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    sentinel = await startRedisSentinel(server.port);
  });
  afterAll(async () => {
    await sentinel?.stop();
    await server?.stop();
  });
  const running = () => {
    if (server === undefined || sentinel === undefined) throw new Error('redis-server is not running');
    return { ...server, sentinelPort: sentinel.port };
  };
  return [
    [
      'node-redis',
      async () => {
        const client = await createClient({ url: running().url }).connect();
        return { client, raw: (args) => client.sendCommand(args), close: () => client.quit() };
      },
    ],
    [
      'ioredis',
      () => {
        const client = new Redis(running().port, '127.0.0.1');
        return Promise.resolve({ client, raw: (args: string[]) => client.call(args[0]!, ...args.slice(1)), close: () => client.quit() });
      },
    ],
    [
      'node-redis-sentinel',
      async () => {
        const client = await nodeRedisSentinel(running().sentinelPort);
        return { client, raw: (args) => client.sendCommand(false, args), close: () => client.close() };
      },
    ],
  ];
}
