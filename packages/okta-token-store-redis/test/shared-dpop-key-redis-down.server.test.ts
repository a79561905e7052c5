/**
 * A process started while Redis is down: `loadSharedDpopKeyPair` answers a per-process key, which the
 * process keeps for as long as it runs (its own grant and token for life). Its one event was
 * `{ type: 'token-store', operation: 'get', outcome: 'error' }`, the event of a token read that failed,
 * which every call of a fleet raises during any Redis trouble: nothing told the lasting case apart
 * (fleet143). Now every event of the shared key's load says `operation: 'dpop-key'`. A real
 * redis-server, stopped before the process starts, with the README's clients that do not wait for it.
 */
import { randomBytes } from 'node:crypto';
import type { OktaLogEvent } from '@org/okta-auth-core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { expect, it } from 'vitest';
import { loadSharedDpopKeyPair, type RedisClientLike } from '../src/index.js';
import { startRedisServer } from './fleet/redis-server.mjs';

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

const clients: [string, (port: number) => { client: RedisClientLike; close: () => unknown }][] = [
  [
    'node-redis, connect() not awaited',
    (port) => {
      const client = createClient({ url: `redis://127.0.0.1:${port}` }).on('error', () => undefined);
      client.connect().catch(() => undefined);
      return { client, close: () => client.destroy() };
    },
  ],
  [
    'ioredis',
    (port) => {
      const client = new Redis(port, '127.0.0.1').on('error', () => undefined);
      return { client, close: () => client.disconnect() };
    },
  ],
];

it.each(clients)('with %s, Redis down at start: a per-process key, and a dpop-key error event, not a token read', async (_, connect) => {
  const server = await startRedisServer();
  await server.stop();
  const { client, close } = connect(server.port);
  try {
    const events: OktaLogEvent[] = [];
    const pair = await loadSharedDpopKeyPair({ client, encryption, name: 'app', commandTimeoutMs: 300, logger: (event) => void events.push(event) });
    expect(pair.privateKey.extractable).toBe(false);
    expect(events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'error', code: 'REDIS_UNAVAILABLE' }]);
  } finally {
    await close();
  }
});
