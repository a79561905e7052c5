/**
 * The store over both well-kept clients (node-redis and ioredis) on a real redis-server:
 * encrypted values, hashed keys, TTL = expiry, and one `obtain` for concurrent callers on
 * separate store instances (as separate processes would be).
 */
import { createHash, randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createRedisTokenStorage, loadSharedDpopKeyPair } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';
import { sealedEntry } from './sealed-entry.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

/** An entry as the store seals it, under this file's key (`sealedEntry`). */
const sealed = (plaintext: string, redisKey: string): Promise<string> => sealedEntry(encryption, plaintext, redisKey);

describe.each(clients)('with %s', (name, connect) => {
  it('a huge entry (tampered with, validly sealed) is a miss, never decoded; the store refuses to write one', async () => {
    const { client, raw, close } = await connect();
    try {
      const events: unknown[] = [];
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: `huge-${name}:`, logger: (event) => void events.push(event) });
      await store.set('k', 'small', { expiresAt: Date.now() + 60_000 });
      const [redisKey] = (await raw(['KEYS', `huge-${name}:*`])) as string[];
      await raw(['SET', redisKey!, await sealed('x'.repeat(1024 * 1024), redisKey!)]);
      expect(await store.get('k')).toBeUndefined();
      expect(events).toEqual([expect.objectContaining({ type: 'token-store', operation: 'get', outcome: 'corrupt' })]);
      // Just under the bound is read as before; over it is never written (it could not be read back).
      await raw(['SET', redisKey!, await sealed('y'.repeat(190_000), redisKey!)]);
      expect(await store.get('k')).toBe('y'.repeat(190_000));
      const refused = await Promise.resolve(store.set('k', 'z'.repeat(300_000))).then(() => undefined, (error: unknown) => error);
      expect(isOktaAuthError(refused) && refused.code).toBe('INVALID_CONFIG');
    } finally {
      await close();
    }
  });

  it('a huge shared DPoP key entry (tampered with, validly sealed) is not used: it is replaced like a corrupt one', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `dpop-huge-${name}:`;
      const redisKey = `${prefix}v1:dpop:${createHash('sha256').update('app').digest('base64url')}`;
      const tampered = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const jwk = await crypto.subtle.exportKey('jwk', tampered.privateKey);
      await raw(['SET', redisKey, await sealed(JSON.stringify({ ...jwk, pad: 'p'.repeat(1024 * 1024) }), redisKey)]);
      const pair = await loadSharedDpopKeyPair({ client, encryption, commandTimeoutMs, name: 'app', prefix });
      const used = await crypto.subtle.exportKey('jwk', pair.publicKey);
      expect(used.x).not.toBe(jwk.x);
      expect(Number(await raw(['STRLEN', redisKey]))).toBeLessThan(1024);
    } finally {
      await close();
    }
  });

  // A process given the wrong encryption key replaced the fleet's shared key without a word: its own grant, and no sign of why.
  it('a shared DPoP key entry this process cannot decrypt (another encryption key) is a miss with a corrupt event, as a token entry is', async () => {
    const { client, close } = await connect();
    try {
      const prefix = `dpop-wrong-key-${name}:`;
      const events: unknown[] = [];
      const shared = await loadSharedDpopKeyPair({ client, encryption, commandTimeoutMs, name: 'app', prefix });
      const wrong = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
      const own = await loadSharedDpopKeyPair({ client, encryption: wrong, commandTimeoutMs, name: 'app', prefix, logger: (event) => void events.push(event) });
      const jwk = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
      expect(await jwk(own.publicKey)).not.toBe(await jwk(shared.publicKey));
      expect(events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' }]);
    } finally {
      await close();
    }
  });

  // Redis refused the GET of a hash (WRONGTYPE): each process then made a key of its own, and the entry stayed a hash.
  it('a shared DPoP key entry of another Redis type (a hash) is replaced like a corrupt one: the processes share one key', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `dpop-type-${name}:`;
      const redisKey = `${prefix}v1:dpop:${createHash('sha256').update('app').digest('base64url')}`;
      await raw(['HSET', redisKey, 'f', 'v']);
      const events: unknown[] = [];
      const load = () => loadSharedDpopKeyPair({ client, encryption, commandTimeoutMs, name: 'app', prefix, logger: (event) => void events.push(event) });
      const [one, two] = [await load(), await load()];
      const jwk = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
      expect(await jwk(two.publicKey)).toBe(await jwk(one.publicKey));
      expect(await raw(['TYPE', redisKey])).toBe('string');
      // No error (Redis's WRONGTYPE would pause it for every key): the miss of a corrupt entry, once.
      expect(events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' }]);
    } finally {
      await close();
    }
  });


  it('stores encrypted values under hashed keys with the token expiry as TTL', async () => {
    const { client, raw, close } = await connect();
    try {
      const store = createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: `t-${name}:` });
      const key = 'okta-oauth:v2|https://acme.okta.com/oauth2/v1/token|0oa1|hmac:x|okta.users.read|bearer';
      const before = Date.now();
      const expiresAt = before + 60_000;
      await store.set(key, 'access-token-value', { expiresAt });
      expect(await store.get(key)).toBe('access-token-value');
      const keys = (await raw(['KEYS', `t-${name}:*`])) as string[];
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain('acme');
      expect(keys[0]).not.toContain('0oa1');
      const stored = (await raw(['GET', keys[0]!])) as string;
      expect(stored).not.toContain('access-token-value');
      // What is left of the expiry when Redis answered, whatever real time passed (the second: Redis's and Node.js's readings of the clock).
      const ttl = Number(await raw(['PTTL', keys[0]!]));
      expect(ttl).toBeGreaterThan(expiresAt - Date.now() - 1000);
      expect(ttl).toBeLessThanOrEqual(expiresAt - before);
      await store.remove(key);
      expect(await store.get(key)).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('runs obtain once for concurrent callers on separate store instances', async () => {
    const connections = await Promise.all(Array.from({ length: 4 }, () => connect()));
    try {
      let calls = 0;
      const obtain = async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { value: `token-${calls}`, expiresAt: Date.now() + 60_000 };
      };
      // The waiters wait for the holder however long a loaded machine makes its 100 ms: past the default
      // maxWaitMs (4 s) each asks for itself, a second obtain (an obtain of 4.5 s failed it so).
      const stores = connections.map(({ client }) => createRedisTokenStorage({ client, encryption, commandTimeoutMs, prefix: `sf-${name}:`, maxWaitMs: 30_000 }));
      const values = await Promise.all(stores.flatMap((store) => [0, 1].map(() => store.singleFlight!('k', obtain, {}))));
      expect(calls).toBe(1);
      expect(new Set(values)).toEqual(new Set(['token-1']));
    } finally {
      await Promise.all(connections.map(({ close }) => close()));
    }
  });
  it("a waiter stops waiting when its signal fires (core's abortable wait), without disturbing the lock holder", async () => {
    const [holder, waiter] = await Promise.all([connect(), connect()]);
    try {
      let release!: () => void;
      let started!: () => void;
      const obtaining = new Promise<void>((resolve) => (started = resolve));
      const obtain = async () => {
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return { value: 'token-1', expiresAt: Date.now() + 60_000 };
      };
      const options = { encryption, commandTimeoutMs, prefix: `abort-${name}:`, maxWaitMs: 30_000 };
      const held = createRedisTokenStorage({ client: holder.client, ...options }).singleFlight!('k', obtain, {});
      await obtaining; // the holder has the lock and is asking Okta
      const controller = new AbortController();
      const waiting = createRedisTokenStorage({ client: waiter.client, ...options }).singleFlight!('k', obtain, { signal: controller.signal });
      controller.abort();
      const error = await waiting.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isOktaAuthError(error) && error.code).toBe('ABORTED');
      release();
      expect(await held).toBe('token-1');
    } finally {
      await Promise.all([holder.close(), waiter.close()]);
    }
  });
});
