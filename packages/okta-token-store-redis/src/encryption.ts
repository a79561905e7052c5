import type { WebCryptoKey } from '@org/okta-oauth';
import { base64url, base64urlDecode } from '@org/okta-auth-core/internal';
import { OktaRedisStoreError } from './errors.js';

/**
 * The keys that encrypt entries at rest: AES-256-GCM, by key id. `current` encrypts; every
 * key in `keys` decrypts, so a key is rotated by adding the new one, making it current, and
 * removing the old one after the longest token lifetime (an hour for Okta access tokens).
 * A key is 32 random bytes, base64url or base64 (`openssl rand -base64 32`), or a 256-bit
 * AES-GCM `CryptoKey` (a 128- or 192-bit one is `INVALID_CONFIG`).
 *
 * @example
 * ```ts
 * const encryption: EncryptionKeys = {
 *   current: '2026-11',
 *   keys: { '2026-11': process.env.OKTA_TOKEN_KEY_2026_11!, '2026-05': process.env.OKTA_TOKEN_KEY_2026_05! },
 * };
 * ```
 * @see https://www.w3.org/TR/WebCryptoAPI/#aes-gcm
 */
export interface EncryptionKeys {
  /** The key id that encrypts new entries. */
  readonly current: string;
  /** Key id → key. Ids are short names (`[A-Za-z0-9_-]`, at most 32), stored beside each entry. */
  readonly keys: Readonly<Record<string, string | WebCryptoKey>>;
}

const format = 'v1';

/**
 * The longest entry written or read, sealed (`v1.<kid>.<iv>.<ciphertext>`): 256 KiB. A user's
 * tokens (an access token of at most 64 KiB, the token answer's bound, with refresh and ID tokens
 * and a scope list) fit with room to spare; a longer entry is corrupt or tampered with: a miss,
 * never decoded. @internal
 */
export const maxEntryChars = 262_144;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts and decrypts entries: `v1.<kid>.<iv>.<ciphertext>`, with the Redis key as
 * additional data, so an entry copied under another key (another client, scope set or org)
 * does not decrypt. @internal
 */
export class EntryCipher {
  readonly #current: string;
  readonly #keys: Map<string, Promise<WebCryptoKey>>;

  constructor(config: EncryptionKeys) {
    // An array's indexes would be key ids, and a Map or Set has no entries Object.entries reads: a plain object only.
    if (typeof config !== 'object' || (config as unknown) === null || typeof config.keys !== 'object' || (config.keys as unknown) === null || Symbol.iterator in config.keys) {
      throw new OktaRedisStoreError('INVALID_CONFIG', 'encryption must be { current, keys: { [id]: key } }.');
    }
    this.#keys = new Map();
    for (const [index, [id, key]] of Object.entries(config.keys).entries()) {
      // A refused id is never quoted: one swapped with its key (`{ [key]: id }`) would show the key.
      if (!/^[\w-]{1,32}$/.test(id)) throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key id #${index + 1} of encryption.keys (${id.length} characters) must be 1-32 characters of A-Z a-z 0-9 _ -; it is not shown, as it may be a key.`);
      const imported = importKey(id, key);
      imported.catch(() => undefined);
      this.#keys.set(id, imported);
    }
    if (!this.#keys.has(config.current)) throw new OktaRedisStoreError('INVALID_CONFIG', 'encryption.current must name one of encryption.keys.');
    this.#current = config.current;
  }

  async encrypt(plaintext: string, additionalData: string): Promise<string> {
    const key = await this.#keys.get(this.#current);
    if (key === undefined) throw new OktaRedisStoreError('INVALID_CONFIG', 'no current key');
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(additionalData) }, key, encoder.encode(plaintext));
    const entry = [format, this.#current, base64url(iv), base64url(new Uint8Array(sealed))].join('.');
    // Never stored: it could not be read back.
    if (entry.length > maxEntryChars) throw new OktaRedisStoreError('INVALID_CONFIG', `an entry of ${plaintext.length} characters is over the ${maxEntryChars / 1024} KiB an entry may take.`);
    return entry;
  }

  /** The plaintext, or `undefined` for anything that does not decrypt (corrupt, foreign, unknown key id, over {@link maxEntryChars}). */
  async decrypt(stored: string, additionalData: string): Promise<string | undefined> {
    if (stored.length > maxEntryChars) return undefined;
    const [version, id, iv, sealed, extra] = stored.split('.');
    if (version !== format || id === undefined || iv === undefined || sealed === undefined || extra !== undefined) return undefined;
    const key = this.#keys.get(id);
    if (key === undefined) return undefined;
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: base64urlDecode(iv), additionalData: encoder.encode(additionalData) }, await key, base64urlDecode(sealed));
      return decoder.decode(plain);
    } catch {
      return undefined;
    }
  }
}

/** Checks a key synchronously (so bad configuration fails at creation) and starts its import. */
function importKey(id: string, key: string | WebCryptoKey): Promise<WebCryptoKey> {
  if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
    if (key.algorithm.name !== 'AES-GCM' || !key.usages.includes('encrypt') || !key.usages.includes('decrypt')) {
      throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" must be an AES-GCM CryptoKey with encrypt and decrypt usages.`);
    }
    // AES-256, as documented: a 128- or 192-bit key would seal every entry with less.
    const { length } = key.algorithm as AesKeyAlgorithm;
    if (length !== 256) {
      throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" is a ${length}-bit AES-GCM CryptoKey; AES-256 needs a 256-bit one (generateKey({ name: 'AES-GCM', length: 256 }, …) or importKey of 32 bytes).`);
    }
    return Promise.resolve(key);
  }
  // Unset (`process.env.OKTA_TOKEN_KEY` with no such variable) or empty: say so and how to make one, not what type it must be.
  const unset = (key as unknown) === undefined ? 'undefined' : typeof key === 'string' && key.trim() === '' ? 'an empty string' : undefined;
  if (unset !== undefined) throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" is not set (${unset}: check the environment variable you read it from); make one with: openssl rand -base64 32`);
  if (typeof key !== 'string') throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" must be a base64 string of 32 bytes or a CryptoKey.`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    // core's one codec; standard base64 (`openssl rand -base64 32`) is mapped to its alphabet first.
    bytes = base64urlDecode(key.trim().replace(/\+/g, '-').replace(/\//g, '_'));
  } catch {
    throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" is not base64; generate one with: openssl rand -base64 32`);
  }
  if (bytes.length !== 32) throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" has ${bytes.length} bytes; AES-256 needs 32 (openssl rand -base64 32).`);
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
}
