/**
 * How the store keeps entries on a real redis-server (node-redis and ioredis): the TTL of a value
 * stored without a finite expiry (7 days), a value whose expiry is already reached (deleted, never
 * a `PX 0` Redis refuses), `corrupt` events only for entries that do not decrypt (never for a miss
 * or a good read), and what `JSON.stringify` shows of a store. Each assertion killed a mutant the
 * eighth mutation round (nineteenth session) found alive.
 */
import { randomBytes } from 'node:crypto';
import { isOktaAuthError, type OktaLogEvent } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';

const clients = useRedisClients();
const key = randomBytes(32).toString('base64');
const encryption = { current: 'k1', keys: { k1: key } };
const sevenDaysMs = 7 * 24 * 3_600_000;


afterEach(() => {
  vi.useRealTimers();
});

describe.each(clients)('with %s', (name, connect) => {
  it('a value stored without a finite expiry (none, or Infinity: a user token of unknown expiry) lives defaultTtlMs, 7 days', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `ttl-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      for (const options of [undefined, { expiresAt: Number.POSITIVE_INFINITY }]) {
        await store.set('k', 'tokens', options);
        expect(await store.get('k')).toBe('tokens');
        const [redisKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
        const ttl = Number(await raw(['PTTL', redisKey!]));
        // What is left of 7 days when Redis answered: more than 6 days whatever real time passed.
        expect(ttl).toBeGreaterThan(sevenDaysMs - 24 * 3_600_000);
        expect(ttl).toBeLessThanOrEqual(sevenDaysMs);
      }
    } finally {
      await close();
    }
  });

  it('a value whose expiry is reached (past, or exactly now) deletes the entry: Redis never gets a PX of 0 or less', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `past-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      await store.set('k', 'older tokens');
      await store.set('k', 'expired tokens', { expiresAt: Date.now() - 60_000 });
      expect(await raw(['KEYS', `${prefix}*`])).toEqual([]);
      // Exactly now: Date frozen (only Date; Redis's I/O and timers run as ever), so the TTL is 0.
      await store.set('k', 'older tokens');
      vi.useFakeTimers({ toFake: ['Date'] });
      await store.set('k', 'tokens expiring now', { expiresAt: Date.now() });
      vi.useRealTimers();
      expect(await raw(['KEYS', `${prefix}*`])).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a value whose expiry is past what Redis takes (1e300, years ahead) lives a year: never a PX Redis refuses, which paused Redis for every caller', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `far-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      await store.set('k', 'tokens', { expiresAt: 1e300 });
      expect(await store.get('k')).toBe('tokens');
      const [redisKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
      const ttl = Number(await raw(['PTTL', redisKey!]));
      expect(ttl).toBeGreaterThan(31_536_000_000 - 24 * 3_600_000);
      expect(ttl).toBeLessThanOrEqual(31_536_000_000);
    } finally {
      await close();
    }
  });

  it("logs `corrupt` for an entry that does not decrypt, and nothing for a miss or a good read", async () => {
    const { client, raw, close } = await connect();
    try {
      const events: OktaLogEvent[] = [];
      const prefix = `corrupt-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix, logger: (event) => void events.push(event) });
      expect(await store.get('k')).toBeUndefined();
      await store.set('k', 'tokens');
      expect(await store.get('k')).toBe('tokens');
      expect(events).toEqual([]);
      const [redisKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
      await raw(['SET', redisKey!, 'not sealed']);
      expect(await store.get('k')).toBeUndefined();
      expect(events).toEqual([{ type: 'token-store', operation: 'get', outcome: 'corrupt' }]);
    } finally {
      await close();
    }
  });

  // Anyone who can write to Redis can leave a hash, list or set at an entry's key. Redis refuses a
  // string command on it (WRONGTYPE): that error paused the store for every key, as a dead Redis
  // does, on each read of that entry, and the pause made the credential's SET that would replace it fail.
  it('an entry of another Redis type (a hash, a list, a set) is a corrupt miss: other keys read on, and the next set replaces it', async () => {
    const { client, raw, close } = await connect();
    try {
      const events: OktaLogEvent[] = [];
      const prefix = `type-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix, logger: (event) => void events.push(event), pauseAfterFailureMs: 600_000 });
      await store.set('other', 'other tokens');
      const [otherKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
      for (const write of [['HSET', 'f', 'v'], ['RPUSH', 'v'], ['SADD', 'v']]) {
        await store.set('k', 'tokens');
        const redisKey = ((await raw(['KEYS', `${prefix}*`])) as string[]).find((found) => found !== otherKey);
        await raw(['DEL', redisKey!]);
        await raw([write[0]!, redisKey!, ...write.slice(1)]);
        events.length = 0;
        expect(await store.get('k')).toBeUndefined();
        expect(events).toEqual([{ type: 'token-store', operation: 'get', outcome: 'corrupt' }]);
        expect(await store.get('other')).toBe('other tokens');
        await store.set('k', 'new tokens');
        expect(await store.get('k')).toBe('new tokens');
      }
    } finally {
      await close();
    }
  });

  it('JSON.stringify shows the store kind and prefix, never a key or the client', async () => {
    const { client, close } = await connect();
    try {
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: `json-${name}:` });
      const shown = JSON.stringify(store);
      expect(JSON.parse(shown)).toEqual({ store: 'redis', prefix: `json-${name}:` });
      expect(shown).not.toContain(key);
    } finally {
      await close();
    }
  });
});

it.each(['pauseAfterFailureMs', 'lockTtlMs', 'maxWaitMs', 'defaultTtlMs'])('a %s of 0 is INVALID_CONFIG naming it', (option) => {
  const error = failure.sync(() => createRedisTokenStorage({ client: { sendCommand: () => Promise.resolve(null) }, encryption, [option]: 0 }));
  expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
  expect((error as Error).message).toContain(option);
});

it("a JavaScript caller's null options are INVALID_CONFIG saying what to pass", () => {
  const error = failure.sync(() => createRedisTokenStorage(null as unknown as Parameters<typeof createRedisTokenStorage>[0]));
  expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
  expect((error as Error).message).toContain('{ client, encryption }');
});
