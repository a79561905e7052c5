/**
 * The store's `removeIfEqual` on a real redis-server, over both well-kept clients: it deletes an
 * entry only while it holds the value given (compared decrypted: every sealing has its own IV),
 * whichever key sealed it, and never an entry another client wrote between its read and its
 * delete script, even one of the same value. `removeIfUnreadable` likewise deletes an entry only
 * while it holds a text the store cannot read (`get` answers nothing for it), never a readable one.
 */
import { randomBytes } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { createRedisTokenStorage, type RedisClientLike } from '../src/index.js';
import { commandTimeoutMs, useRedisClients, type RedisConnection } from './redis-clients.js';

const clients = useRedisClients();
const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const encryption = { current: 'k1', keys: { k1 } };

/** The client, with `before` run ahead of each script that deletes (another process writing first). */
function racing(raw: RedisConnection['raw'], before: () => Promise<void>): RedisClientLike {
  return {
    async sendCommand(args: string[]) {
      if (args[0] === 'EVAL' && args[1]?.includes("'DEL'") === true) await before();
      return raw(args);
    },
  };
}

describe.each(clients)('with %s', (name, connect) => {
  it('deletes the entry only while it holds the value, compared decrypted, and says whether it did', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `rie-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      expect(await store.removeIfEqual?.('k', 'tokens')).toBe(false); // nothing stored
      await store.set('k', 'new sign-in');
      expect(await store.removeIfEqual?.('k', 'signed out')).toBe(false);
      expect(await store.get('k')).toBe('new sign-in');
      // Another process sealed the same value (another IV): still that value, removed.
      await createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix }).set('k', 'signed out');
      expect(await store.removeIfEqual?.('k', 'signed out')).toBe(true);
      expect(await raw(['KEYS', `${prefix}*`])).toEqual([]);
    } finally {
      await close();
    }
  });

  it('compares an entry sealed with an older key (rotation), and leaves one it cannot decrypt', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `rie-rot-${name}:`;
      const old = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      const rotated = createRedisTokenStorage({ commandTimeoutMs, client, encryption: { current: 'k2', keys: { k1, k2 } }, prefix });
      await old.set('k', 'signed out');
      expect(await rotated.removeIfEqual?.('k', 'signed out')).toBe(true);
      expect(await old.get('k')).toBeUndefined();
      // Sealed with k2, which the old store does not hold: not its value as far as it can tell.
      await rotated.set('k', 'signed out');
      expect(await old.removeIfEqual?.('k', 'signed out')).toBe(false);
      expect(await rotated.get('k')).toBe('signed out');
      const [redisKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
      await raw(['SET', redisKey!, 'not sealed']);
      expect(await rotated.removeIfEqual?.('k', 'not sealed')).toBe(false);
      expect(await raw(['GET', redisKey!])).toBe('not sealed');
    } finally {
      await close();
    }
  });

  it('leaves an entry another client wrote between its read and its delete script, even of the same value', async () => {
    const [mine, other] = await Promise.all([connect(), connect()]);
    try {
      for (const written of ['new sign-in', 'signed out']) {
        const prefix = `rie-race-${name}-${written.length}:`;
        const otherProcess = createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption, prefix });
        let writes = 0;
        const store = createRedisTokenStorage({
          commandTimeoutMs,
          client: racing(mine.raw, async () => {
            if (writes++ === 0) await otherProcess.set('k', written);
          }),
          encryption,
          prefix,
        });
        await store.set('k', 'signed out');
        // A DEL after the comparison, not the script, would take the other process's entry.
        expect(await store.removeIfEqual?.('k', 'signed out')).toBe(false);
        expect(writes).toBe(1);
        expect(await store.get('k')).toBe(written);
      }
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
  });

  it('a Redis that does not answer is REDIS_UNAVAILABLE, as for every command', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `rie-hung-${name}:`;
      let hungScripts = 0;
      const hung: RedisClientLike = {
        sendCommand: (args) => (args[0] === 'EVAL' && args[1]?.includes("'DEL'") === true ? (hungScripts++, new Promise(() => undefined)) : raw(args)),
      };
      // Written with the tests' generous bound: only the script that never answers may meet the short
      // one (a busy CI machine once took over 50 ms to answer this write).
      await createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix }).set('k', 'signed out');
      const store = createRedisTokenStorage({ client: hung, encryption, prefix, commandTimeoutMs: 1000 });
      const error = await Promise.resolve(store.removeIfEqual?.('k', 'signed out')).then(() => undefined, (reason: unknown) => reason);
      expect(isOktaAuthError(error) && error.code).toBe('REDIS_UNAVAILABLE');
      expect(hungScripts).toBe(1); // the delete script timed out, not the read before it
    } finally {
      await close();
    }
  });

  it('deletes an entry it cannot read (another key, not sealed), never one it can, and says whether it did', async () => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `riu-${name}:`;
      const store = createRedisTokenStorage({ commandTimeoutMs, client, encryption, prefix });
      const rotated = createRedisTokenStorage({ commandTimeoutMs, client, encryption: { current: 'k2', keys: { k1, k2 } }, prefix });
      expect(await store.removeIfUnreadable?.('k')).toBe(false); // nothing stored
      await store.set('k', 'tokens');
      expect(await store.removeIfUnreadable?.('k')).toBe(false); // readable: its value, not removed
      await rotated.set('k', 'tokens'); // sealed with k2, which this store does not hold
      expect(await rotated.removeIfUnreadable?.('k')).toBe(false); // the store holding k2 reads it
      expect(await store.get('k')).toBeUndefined();
      expect(await store.removeIfUnreadable?.('k')).toBe(true);
      expect(await raw(['KEYS', `${prefix}*`])).toEqual([]);
      await store.set('k', 'tokens');
      const [redisKey] = (await raw(['KEYS', `${prefix}*`])) as string[];
      await raw(['SET', redisKey!, 'not sealed']);
      expect(await store.removeIfUnreadable?.('k')).toBe(true);
      expect(await raw(['KEYS', `${prefix}*`])).toEqual([]);
    } finally {
      await close();
    }
  });

  it('leaves an entry another client wrote between its read and its delete script, readable or not', async () => {
    const [mine, other] = await Promise.all([connect(), connect()]);
    try {
      for (const keys of [{ current: 'k1', keys: { k1 } }, { current: 'k2', keys: { k2 } }]) {
        const prefix = `riu-race-${name}-${keys.current}:`;
        const otherProcess = createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption: keys, prefix });
        let writes = 0;
        const store = createRedisTokenStorage({
          commandTimeoutMs,
          client: racing(mine.raw, async () => {
            if (writes++ === 0) await otherProcess.set('k', 'new sign-in');
          }),
          encryption,
          prefix,
        });
        await createRedisTokenStorage({ commandTimeoutMs, client: other.client, encryption: { current: 'k2', keys: { k2 } }, prefix }).set('k', 'signed out');
        // A DEL after the check, not the script, would take the other process's entry.
        expect(await store.removeIfUnreadable?.('k')).toBe(false);
        expect(writes).toBe(1);
        expect(await otherProcess.get('k')).toBe('new sign-in');
      }
    } finally {
      await Promise.all([mine.close(), other.close()]);
    }
  });
});
