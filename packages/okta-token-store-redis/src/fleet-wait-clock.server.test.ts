/**
 * The fleet single flight's wait for another process's token request, on a real redis-server (node-redis,
 * ioredis and node-redis's Sentinel client), measured on the monotonic clock: the wall clock (`Date`)
 * moved by an NTP step or a user during the wait neither stretches it past `maxWaitMs` nor ends it at
 * once. `Date` alone is frozen and moved; timers stay real. Store instances on separate connections
 * stand for processes, as in `test/single-flight.server.test.ts`.
 */
import { randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import { commandTimeoutMs, polling, useRedisClients } from '../test/redis-clients.js';
import { createRedisTokenStorage } from './index.js';
import { flightHoldingLock, gate } from '../test/gate.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (reason: unknown) => reason);

describe.each(clients)('with %s', (name, connect) => {
  it('a waiter gives up after maxWaitMs when the wall clock moves back an hour during its wait (it waited the hour too)', { timeout: 20_000 }, async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const holding = gate();
    try {
      // One lockTtlMs for the fleet, below the waiter's maxWaitMs. 1.5 s,
      // not 900 ms: the holder's heartbeat (every third of it) keeps its lock through the wait only if it runs within a
      // second of the one before (600 ms with 900: a loaded machine pausing this process can pass that, and the lock ends).
      const options = { encryption, commandTimeoutMs, prefix: `clock-back-${name}:`, lockTtlMs: 1500 };
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: holder.client, ...options }), 'k', async () => {
        await holding.opened;
        return { value: 'holder token', expiresAt: Date.now() + 60_000 };
      });
      const polled = gate();
      let asked = 0;
      const waiting = createRedisTokenStorage({ ...options, client: polling(waiter, polled), maxWaitMs: 2000 }).singleFlight!('k', () => Promise.resolve({ value: `waiter token ${++asked}`, expiresAt: Date.now() + 60_000 }), {});
      await polled.opened;
      vi.setSystemTime(Date.now() - 3_600_000);
      // Before, the deadline was on Date: the wait went on for the hour (here, until the test's timeout).
      const error = await failure(waiting);
      expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['FLEET_WAIT_EXCEEDED', "Waited 2000 ms for another process's token request; asking Okta directly."]);
      expect(asked).toBe(0);
      holding.open();
      expect(await held).toBe('holder token');
    } finally {
      holding.open();
      vi.useRealTimers();
      await Promise.all([holder.close(), waiter.close()]);
    }
  });

  it("a waiter goes on waiting when the wall clock moves forward an hour during its wait (it gave up at once), and takes the holder's token", async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const holding = gate();
    try {
      const options = { encryption, commandTimeoutMs, prefix: `clock-forward-${name}:`, maxWaitMs: 30_000 };
      let asked = 0;
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: holder.client, ...options }), 'k', async () => {
        asked++;
        await holding.opened;
        return { value: 'holder token', expiresAt: Date.now() + 60_000 };
      });
      const polled = gate();
      // Its outcome, a rejection too: the holder's is awaited first.
      const waiting = createRedisTokenStorage({ ...options, client: polling(waiter, polled) })
        .singleFlight!('k', () => Promise.resolve({ value: `waiter token ${++asked}`, expiresAt: Date.now() + 60_000 }), {})
        .catch((reason: unknown) => reason);
      await polled.opened;
      vi.setSystemTime(Date.now() + 3_600_000);
      // The holder finishes only after the clock moved: the waiter must still be waiting to take its token.
      holding.open();
      expect(await held).toBe('holder token');
      // Before, the deadline was on Date: FLEET_WAIT_EXCEEDED at the next poll, and its process asked Okta itself.
      expect(await waiting).toBe('holder token');
      expect(asked).toBe(1);
    } finally {
      holding.open();
      vi.useRealTimers();
      await Promise.all([holder.close(), waiter.close()]);
    }
  });
});
