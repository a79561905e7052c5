/**
 * The fleet single flight on a real redis-server (node-redis and ioredis), one step at a time:
 * a value another process stored is used (no token request) and a stale one is not; the token is
 * stored with its own expiry; the lock is one per key, released when the request fails, taken
 * over by a waiter when its holder gives up, kept alive while a request outlasts its TTL, and a
 * waiter gives up past maxWaitMs. Store instances on separate connections stand for processes.
 * Each assertion killed a mutant the eighth mutation round (nineteenth session) found alive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { beatingOf, commandTimeoutMs, polling, useRedisClients } from './redis-clients.js';
import { flightHoldingLock, gate } from './gate.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (reason: unknown) => reason);

describe.each(clients)('with %s', (name, connect) => {
  it('uses a fresh stored value without asking Okta, asks again for a stale one, and stores the answer with its expiry', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `sf-fresh-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      await store.set('k', 'stored token', { expiresAt: Date.now() + 60_000 });
      let calls = 0;
      const expiresAt = Date.now() + 30_000;
      const obtain = () => Promise.resolve({ value: `token-${++calls}`, expiresAt });
      expect(await store.singleFlight!('k', obtain, { fresh: () => true })).toBe('stored token');
      expect(calls).toBe(0);
      expect(await store.singleFlight!('k', obtain, { fresh: (value) => value !== 'stored token' })).toBe('token-1');
      expect(await store.get('k')).toBe('token-1');
      const keys = (await raw(['KEYS', `${prefix}*`])) as string[];
      expect(keys).toHaveLength(1); // the lock is gone
      // Stored until the token's expiry, not the 7-day default.
      expect(Number(await raw(['PTTL', keys[0]!]))).toBeLessThanOrEqual(30_000);
    } finally {
      await close();
    }
  });

  it('one lock per key: a request for another key runs while one holds its lock; a failed request releases it', async () => {
    const [first, second] = await Promise.all([connect(), connect()]);
    try {
      const options = { encryption, commandTimeoutMs, prefix: `sf-keys-${name}:`, maxWaitMs: 3000 };
      const holding = gate();
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: first.client, ...options }), 'a', async () => {
        await holding.opened;
        throw new Error('Okta refused');
      });
      const other = createRedisTokenStorage({ client: second.client, ...options });
      expect(await other.singleFlight!('b', () => Promise.resolve({ value: 'b-token', expiresAt: Date.now() + 60_000 }), {})).toBe('b-token');
      const locks = (await first.raw(['KEYS', `${options.prefix}*:lock`])) as string[];
      expect(locks).toHaveLength(1); // a's, under the prefix
      holding.open();
      expect(((await failure(held)) as Error).message).toBe('Okta refused');
      expect(await first.raw(['KEYS', `${options.prefix}*:lock`])).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('a waiter takes over when the holder gives up, and gives up itself past maxWaitMs while a lock stays', async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    try {
      const options = { encryption, commandTimeoutMs, prefix: `sf-over-${name}:`, maxWaitMs: 30_000 };
      const holding = gate();
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: holder.client, ...options }), 'k', async () => {
        await holding.opened;
        throw new Error('gave up');
      });
      // The holder gives up only once the waiter is waiting (it polled the lock): the waiter must take over from its wait.
      const polled = gate();
      const waiting = createRedisTokenStorage({ client: polling(waiter, polled), ...options }).singleFlight!('k', () => Promise.resolve({ value: 'waiter token', expiresAt: Date.now() + 60_000 }), {});
      await polled.opened;
      holding.open();
      await failure(held);
      expect(await waiting).toBe('waiter token');
      // A lock that stays (its holder hung, its heartbeat going on): past maxWaitMs the waiter asks Okta itself.
      const [lockKey] = ((await holder.raw(['KEYS', `${options.prefix}*`])) as string[]).map((entry) => `${entry}:lock`);
      const hung = ['SET', lockKey!, 'hung holder', 'PX', '60000'];
      await holder.raw(hung);
      // Set again at each poll, as the hung holder's heartbeat would keep it (the waiter leaves another holder's lock its expiry).
      const beating: RedisClientLike = {
        async sendCommand(args: string[]) {
          const answer = await waiter.raw(args);
          if (args[0] === 'EXISTS') await holder.raw(hung);
          return answer;
        },
      };
      const stuck = createRedisTokenStorage({ client: beating, ...options, maxWaitMs: 600, lockTtlMs: 300 });
      const error = await failure(stuck.singleFlight!('k', () => Promise.resolve({ value: 'x', expiresAt: Date.now() + 60_000 }), { fresh: () => false }));
      expect(isOktaAuthError(error) && error.code).toBe('FLEET_WAIT_EXCEEDED');
      expect((error as Error).message).toContain('600 ms');
    } finally {
      await Promise.all([holder.close(), waiter.close()]);
    }
  });

  it("a lock key without an expiry (not one of ours; of any type) ends as a dead holder's lock does: a waiter takes over after lockTtlMs, not at maxWaitMs", async () => {
    const connection = await connect();
    try {
      const options = { encryption, commandTimeoutMs, prefix: `sf-no-ttl-${name}:`, lockTtlMs: 200, maxWaitMs: 30_000 };
      const lockKey = `${options.prefix}v1:${createHash('sha256').update('k').digest('base64url')}:lock`;
      const store = createRedisTokenStorage({ client: connection.client, ...options });
      // Left by someone else (a holder that set no expiry, another program), as a string and as a hash.
      for (const leave of [['SET', lockKey, 'left for good'], ['HSET', lockKey, 'f', 'v']]) {
        await connection.raw(['DEL', lockKey, `${options.prefix}v1:${createHash('sha256').update('k').digest('base64url')}`]);
        await connection.raw(leave);
        let asked = 0;
        const token = await store.singleFlight!('k', () => Promise.resolve({ value: `token ${(asked += 1)}`, expiresAt: Date.now() + 60_000 }), {});
        // Before, the waiter waited maxWaitMs (30 s here) for a lock that never ends, then failed FLEET_WAIT_EXCEEDED.
        expect([token, asked]).toEqual(['token 1', 1]);
      }
    } finally {
      await connection.close();
    }
  });

  it('the holder keeps its lock alive while its request outlasts lockTtlMs: no waiter asks Okta meanwhile', async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    // Time is moved, not waited for: the heartbeat's interval is faked (the waiter's polls and Redis stay real), and
    // each round ages the lock in Redis by one interval before firing it, so no pause of the process can lose the lock.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const lockTtlMs = 60_000;
      const interval = lockTtlMs / 3; // the heartbeat's period
      const prefix = `sf-beat-${name}:`;
      const options = { encryption, commandTimeoutMs, prefix, lockTtlMs, maxWaitMs: 300_000 };
      // The holder's connection, handing the test each reply of its heartbeat (the script that extends the lock).
      const beating = beatingOf(holder);
      // The waiter's connection, telling the test each time it found the lock still there.
      let polled = gate();
      const counting: RedisClientLike = {
        async sendCommand(args: string[]) {
          const reply = await waiter.raw(args);
          if (args[0] === 'EXISTS') polled.open();
          return reply;
        },
      };
      const done = gate();
      let waiterAsked = false;
      const { held } = await flightHoldingLock(createRedisTokenStorage({ client: beating.client, ...options }), 'k', async () => {
        await done.opened;
        return { value: 'holder token', expiresAt: Date.now() + 60_000 };
      });
      const [lockKey] = (await holder.raw(['KEYS', `${prefix}*:lock`])) as string[];
      const owner = await holder.raw(['GET', lockKey!]);
      expect(owner).toEqual(expect.any(String));
      const waiting = createRedisTokenStorage({ client: counting, ...options }).singleFlight!(
        'k',
        () => {
          waiterAsked = true;
          done.open();
          return Promise.resolve({ value: 'waiter token', expiresAt: Date.now() + 60_000 });
        },
        {},
      );
      await polled.opened;
      // Four intervals, 80 s of the lock's life against its 60 s: without the heartbeat the third round's ageing ends it.
      for (let round = 0; round < 4; round += 1) {
        const aged = Number(await holder.raw(['PTTL', lockKey!])) - interval;
        await holder.raw(['PEXPIRE', lockKey!, String(aged)]);
        const beat = beating.beat();
        vi.advanceTimersByTime(interval);
        expect(await beat).toBe(1); // still ours, extended
        // Only the heartbeat raises it: the aged TTL can only fall, by the real time the round took.
        expect(Number(await holder.raw(['PTTL', lockKey!]))).toBeGreaterThan(aged);
        expect(await holder.raw(['GET', lockKey!])).toBe(owner);
      }
      polled = gate();
      await polled.opened; // the waiter found the lock after the last round and waits on
      done.open();
      expect(await held).toBe('holder token');
      expect(await waiting).toBe('holder token');
      expect(waiterAsked).toBe(false);
    } finally {
      vi.useRealTimers();
      await Promise.all([holder.close(), waiter.close()]);
    }
  });

  // A user's renewal (`stored: true`): a sign-out on another process (its removal) ends it at any point.
  it('stored: nothing stored, no token request; a removal while obtain runs refuses the write; a new sign-in stays and is answered', async () => {
    const [mine, other] = await Promise.all([connect(), connect()]);
    try {
      const options = { encryption, commandTimeoutMs, prefix: `sf-stored-${name}:` };
      const store = createRedisTokenStorage({ client: mine.client, ...options });
      const signingOut = createRedisTokenStorage({ client: other.client, ...options });
      let calls = 0;
      const renew = (during: () => unknown = () => undefined) => async () => {
        calls += 1;
        await during();
        return { value: 'renewed', expiresAt: Number.POSITIVE_INFINITY };
      };
      // As a credential's: the tokens it holds are not handed back to it.
      const stored = { stored: true, fresh: (value: string) => value !== 'signed in' };
      expect(await store.singleFlight!('k', renew(), stored)).toBeUndefined();
      expect(calls).toBe(0);
      const removals: [string, () => unknown][] = [
        ['remove', () => signingOut.remove('k')],
        ['removeIfEqual', () => signingOut.removeIfEqual!('k', 'signed in')],
        ['a new sign-in', () => signingOut.set('k', 'new sign-in')],
      ];
      for (const [what, removal] of removals) {
        await store.set('k', 'signed in');
        const answer = await store.singleFlight!('k', renew(removal), stored);
        expect([what, answer]).toEqual([what, what === 'a new sign-in' ? 'new sign-in' : undefined]);
        expect([what, await store.get('k')]).toEqual([what, what === 'a new sign-in' ? 'new sign-in' : undefined]);
      }
      // Nothing removed: renewed and stored, as without the option.
      await store.set('k', 'signed in');
      expect(await store.singleFlight!('k', renew(), stored)).toBe('renewed');
      expect(await store.get('k')).toBe('renewed');
      expect(calls).toBe(4);
      expect(await mine.raw(['KEYS', `${options.prefix}*:lock`])).toEqual([]);
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
  });
});
