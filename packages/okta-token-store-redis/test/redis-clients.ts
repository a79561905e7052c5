/**
 * A real redis-server for one test file, and a connection to it over each well-kept client
 * (node-redis and ioredis): the client the store takes, and the same client's raw commands.
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll } from 'vitest';
import type { RedisClientLike } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';

/** One connection: the client to pass, its raw commands, and how to close it. */
export interface RedisConnection {
  readonly client: RedisClientLike;
  readonly raw: (args: string[]) => Promise<unknown>;
  readonly close: () => Promise<unknown>;
}

/** Starts a redis-server before the file's tests and stops it after; each client's entry opens a connection to it. */
export function useRedisClients(): [string, () => Promise<RedisConnection>][] {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const running = () => {
    if (server === undefined) throw new Error('redis-server is not running');
    return server;
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
  ];
}
