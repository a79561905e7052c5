/**
 * Redis answers of another type than the store expects, on a real redis-server and from a fake
 * client for answers a real Redis will not give: a node-redis client that maps replies to Buffers
 * (`withTypeMapping`), and a rate-limit script answering something that is not a wait.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage, loadSharedDpopKeyPair } from '../src/index.js';
import { until } from '@org/okta-test-utils';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await (server as RedisServer | undefined)?.stop();
});

const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

describe('a node-redis client that maps replies to Buffers (withTypeMapping)', () => {
  it('reads, locks, removes and shares the DPoP key as a client answering strings does', async () => {
    const connected = await createClient({ url: server.url }).connect();
    try {
      const client = connected.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.SIMPLE_STRING]: Buffer });
      expect(await client.sendCommand(['PING'])).toBeInstanceOf(Buffer);
      const events: unknown[] = [];
      const logger = (event: unknown) => void events.push(event);
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: 'buffers:', logger, maxWaitMs: 30_000 });
      await store.set('k', 'tokens', { expiresAt: Date.now() + 60_000 });
      expect(await store.get('k')).toBe('tokens');
      expect(await store.removeIfEqual?.('k', 'tokens')).toBe(true);
      // The lock's `OK` is read as such: this caller takes the lock and obtains at once.
      let grants = 0;
      expect(await store.singleFlight?.('sf', () => Promise.resolve({ value: `token ${++grants}`, expiresAt: Date.now() + 60_000 }), {})).toBe('token 1');
      const foreign = createRedisTokenStorage({ commandTimeoutMs, client, encryption: { current: 'k2', keys: { k2: randomBytes(32).toString('base64') } }, prefix: 'buffers:' });
      await foreign.set('other', 'sealed under k2');
      expect(await store.removeIfUnreadable?.('other')).toBe(true);
      const [one, two] = await Promise.all([0, 1].map(() => loadSharedDpopKeyPair({ commandTimeoutMs, client, encryption, name: 'app', prefix: 'buffers:', logger })));
      const jwk = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
      expect(await jwk(one!.publicKey)).toBe(await jwk(two!.publicKey));
      expect(events).toEqual([]);
    } finally {
      await connected.quit();
    }
  });
});

// node-redis lets a client read integers as text too (`[RESP_TYPES.NUMBER]: String`): `=== 1` and
// `=== 0` then never held, so a removal said false, a dead holder's lock was never taken over and
// every reserve was "corrupt" (each request uncoordinated).
describe('a node-redis client that maps integer replies to strings (withTypeMapping)', () => {
  it('removes, takes over a lock its holder left and reserves, as a client answering numbers does', async () => {
    const connected = await createClient({ url: server.url }).connect();
    try {
      const mapped = connected.withTypeMapping({ [RESP_TYPES.NUMBER]: String });
      expect(await mapped.sendCommand(['EXISTS', 'nothing'])).toBe('0');
      const sent: string[] = [];
      const client = { sendCommand: (args: string[]) => (sent.push(args[0]!), mapped.sendCommand(args)) };
      const events: unknown[] = [];
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix: 'integers:', logger: (event) => void events.push(event), lockTtlMs: 60_000, maxWaitMs: 600_000 });
      await store.set('k', 'tokens', { expiresAt: Date.now() + 60_000 });
      expect(await store.removeIfEqual?.('k', 'tokens')).toBe(true);
      // A process takes the lock and dies (its lock deleted here) while another waits: the waiter takes over, not after maxWaitMs.
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      const holder = store.singleFlight?.('sf', () => gate.then(() => ({ value: 'late', expiresAt: Date.now() + 60_000 })), {});
      await until(async () => (await connected.sendCommand<string[]>(['KEYS', 'integers:*:lock'])).length === 1, 'the first caller holding the lock');
      let asked = 0;
      const waiter = store.singleFlight?.('sf', () => Promise.resolve({ value: `token ${++asked}`, expiresAt: Date.now() + 60_000 }), {});
      await until(() => sent.includes('EXISTS'), 'the waiter seeing the lock held');
      const [lock] = await connected.sendCommand<string[]>(['KEYS', 'integers:*:lock']);
      await connected.sendCommand(['DEL', lock!]);
      expect(await waiter).toBe('token 1');
      release();
      expect(await holder).toBe('late');
      expect(await createRedisRateLimitCoordinator({ commandTimeoutMs, client, prefix: 'integers:' }).reserve(scope)).toBe(0);
      expect(events).toEqual([]);
    } finally {
      await connected.quit();
    }
  });
});

describe("the rate-limit coordinator's reserve answers a wait, or fails", () => {
  it.each([
    [-5, '-5'],
    [Number.NaN, 'a number'],
    ['soon', 'a string'],
    ['-5', '-5'],
    [['5'], 'an array'],
    [Buffer.from('7 ms'), 'a string'],
    [null, 'nothing'],
    [undefined, 'nothing'],
    [true, 'a boolean'],
    [{ wait: 1 }, 'an object'],
  ])('a script answer of %o is REDIS_UNAVAILABLE naming it (%s), never coerced into a wait', async (reply, shown) => {
    const coordinator = createRedisRateLimitCoordinator({ client: { sendCommand: () => Promise.resolve(reply) } });
    const error: unknown = await Promise.resolve(coordinator.reserve(scope)).then(() => undefined, (reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: `Redis answered the rate-limit script with ${shown}, not a wait in milliseconds; the bucket's state is corrupt: delete its key (okta:rl:v1:…) or let it expire (three windows).` });
    expect(inspect(error)).not.toContain('[object');
  });

  it('a wait a client maps to another type (a bigint, decimal text, its bytes) is that wait', async () => {
    for (const reply of [12n, '12', Buffer.from('12')]) {
      expect(await createRedisRateLimitCoordinator({ client: { sendCommand: () => Promise.resolve(reply) } }).reserve(scope)).toBe(12);
    }
  });

  it('a wait past a year (a reset years ahead) is a year: bounded, and still far past any retry budget', async () => {
    for (const reply of [2 ** 53 - 1, 1e15, 10n ** 15n, '1000000000000000', '9007199254740991']) {
      expect(await createRedisRateLimitCoordinator({ client: { sendCommand: () => Promise.resolve(reply) } }).reserve(scope)).toBe(31_536_000_000);
    }
  });

  // Redis answers integers up to 2^63 - 1: one past 2^53 was read as a rounded number (text of up to 20 digits
  // too), then as a year's wait. No wait of ours comes near (milliseconds to a reset): the bucket is corrupt.
  it.each([
    [2 ** 53, 'a number'],
    [2 ** 63, 'a number'],
    [1e300, 'a number'],
    [Number.POSITIVE_INFINITY, 'a number'],
    [1.5, 'a number'],
    [2n ** 53n, 'a bigint'],
    [2n ** 63n - 1n, 'a bigint'],
    ['9007199254740993', 'a string'],
    ['99999999999999999999', 'a string'],
  ])('a reply that is no safe integer (%o: past 2^53, or not whole) is REDIS_UNAVAILABLE (%s), not a year or a rounded wait', async (reply, shown) => {
    const error: unknown = await Promise.resolve(createRedisRateLimitCoordinator({ client: { sendCommand: () => Promise.resolve(reply) } }).reserve(scope)).then(() => undefined, (reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: `Redis answered the rate-limit script with ${shown}, not a wait in milliseconds; the bucket's state is corrupt: delete its key (okta:rl:v1:…) or let it expire (three windows).` });
  });

  // Redis writes an integer reply in decimal digits only: text that `Number()` also reads (hex, an exponent, a
  // fraction, spaces or a sign around digits) is no integer reply, never a wait of 16, 1000 or 12 ms.
  it.each(['0x10', '1e3', '1.0', ' 12', '12 ', '+12', '12ms', 'ms12', '0b1'])('text that is no decimal integer (%o) is REDIS_UNAVAILABLE (a string), never read by Number()', async (reply) => {
    const error: unknown = await Promise.resolve(createRedisRateLimitCoordinator({ client: { sendCommand: () => Promise.resolve(reply) } }).reserve(scope)).then(() => undefined, (reason: unknown) => reason);
    expect(error).toMatchObject({ code: 'REDIS_UNAVAILABLE', message: expect.stringMatching(/^Redis answered the rate-limit script with a string, not a wait in milliseconds/) });
  });

  // Redis refused the scripts' hash commands on it (WRONGTYPE): Redis trouble, which paused the coordinator for every
  // org's bucket on each request to this one, and the key (written without a TTL) never went away.
  it('a bucket key of another Redis type (a string, a list) on a real redis-server starts over as a cold bucket; other buckets go on', async () => {
    const connected = await createClient({ url: server.url }).connect();
    try {
      const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client: connected, prefix: 'typed:' });
      for (const write of [['SET', 'x'], ['RPUSH', 'x']]) {
        // Another org's bucket, cold: its first reserve is its one probe.
        const other = { origin: `https://other-${write[0]!.toLowerCase()}.okta.com`, bucket: '/api/v1/users' };
        await coordinator.observe(scope, { status: 200, limit: 100, remaining: 0, resetAt: Date.now() + 30_000 });
        const buckets = await connected.sendCommand<string[]>(['KEYS', 'typed:rl:*']);
        expect(buckets).toHaveLength(1);
        const [bucket] = buckets;
        await connected.sendCommand(['DEL', bucket!]);
        await connected.sendCommand([write[0]!, bucket!, ...write.slice(1)]);
        expect(await coordinator.reserve(scope)).toBe(0);
        expect(await connected.sendCommand(['TYPE', bucket!])).toBe('hash');
        expect(await coordinator.reserve(other)).toBe(0);
        await connected.sendCommand([write[0]!, `${bucket!}:x`, ...write.slice(1)]);
        await connected.sendCommand(['RENAME', `${bucket!}:x`, bucket!]);
        await coordinator.observe(scope, { status: 200, limit: 100, remaining: 0, resetAt: Date.now() + 30_000 });
        expect(await coordinator.reserve(scope)).toBeGreaterThan(0);
        // Every bucket of the round goes (the other org's too), so the next round's KEYS finds its scope's alone: KEYS answers in no set order.
        for (const key of await connected.sendCommand<string[]>(['KEYS', 'typed:rl:*'])) await connected.sendCommand(['DEL', key]);
      }
    } finally {
      await connected.quit();
    }
  });

  // A field that is no whole number made a script fail (`used` 'x': a comparison with nil; `waiters` 'x' or at 2^63 - 1:
  // HINCRBY refused), Redis trouble that paused the coordinator for every org's bucket, and the bucket stayed so;
  // a negative `used` gave the fleet a window of a million requests; a `reset` of 'nan' never ended; a `limit` of
  // 'inf' or a `reset` at 2^62 ms made the script's answer no wait, each request uncoordinated until the bucket expired.
  it.each([
    ['used', 'x'],
    ['waiters', 'x'],
    ['waiters', '9223372036854775807'],
    ['used', '-1000000'],
    ['reset', 'nan'],
    ['limit', '1.5'],
    ['probe', 'x'],
    // A concurrent-limit pause (session 37): a `pslot` of 'x' would fail its HINCRBY; a `pause` of 'inf' never end.
    ['pause', 'inf'],
    ['pslot', 'x'],
    // Before, refused by the reply reader (REDIS_UNAVAILABLE, that request uncoordinated) while the bucket stayed so.
    ['limit', 'inf'],
    ['reset', String(2n ** 62n)],
  ])('a bucket whose %s is %o (no whole number of at most 15 digits) on a real redis-server starts over as a cold bucket; other buckets go on', async (field, value) => {
    const connected = await createClient({ url: server.url }).connect();
    try {
      const prefix = `fields-${field}-${value}:`;
      const coordinator = createRedisRateLimitCoordinator({ commandTimeoutMs, client: connected, prefix });
      const other = { origin: 'https://other.okta.com', bucket: '/api/v1/users' };
      await coordinator.observe(scope, { status: 200, limit: 100, remaining: 0, resetAt: Date.now() + 30_000 });
      const [bucket] = await connected.sendCommand<string[]>(['KEYS', `${prefix}rl:*`]);
      await connected.sendCommand(['HSET', bucket!, field, value]);
      expect(await coordinator.reserve(scope)).toBe(0); // a cold bucket's one probe
      expect(await connected.sendCommand(['HKEYS', bucket!])).toEqual(['probe']);
      expect(await coordinator.reserve(other)).toBe(0); // no pause
    } finally {
      await connected.quit();
    }
  });
});
