/**
 * The rate-limit coordinator's bound on one Redis command by default (200 ms: docs/SECURITY.md,
 * Bounds), on a moved clock, with a client whose Redis never answers (a paused or partitioned
 * server): the reservation is still waiting at 199 ms and gives up, `REDIS_UNAVAILABLE`, at 200 ms.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisRateLimitCoordinator, type RedisClientLike } from './index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe("the coordinator's Redis command bound", () => {
  it('gives up on a command exactly 200 ms after sending it, by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let sent = 0;
    let reached!: () => void;
    const firstSent = new Promise<void>((resolve) => (reached = resolve));
    const client = { call: () => (sent++, reached(), new Promise<never>(() => undefined)) } as unknown as RedisClientLike;
    const coordinator = createRedisRateLimitCoordinator({ client });
    let outcome: unknown = 'waiting';
    void Promise.resolve(coordinator.reserve({ origin: 'https://acme.okta.com', bucket: '/api/v1/users' })).then(
      (delay: unknown) => (outcome = delay),
      (error: unknown) => (outcome = error),
    );
    // The bucket's key is hashed first (Web Crypto): the clock moves from the command's sending.
    await firstSent;
    await vi.advanceTimersByTimeAsync(199);
    expect({ sent, outcome }).toEqual({ sent: 1, outcome: 'waiting' });
    await vi.advanceTimersByTimeAsync(1);
    expect(isOktaAuthError(outcome) && [outcome.code, outcome.message]).toEqual(['REDIS_UNAVAILABLE', "Redis did not answer within 200 ms (commandTimeoutMs): check that Redis is running and reachable at your client's address."]);
  });
});
