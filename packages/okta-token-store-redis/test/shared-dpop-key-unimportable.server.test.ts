/**
 * A shared DPoP key entry that decrypts but is no key (not JSON, or JSON that is no ES256 private
 * key) is the token store's `corrupt` miss, said once, as an entry that does not decrypt is: the
 * process makes a key, replaces the entry, and the next load shares that key without a word.
 * (mut98: the `corrupt()` of the import's failure deleted by hand was not caught: every test of
 * the event had an entry that did not decrypt.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadSharedDpopKeyPair } from '../src/index.js';
import { commandTimeoutMs, useRedisClients } from './redis-clients.js';
import { sealedEntry } from './sealed-entry.js';

const clients = useRedisClients();
const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };

/** An entry as the store seals it, under this file's key (`sealedEntry`). */
const sealed = (plaintext: string, redisKey: string): Promise<string> => sealedEntry(encryption, plaintext, redisKey);

describe.each(clients)('with %s', (name, connect) => {
  it.each([
    ['not JSON', 'not a key'],
    ['JSON that is no ES256 key', JSON.stringify({ kty: 'oct', k: 'AAAA' })],
  ])('a sealed entry of %s is a corrupt miss, once; the key made replaces it', async (what, plaintext) => {
    const { client, raw, close } = await connect();
    try {
      const prefix = `dpop-unimportable-${what.length}-${name}:`;
      const redisKey = `${prefix}v1:dpop:${createHash('sha256').update('app').digest('base64url')}`;
      await raw(['SET', redisKey, await sealed(plaintext, redisKey)]);
      const events: unknown[] = [];
      const load = () => loadSharedDpopKeyPair({ client, encryption, commandTimeoutMs, name: 'app', prefix, logger: (event) => void events.push(event) });
      const [one, two] = [await load(), await load()];
      const jwk = async (key: CryptoKey) => JSON.stringify(await crypto.subtle.exportKey('jwk', key));
      expect(await jwk(two.publicKey)).toBe(await jwk(one.publicKey));
      expect(events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' }]);
    } finally {
      await close();
    }
  });
});
