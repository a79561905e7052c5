import { describe, expect, it } from 'vitest';
import { EntryCipher, toBase64Url } from './encryption.js';
import { isOktaRedisStoreError } from './errors.js';

const key = (n: number) => toBase64Url(new Uint8Array(32).fill(n));

describe('EntryCipher', () => {
  it('round-trips, binds the entry to its Redis key, and never shows the plaintext', async () => {
    const cipher = new EntryCipher({ current: 'a', keys: { a: key(1) } });
    const sealed = await cipher.encrypt('access-token-value', 'okta:v1:k1');
    expect(sealed).toMatch(/^v1\.a\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('access-token-value');
    expect(await cipher.decrypt(sealed, 'okta:v1:k1')).toBe('access-token-value');
    expect(await cipher.decrypt(sealed, 'okta:v1:k2')).toBeUndefined();
    expect(await cipher.decrypt(`${sealed.slice(0, -2)}AA`, 'okta:v1:k1')).toBeUndefined();
    expect(await cipher.decrypt('garbage', 'okta:v1:k1')).toBeUndefined();
  });

  it('rotates by key id: old entries decrypt while the old key is listed, not after', async () => {
    const old = new EntryCipher({ current: 'a', keys: { a: key(1) } });
    const sealed = await old.encrypt('t', 'k');
    const rotated = new EntryCipher({ current: 'b', keys: { a: key(1), b: key(2) } });
    expect(await rotated.decrypt(sealed, 'k')).toBe('t');
    expect((await rotated.encrypt('t', 'k')).startsWith('v1.b.')).toBe(true);
    expect(await new EntryCipher({ current: 'b', keys: { b: key(2) } }).decrypt(sealed, 'k')).toBeUndefined();
  });

  it('refuses bad configuration with INVALID_CONFIG and no key material', () => {
    const secretish = 'c2hvcnQta2V5';
    for (const config of [{ current: 'a', keys: { a: secretish } }, { current: 'x', keys: { a: key(1) } }, { current: 'a b', keys: { 'a b': key(1) } }]) {
      let thrown: unknown;
      try {
        new EntryCipher(config);
      } catch (error) {
        thrown = error;
      }
      expect(isOktaRedisStoreError(thrown) && thrown.code).toBe('INVALID_CONFIG');
      expect((thrown as Error).message).not.toContain(secretish);
    }
  });
});
