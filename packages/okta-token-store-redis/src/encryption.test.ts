import { describe, expect, it } from 'vitest';
import { base64url } from '@org/okta-auth-core/internal';
import { EntryCipher } from './encryption.js';
import { isOktaRedisStoreError } from './errors.js';

const key = (n: number) => base64url(new Uint8Array(32).fill(n));

describe('EntryCipher', () => {
  it('seals and reads an entry of exactly 256 KiB (262,144 characters); one longer is never written', async () => {
    // `v1.k12.` + 16 characters of IV + `.` is 24; 196,574 bytes and the 16-byte tag are 262,120 in base64url: 262,144 in all.
    const cipher = new EntryCipher({ current: 'k12', keys: { k12: key(3) } });
    const plaintext = 'x'.repeat(196_574);
    const sealed = await cipher.encrypt(plaintext, 'okta:v1:k');
    expect(sealed).toHaveLength(262_144);
    expect(await cipher.decrypt(sealed, 'okta:v1:k')).toBe(plaintext);
    // One byte more seals to 262,146 characters: refused before anything is sent.
    const over = await cipher.encrypt(`${plaintext}x`, 'okta:v1:k').catch((error: unknown) => error);
    expect(isOktaRedisStoreError(over) && [over.code, over.message]).toEqual(['INVALID_CONFIG', 'an entry of 196575 characters is over the 256 KiB an entry may take.']);
  });

  it('round-trips, binds the entry to its Redis key, and never shows the plaintext', async () => {
    const cipher = new EntryCipher({ current: 'a', keys: { a: key(1) } });
    const sealed = await cipher.encrypt('access-token-value', 'okta:v1:k1');
    expect(sealed).toMatch(/^v1\.a\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('access-token-value');
    expect(await cipher.decrypt(sealed, 'okta:v1:k1')).toBe('access-token-value');
    expect(await cipher.decrypt(sealed, 'okta:v1:k2')).toBeUndefined();
    // One tag character changed, always to another (a fixed `AA` ending was the sealed text's own 1 time in 256: the IV is random).
    const flipped = sealed.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${sealed.slice(0, -2)}${flipped}${sealed.slice(-1)}`;
    expect(tampered).not.toBe(sealed);
    expect(await cipher.decrypt(tampered, 'okta:v1:k1')).toBeUndefined();
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

  // The docs promise AES-256: an AES-128 (or 192) CryptoKey was taken and encrypted every entry with it.
  it('takes an AES-GCM CryptoKey of 256 bits only: a 128- or 192-bit one is INVALID_CONFIG saying what to pass', async () => {
    const aes = (length: number) => crypto.subtle.generateKey({ name: 'AES-GCM', length }, false, ['encrypt', 'decrypt']);
    for (const length of [128, 192]) {
      const weak = await aes(length);
      expect(() => new EntryCipher({ current: 'a', keys: { a: weak } })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', message: `encryption key "a" is a ${length}-bit AES-GCM CryptoKey; AES-256 needs a 256-bit one (generateKey({ name: 'AES-GCM', length: 256 }, …) or importKey of 32 bytes).` }),
      );
    }
    const cipher = new EntryCipher({ current: 'a', keys: { a: await aes(256) } });
    expect(await cipher.decrypt(await cipher.encrypt('t', 'k'), 'k')).toBe('t');
  });

  it('never quotes a key id it refuses: one swapped with its key would show the key', () => {
    const secret = key(9);
    for (const keys of [{ [secret]: secret }, { a: key(1), [`${secret.slice(0, 30)}+/`]: key(2) }]) {
      let thrown: unknown;
      try {
        new EntryCipher({ current: 'a', keys });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^encryption key id #\d of encryption\.keys \(\d+ characters\) must be 1-32 characters of A-Z a-z 0-9 _ -; it is not shown, as it may be a key\.$/) });
      expect(`${(thrown as Error).message} ${JSON.stringify(thrown)}`).not.toMatch(new RegExp(secret.slice(0, 8)));
    }
  });

  it("reads keys and entries with core's one base64url codec: a key may be standard base64 (openssl rand -base64 32), an entry may not", async () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 250 - i); // encodes with + and / in standard base64
    const standard = btoa(String.fromCharCode(...bytes));
    expect(/[+/]/.test(standard) && standard.endsWith('=')).toBe(true);
    const sealed = await new EntryCipher({ current: 'a', keys: { a: `${standard}\n` } }).encrypt('v', 'k');
    expect(await new EntryCipher({ current: 'a', keys: { a: base64url(bytes) } }).decrypt(sealed, 'k')).toBe('v');
    for (const bad of [`${standard.slice(0, 20)} ${standard.slice(20)}`, `${standard.slice(0, -1)}!`]) {
      expect(() => new EntryCipher({ current: 'a', keys: { a: bad } })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: 'encryption key "a" is not base64; generate one with: openssl rand -base64 32' }));
    }
    // The same entry re-spelt in the standard alphabet (same bytes) is not ours: it does not decrypt.
    const cipher = new EntryCipher({ current: 'a', keys: { a: standard } });
    let parts = sealed.split('.');
    while (!/[-_]/.test(parts[2]!)) parts = (await cipher.encrypt('v', 'k')).split('.');
    expect(await cipher.decrypt(parts.join('.'), 'k')).toBe('v');
    parts[2] = parts[2]!.replace(/-/g, '+').replace(/_/g, '/');
    expect(await cipher.decrypt(parts.join('.'), 'k')).toBeUndefined();
  });
});
