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

// fleet143: `{ client, logger }` was taken and the logger never called, while core's README said every part of this
// package takes one. A coordinator's failures are the asking client's events, through that client's logger.
it('takes no logger: the type refuses it (the asking client logs a coordinator failure)', () => {
  // @ts-expect-error -- not an option of the coordinator: pass the logger to the client (createOktaFetch, the credential).
  const options: Parameters<typeof createRedisRateLimitCoordinator>[0] = { client, logger: () => undefined };
  expect(Object.keys(options)).toEqual(['client', 'logger']);
});
