/**
 * What the twenty-seventh mutation round found no test reading in `encryption.ts`: each refusal of
 * an `encryption` option and its words, the sealed entry's form read strictly, an over-long entry
 * never decoded, a runtime without a global `CryptoKey`, and keys imported non-extractable.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64url } from '@org/okta-auth-core/internal';
import { sealedEntry } from '../test/sealed-entry.js';
import { EntryCipher, maxEntryChars } from './encryption.js';

const bytes = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(32).fill(n);
const key = (n: number): string => base64url(bytes(n));

/** The cipher's refusal of `config`, as code and message. */
function refusal(config: unknown): unknown {
  try {
    new EntryCipher(config as ConstructorParameters<typeof EntryCipher>[0]);
  } catch (error) {
    return { name: (error as Error).name, code: (error as { code?: unknown }).code, message: (error as Error).message };
  }
  return 'no refusal';
}

const refused = (message: string) => ({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG', message });

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('EntryCipher refuses a malformed encryption option, saying what to pass', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'key'],
    ['no keys', { current: 'a' }],
    ['keys as a string', { current: 'a', keys: 'x' }],
    ['keys null', { current: 'a', keys: null }],
  ])('%s', (_, config) => {
    expect(refusal(config)).toEqual(refused('encryption must be { current, keys: { [id]: key } }.'));
  });

  it('a current that names no key', () => {
    expect(refusal({ current: 'b', keys: { a: key(1) } })).toEqual(refused('encryption.current must name one of encryption.keys.'));
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an object', { k: 'v' }],
  ])('a key that is %s', (_, value) => {
    expect(refusal({ current: 'a', keys: { a: value } })).toEqual(refused('encryption key "a" must be a base64 string of 32 bytes or a CryptoKey.'));
  });

  // rev168a: `keys: { '2026-11': process.env.OKTA_TOKEN_KEY }` with the variable unset said "must be a base64 string".
  it.each([
    ['undefined (an unset environment variable)', undefined, 'undefined'],
    ['an empty string', '', 'an empty string'],
    ['only spaces', '  \n', 'an empty string'],
  ])('a key that is %s: not set, and how to make one', (_, value, shown) => {
    expect(refusal({ current: 'a', keys: { a: value } })).toEqual(refused(`encryption key "a" is not set (${shown}: check the environment variable you read it from); make one with: openssl rand -base64 32`));
  });

  it('a key of 16 bytes', () => {
    expect(refusal({ current: 'a', keys: { a: base64url(new Uint8Array(16)) } })).toEqual(refused('encryption key "a" has 16 bytes; AES-256 needs 32 (openssl rand -base64 32).'));
  });

  it('a CryptoKey of another algorithm, or without encrypt or decrypt', async () => {
    const message = 'encryption key "a" must be an AES-GCM CryptoKey with encrypt and decrypt usages.';
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign', 'verify']);
    const aesCbc = await crypto.subtle.generateKey({ name: 'AES-CBC', length: 256 }, false, ['encrypt', 'decrypt']);
    const aes = (usages: KeyUsage[]) => crypto.subtle.importKey('raw', bytes(1), 'AES-GCM', false, usages);
    for (const weak of [hmac, aesCbc, await aes(['decrypt']), await aes(['encrypt'])]) {
      expect(refusal({ current: 'a', keys: { a: weak } })).toEqual(refused(message));
    }
  });
});

describe('EntryCipher reads only its own form of entry', () => {
  it('an entry of another version, or with a part more, is a miss', async () => {
    const cipher = new EntryCipher({ current: 'a', keys: { a: key(1) } });
    const sealed = await cipher.encrypt('token', 'k');
    expect(await cipher.decrypt(sealed, 'k')).toBe('token');
    expect(await cipher.decrypt(`v2${sealed.slice(2)}`, 'k')).toBeUndefined();
    expect(await cipher.decrypt(`${sealed}.x`, 'k')).toBeUndefined();
  });

  it('an entry over 256 KiB is never decoded, even one sealed with the key', async () => {
    const encryption = { current: 'a', keys: { a: key(1) } };
    const cipher = new EntryCipher(encryption);
    // `v1.a.`, 16 characters of IV and `.`, then 262,124: 262,146 characters, two over.
    const entry = await sealedEntry(encryption, 'x'.repeat(196_577), 'k');
    expect(entry.length).toBe(maxEntryChars + 2);
    expect(await cipher.decrypt(entry, 'k')).toBeUndefined();
    // One sealed the same way under the bound reads: the miss above is the bound's.
    expect(await cipher.decrypt(await sealedEntry(encryption, 't', 'k'), 'k')).toBe('t');
  });
});

describe('EntryCipher on a runtime and with WebCrypto', () => {
  it('takes a base64 key where there is no global CryptoKey', async () => {
    vi.stubGlobal('CryptoKey', undefined);
    const cipher = new EntryCipher({ current: 'a', keys: { a: key(1) } });
    expect(await cipher.decrypt(await cipher.encrypt('t', 'k'), 'k')).toBe('t');
  });

  it('imports a base64 key non-extractable (docs/SECURITY.md: "imported as non-extractable CryptoKeys")', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    await new EntryCipher({ current: 'a', keys: { a: key(1) } }).encrypt('t', 'k');
    expect(importKey).toHaveBeenCalledOnce();
    expect(importKey.mock.calls[0]?.slice(2)).toEqual(['AES-GCM', false, ['encrypt', 'decrypt']]);
    expect((await importKey.mock.results[0]?.value) as CryptoKey).toMatchObject({ extractable: false });
  });
});
