/**
 * A Redis shared with someone hostile or broken, on a real redis-server: a connection dropped after
 * Redis took the fleet lock but before its reply arrived (ioredis then sends the command again), and
 * a lock key left with an expiry past any lock's (over a year) or holding no owner id (mend167b), a full Redis refusing writes (ioredis keeps the
 * refused command's arguments on its error). Each test failed before its fix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { isOktaAuthError } from '@org/okta-auth-core';
import { randomId } from '@org/okta-auth-core/internal';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { takenLockScript } from '../src/lock-scripts.js';
import { startDropProxy, type DropProxy } from './drop-proxy.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const entryKey = (prefix: string, key: string) => `${prefix}v1:${createHash('sha256').update(key).digest('base64url')}`;

let server: RedisServer;
let proxy: DropProxy;
beforeAll(async () => {
  server = await startRedisServer();
  proxy = await startDropProxy(server.port);
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

describe('a connection dropped after Redis took the lock, before its reply', () => {
  it("ioredis sends the lock command again: the store knows the lock is its own, asks Okta once and releases it (before: it waited on its own lock until maxWaitMs, and so did every other process)", async () => {
    const client = new Redis(proxy.port, '127.0.0.1', { retryStrategy: () => 10 });
    const raw = new Redis(server.port, '127.0.0.1');
    try {
      await client.ping();
      const prefix = 'drop-lock:';
      // A lock the store does not know as its own is waited on (polled with EXISTS) until it runs out (lockTtlMs, below maxWaitMs since lock164).
      let polls = 0;
      const counting = { call: (command: string, ...args: string[]) => (command === 'EXISTS' && polls++, client.call(command, ...args)) };
      const store = createRedisTokenStorage({ client: counting, encryption, commandTimeoutMs, prefix });
      const dropped = proxy.dropReplyTo('NX');
      let asked = 0;
      const token = await store.singleFlight!('k', () => Promise.resolve({ value: `token ${(asked += 1)}`, expiresAt: Date.now() + 60_000 }), {});
      await dropped;
      expect([token, asked, polls]).toEqual(['token 1', 1, 0]);
      expect(await raw.exists(`${entryKey(prefix, 'k')}:lock`)).toBe(0); // released
      expect(await store.get('k')).toBe('token 1');
    } finally {
      client.disconnect();
      raw.disconnect();
    }
  });
});

describe.each([
  ['node-redis', async () => { const c = await createClient({ url: server.url }).connect(); return { client: c, close: () => c.quit() }; }],
  ['ioredis', async () => { const c = new Redis(server.port, '127.0.0.1'); await c.ping(); return { client: c, close: () => c.quit() }; }],
] as const)('with %s', (name, open) => {
  it('a lock key with an expiry past a year (past any lockTtlMs: not one of ours; of any type) ends after lockTtlMs: the waiter takes over, not at maxWaitMs', async () => {
    const { client, close } = await open();
    const raw = new Redis(server.port, '127.0.0.1');
    try {
      const prefix = `huge-ttl-${name}:`;
      const lockKey = `${entryKey(prefix, 'k')}:lock`;
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix, lockTtlMs: 200, maxWaitMs: 10_000 });
      // Two years: a year is the longest lockTtlMs since bf0f1679's release, so a lock up to a year holding an owner id may be another holder's (deploy167).
      for (const leave of [['SET', lockKey, 'left for two years', 'PX', '63072000000'], ['HSET', lockKey, 'f', 'v']]) {
        await raw.del(lockKey, entryKey(prefix, 'k'));
        await raw.call(leave[0]!, ...leave.slice(1));
        if (leave[0] === 'HSET') await raw.pexpire(lockKey, 63_072_000_000);
        let asked = 0;
        const token = await store.singleFlight!('k', () => Promise.resolve({ value: `token ${(asked += 1)}`, expiresAt: Date.now() + 60_000 }), {});
        // Before, the waiter waited maxWaitMs (10 s here) for a lock that lives two years, then failed FLEET_WAIT_EXCEEDED.
        expect([token, asked]).toEqual(['token 1', 1]);
      }
    } finally {
      await close();
      raw.disconnect();
    }
  });

  it("a key left in the lock's place with a 30-day expiry, holding no owner id (of any type), is cut to lockTtlMs: one grant for three processes, not maxWaitMs each", async () => {
    const processes = await Promise.all([open(), open(), open()]);
    const raw = new Redis(server.port, '127.0.0.1');
    try {
      const prefix = `foreign-lock-${name}:`;
      const lockKey = `${entryKey(prefix, 'k')}:lock`;
      // An owner id is 16 random bytes in base64url, 22 characters (every release): 22 characters ending in `x` are none.
      for (const leave of [['SET', lockKey, 'left by a neighbour'], ['SET', lockKey, 'x'.repeat(22)], ['HSET', lockKey, 'f', 'v']]) {
        await raw.del(lockKey, entryKey(prefix, 'k'));
        await raw.call(leave[0]!, ...leave.slice(1));
        await raw.pexpire(lockKey, 30 * 86_400_000);
        let asked = 0;
        const obtain = () => Promise.resolve({ value: `token ${(asked += 1)}`, expiresAt: Date.now() + 60_000 });
        const stores = processes.map(({ client }) => createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix, lockTtlMs: 200, maxWaitMs: 3000 }));
        const tokens = await Promise.all(stores.map((store) => store.singleFlight!('k', obtain, {}).catch((error: unknown) => (isOktaAuthError(error) ? error.code : error))));
        // Before (deploy167 on), a lock up to a year was taken for another holder's: each waited maxWaitMs and failed
        // FLEET_WAIT_EXCEEDED (then asked Okta itself, uncoordinated: a refresh token spent twice), for as long as the key lived.
        expect([leave[2], tokens, asked]).toEqual([leave[2], ['token 1', 'token 1', 'token 1'], 1]);
      }
      // A holder's lock is never cut, whatever its 16 random bytes: 200 owner ids of core's randomId, each 30 days long.
      const cut: string[] = [];
      for (let i = 0; i < 200; i++) {
        const owner = randomId(16);
        await raw.set(lockKey, owner, 'PX', 30 * 86_400_000);
        await raw.call('EVAL', takenLockScript, '1', lockKey, '200', 'another owner');
        if ((await raw.pttl(lockKey)) <= 200) cut.push(owner);
      }
      expect(cut).toEqual([]);
    } finally {
      await Promise.all(processes.map(({ close }) => close()));
      raw.disconnect();
    }
  });
});

describe('a lock or entry key turned into another Redis type under us', () => {
  it('a lock replaced by a hash while its request runs: releasing it is no WRONGTYPE error, so Redis is not paused for every key', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    const raw = new Redis(server.port, '127.0.0.1');
    try {
      const prefix = 'typed-lock:';
      const lockKey = `${entryKey(prefix, 'k')}:lock`;
      // lockTtlMs 150: the heartbeat (every 50 ms) runs against the hash too.
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix, lockTtlMs: 150, pauseAfterFailureMs: 60_000 });
      const token = await store.singleFlight!('k', async () => {
        await raw.del(lockKey);
        await raw.hset(lockKey, 'f', 'v');
        await new Promise((resolve) => setTimeout(resolve, 120));
        return { value: 'token', expiresAt: Date.now() + 60_000 };
      }, {});
      expect(token).toBe('token');
      expect(await raw.type(lockKey)).toBe('hash'); // not ours: left alone
      expect(await store.get('k')).toBe('token'); // before: REDIS_UNAVAILABLE, Redis paused after a failure
    } finally {
      client.disconnect();
      raw.disconnect();
    }
  });
});

describe('an error of the client carries nothing of the command', () => {
  it("a write refused by a full Redis (OOM) is REDIS_UNAVAILABLE naming Redis's reason; its cause has no sealed entry or lock owner (ioredis keeps them in command.args)", async () => {
    const client = new Redis(server.port, '127.0.0.1');
    const raw = new Redis(server.port, '127.0.0.1');
    try {
      await raw.config('SET', 'maxmemory', '1');
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: 'oom:', pauseAfterFailureMs: 1 });
      const errors = [await Promise.resolve(store.set('k', 'the-access-token-value', { expiresAt: Date.now() + 60_000 })).catch((error: unknown) => error)];
      await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms pause
      errors.push(await store.singleFlight!('k', () => Promise.resolve({ value: 'x', expiresAt: Date.now() + 60_000 }), {}).catch((error: unknown) => error));
      for (const error of errors) {
        expect(isOktaAuthError(error) && error.code).toBe('REDIS_UNAVAILABLE');
        const shown = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String((error as Error).cause)].join('\n');
        expect(shown).toContain('OOM command not allowed');
        expect(shown).not.toContain('v1.k1.'); // a sealed entry
        expect(shown).not.toMatch(/args|command:/); // the command's arguments (the lock owner, the key)
        expect(shown).not.toContain('oom:v1:');
      }
    } finally {
      await raw.config('SET', 'maxmemory', '0');
      client.disconnect();
      raw.disconnect();
    }
  });
});
