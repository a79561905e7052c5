/**
 * Processes of one fleet with different `lockTtlMs` values, on a real redis-server (deploy167): a rolling deploy from a
 * release whose default was 5000 ms to this one's 2000, or one release whose processes set their own. A waiter that
 * found the lock taken cut any lock longer than its own `lockTtlMs` down to it, taking it for someone else's key: the
 * holder's 5000 ms lock (beat every 1666 ms) ended 2000 ms after the cut, so a holder stalled 334 ms past a beat lost
 * it, the waiter renewed from the same refresh token, and Okta's `invalid_grant` signed the user out of both (rev167b).
 * Time is moved, not waited for: the holder's heartbeat is faked, and the stall is the lock aged in Redis by the
 * waiter's `lockTtlMs`. Store instances on separate connections stand for processes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { gate } from './gate.js';
import { beatingOf, commandTimeoutMs, useRedisClients } from './redis-clients.js';

const [name, connect] = useRedisClients()[0]!;
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const lockOf = (prefix: string) => `${prefix}v1:${createHash('sha256').update('k').digest('base64url')}:lock`;

describe(`with ${name}`, () => {
  it("a waiter with a shorter lockTtlMs (2000, the default) leaves a longer holder's lock (5000) its expiry: the holder outlives a stall past the waiter's, and no second grant", async () => {
    const [holder, waiter, admin] = await Promise.all([connect(), connect(), connect()]);
    // Only the holder beats (the waiter never holds the lock here): faked, so only the test fires it.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const prefix = `mixed-ttl-${name}:`;
      const lockKey = lockOf(prefix);
      const beating = beatingOf(holder);
      // The waiter's polls of the lock; `after` counts only those sent once the stall is over (Redis runs them after it).
      const polls = { stalled: false, first: gate(), after: gate() };
      const polling: RedisClientLike = {
        async sendCommand(args: string[]) {
          const late = args[0] === 'EXISTS' && polls.stalled;
          const reply = await waiter.raw(args);
          if (args[0] === 'EXISTS') polls.first.open();
          if (late) polls.after.open();
          return reply;
        },
      };
      const asking = gate();
      const done = gate();
      const grants: string[] = [];
      const held = createRedisTokenStorage({ client: beating.client, encryption, commandTimeoutMs, prefix, lockTtlMs: 5000, maxWaitMs: 10_000 }).singleFlight!(
        'k',
        async () => {
          grants.push('holder');
          asking.open();
          await done.opened;
          return { value: 'holder token', expiresAt: Date.now() + 60_000 };
        },
        {},
      );
      await asking.opened;
      const owner = await admin.raw(['GET', lockKey]);
      const waiting = createRedisTokenStorage({ client: polling, encryption, commandTimeoutMs, prefix }).singleFlight!(
        'k',
        () => {
          grants.push('waiter');
          done.open();
          return Promise.resolve({ value: 'waiter token', expiresAt: Date.now() + 60_000 });
        },
        {},
      );
      // The waiter found the lock taken (its script ran) and polls it. Then the holder stalls for the waiter's
      // lockTtlMs: the lock in Redis ages by 2000 ms (a lock left at 2000 ms or less is gone).
      await polls.first.opened;
      const aged = Number(await admin.raw(['PTTL', lockKey])) - 2000;
      await admin.raw(aged > 0 ? ['PEXPIRE', lockKey, String(aged)] : ['DEL', lockKey]);
      polls.stalled = true;
      await polls.after.opened;
      // The holder's late beat: still its lock, extended to its own lockTtlMs.
      const beat = beating.beat();
      vi.advanceTimersByTime(Math.floor(5000 / 3));
      expect(await beat).toBe(1);
      expect(await admin.raw(['GET', lockKey])).toBe(owner);
      done.open();
      expect(await held).toBe('holder token');
      // Before: the cut lock ended in the stall, the waiter took it and asked Okta too (the same refresh token twice).
      expect(await waiting).toBe('holder token');
      expect(grants).toEqual(['holder']);
    } finally {
      vi.useRealTimers();
      await Promise.all([holder.close(), waiter.close(), admin.close()]);
    }
  });
});
