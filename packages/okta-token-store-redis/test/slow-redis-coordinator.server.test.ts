/**
 * A slow Redis is still the fleet's coordinator (coord165), on a real redis-server whose writes are held (`CLIENT PAUSE …
 * WRITE`, which holds every script), with node-redis and ioredis. The coordinator declares its `commandTimeoutMs` plus
 * 50 ms as the bound core puts on each call into it. Until coord165 core cut every call at a fixed 250 ms: a Redis
 * answering in 300 ms was a failed coordinator call (a `timeout` event) and the request went on uncoordinated, whatever
 * `commandTimeoutMs` said. Outcomes only: the pause outlasts core's old bound by far, and the command's bound by far more.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { useRedisClients } from './redis-clients.js';

const clients = useRedisClients().slice(0, 2);
const url = new URL('https://acme.okta.com/api/v1/users');

describe.each(clients)('with %s', (name, connect) => {
  it('a Redis held 1 s, under a commandTimeoutMs of 5 s: the reservation waits for it and is taken, no event', async () => {
    const [connection, admin] = await Promise.all([connect(), connect()]);
    try {
      const prefix = `slow-coordinator-${name}:`;
      const coordinator = createRedisRateLimitCoordinator({ client: connection.client, prefix, commandTimeoutMs: 5000 });
      expect(coordinator.timeoutMs).toBe(5050);
      const events: OktaLogEvent[] = [];
      await admin.raw(['CLIENT', 'PAUSE', '1000', 'WRITE']);
      // A cold bucket's first caller is its probe: "send now" (true), its second of probing written in Redis once the pause ends.
      // Before: core's 250 ms ran out first, `false` and a `timeout` event: the request went on uncoordinated.
      expect(await coordinator.wait(url, { maxWaitMs: 10_000, signal: undefined, logger: (event) => void events.push(event) })).toBe(true);
      expect(events).toEqual([]);
      const keys = (await connection.raw(['KEYS', `${prefix}rl:v1:*`])) as string[];
      expect(keys).toHaveLength(1);
      expect(await connection.raw(['HEXISTS', keys[0]!, 'probe'])).toBe(1);
    } finally {
      await Promise.all([connection.close(), admin.close()]);
    }
  });
});

it('by default (200 ms) it declares 250 ms, core\'s bound before; a commandTimeoutMs past 9,950 ms declares core\'s most, 10 s', () => {
  const declared = (commandTimeoutMs?: number) => createRedisRateLimitCoordinator({ client: { call: () => Promise.resolve(0) }, commandTimeoutMs }).timeoutMs;
  expect([declared(), declared(800), declared(9950), declared(30_000)]).toEqual([250, 850, 10_000, 10_000]);
});
