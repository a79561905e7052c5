/**
 * The encryption option's other shapes (mut99 made `keys: null` INVALID_CONFIG): `keys` as an
 * array or a Map, a key of the wrong length, a `current` that is no string or is the key itself.
 * Each is `INVALID_CONFIG` saying what to pass, and no message holds a key.
 */
import { describe, expect, it } from 'vitest';
import { base64url } from '@org/okta-auth-core/internal';
import { EntryCipher } from './encryption.js';

const key = base64url(new Uint8Array(32).fill(7));
const shape = 'encryption must be { current, keys: { [id]: key } }.';

function refusal(config: unknown): { name: string; code: unknown; message: string } | 'no refusal' {
  try {
    new EntryCipher(config as ConstructorParameters<typeof EntryCipher>[0]);
  } catch (error) {
    return { name: (error as Error).name, code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return 'no refusal';
}

describe('EntryCipher: the other shapes of the encryption option', () => {
  it.each<[string, unknown]>([
    // Object.entries reads an array's indexes as key ids: `current: '0'` sealed entries under id "0".
    ['keys an array of keys', { current: '0', keys: [key] }],
    ['keys an array of [id, key] pairs', { current: 'a', keys: [['a', key]] }],
    // Object.entries reads no entry of a Map: refused as "current must name one of encryption.keys", which it does.
    ['keys a Map', { current: 'a', keys: new Map([['a', key]]) }],
    ['keys a Set', { current: 'a', keys: new Set([key]) }],
  ])('%s: the shape to pass', (_, config) => {
    expect(refusal(config)).toEqual({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message: shape });
  });

  it.each<[string, unknown, string]>([
    ['a key of 31 bytes', { current: 'a', keys: { a: base64url(new Uint8Array(31)) } }, 'encryption key "a" has 31 bytes; AES-256 needs 32 (openssl rand -base64 32).'],
    ['a key of 33 bytes', { current: 'a', keys: { a: base64url(new Uint8Array(33)) } }, 'encryption key "a" has 33 bytes; AES-256 needs 32 (openssl rand -base64 32).'],
    ['current a number', { current: 1, keys: { 1: key } }, 'encryption.current must name one of encryption.keys.'],
    ['current an object', { current: { toString: () => 'a' }, keys: { a: key } }, 'encryption.current must name one of encryption.keys.'],
    ['current the key itself', { current: key, keys: { a: key } }, 'encryption.current must name one of encryption.keys.'],
    ['a key and its id swapped', { current: 'a', keys: { [key]: 'a' } }, 'encryption key id #1 of encryption.keys (43 characters) must be 1-32 characters of A-Z a-z 0-9 _ -; it is not shown, as it may be a key.'],
  ])('%s: typed, the key not shown', (_, config, message) => {
    const refused = refusal(config);
    expect(refused).toEqual({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message });
    expect(JSON.stringify(refused)).not.toContain(key);
  });
});
