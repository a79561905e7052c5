/**
 * createRedisRateLimitCoordinator's options, refused before any command: the one table of options
 * every fleet coordinator refuses (@org/okta-test-utils/rate-limit-scenarios, which the Durable Object
 * coordinator's test runs too). A `headroom` of `' '` used to pass: nil in the script, every `reserve`
 * failed and requests went on uncoordinated, with no config error.
 */
import { rateLimitOptionRefusals } from '@org/okta-test-utils/rate-limit-scenarios';
import { expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, type RedisClientLike } from './index.js';

const client: RedisClientLike = { call: () => Promise.reject(new Error('no command is sent for bad options')) };

it.each(rateLimitOptionRefusals)('bad options are INVALID_CONFIG naming the option: %j', (options, name) => {
  expect(() => createRedisRateLimitCoordinator({ client, ...options })).toThrow(
    expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(name) as unknown }) as Error,
  );
});

it('a headroom within its range, and spreadMs 0, are taken', () => {
  for (const headroom of [0, 0.5, 0.999, undefined]) expect(() => createRedisRateLimitCoordinator({ client, headroom, spreadMs: 0 })).not.toThrow();
});

// fleet143 pinned "no logger option" with a @ts-expect-error, to fail once one was added (fleetlog147): a Redis
// coordinator's failures now reach its own logger, bounded per outage, and not each asking client's logger.
it("takes a logger: a failing Redis is its coordinator's event, not the asking client's", async () => {
  const events: unknown[] = [];
  const asked: unknown[] = [];
  const coordinator = createRedisRateLimitCoordinator({ client, logger: (event) => void events.push(event) });
  const reserved = await coordinator.wait(new URL('https://acme.okta.com/api/v1/users'), { maxWaitMs: 1000, signal: undefined, logger: (event) => void asked.push(event), call: 7 });
  expect({ reserved, events, asked }).toEqual({
    reserved: false,
    events: [{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'REDIS_UNAVAILABLE', call: 7 }],
    asked: [],
  });
});
