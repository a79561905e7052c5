/**
 * The Redis store's fleet wait by default (`maxWaitMs`, 4 s: docs/SECURITY.md, Bounds), on a real
 * redis-server, with the monotonic clock (`performance.now()`) moved by the test (the store's deadline
 * reads it; its polls' sleeps and Redis run for real): a waiter still polls 1 ms before the deadline
 * and gives up at it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const [name, connect] = useRedisClients()[0]!;
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

afterEach(() => {
  vi.useRealTimers();
});

describe(`the default fleet wait (${name})`, () => {
  it('waits for a held lock until exactly 4 s have passed, then FLEET_WAIT_EXCEEDED', async () => {
    const connection = await connect();
    try {
      const prefix = `sf-default-wait-${name}:`;
      const store = createRedisTokenStorage({ client: connection.client, encryption, commandTimeoutMs, prefix });
      // A stale value (the waiter's `fresh` refuses it: one call per poll) and another process's lock.
      await store.set('k', 'stale token', { expiresAt: Date.now() + 60_000 });
      const held = ['SET', `${prefix}v1:${createHash('sha256').update('k').digest('base64url')}:lock`, 'another process', 'PX', '60000'];
      await connection.raw(held);
      vi.useFakeTimers({ toFake: ['performance'] });
      const start = Date.now();
      let polls = 0;
      const waiters: [number, () => void][] = [];
      const polled = (count: number) => new Promise<void>((resolve) => waiters.push([count, resolve]));
      const fresh = () => {
        polls += 1;
        for (const [count, resolve] of waiters) if (polls >= count) resolve();
        return false;
      };
      let asked = 0;
      let outcome: unknown = 'waiting';
      const waiting = store.singleFlight!('k', () => (asked++, Promise.resolve({ value: 'x', expiresAt: start + 60_000 })), { fresh }).then(
        () => (outcome = 'answered'),
        (error: unknown) => (outcome = error),
      );
      await polled(1);
      // Its holder's heartbeat, as it would keep it (the waiter leaves another holder's lock its expiry: deploy167).
      await connection.raw(held);
      vi.advanceTimersByTime(3999);
      // Two more polls (or its end): at least one whole turn of the wait loop saw the moved clock.
      await Promise.race([waiting, polled(polls + 2)]);
      expect(outcome).toBe('waiting');
      vi.advanceTimersByTime(1);
      // It ends at its next deadline check: at most the poll under way, never two more.
      await Promise.race([waiting, polled(polls + 2)]);
      expect(isOktaAuthError(outcome) && outcome.code).toBe('FLEET_WAIT_EXCEEDED');
      expect(asked).toBe(0);
    } finally {
      vi.useRealTimers();
      await connection.close();
    }
  });
});
