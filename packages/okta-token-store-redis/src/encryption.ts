import type { WebCryptoKey } from '@org/okta-oauth';
import { OktaRedisStoreError } from './errors.js';

/**
 * The keys that encrypt entries at rest: AES-256-GCM, by key id. `current` encrypts; every
 * key in `keys` decrypts, so a key is rotated by adding the new one, making it current, and
 * removing the old one after the longest token lifetime (an hour for Okta access tokens).
 * A key is 32 random bytes, base64url or base64 (`openssl rand -base64 32`), or an AES-GCM
 * `CryptoKey`.
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
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** base64url without padding, from bytes (no Buffer: runs on every runtime). @internal */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  const base64 = btoa(binary);
  let end = base64.length;
  while (end > 0 && base64[end - 1] === '=') end--;
  return base64.slice(0, end).replace(/\+/g, '-').replace(/\//g, '_');
}

/** Bytes from base64url or base64; throws on anything else. @internal */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** base64url SHA-256 of a string: how storage keys become Redis keys. @internal */
export async function sha256Url(text: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text))));
}

/**
 * Encrypts and decrypts entries: `v1.<kid>.<iv>.<ciphertext>`, with the Redis key as
 * additional data, so an entry copied under another key (another client, scope set or org)
 * does not decrypt. @internal
 */
export class EntryCipher {
  readonly #current: string;
  readonly #keys: Map<string, Promise<WebCryptoKey>>;

  constructor(config: EncryptionKeys) {
    if (typeof config !== 'object' || (config as unknown) === null || typeof config.keys !== 'object') {
      throw new OktaRedisStoreError('INVALID_CONFIG', 'encryption must be { current, keys: { [id]: key } }.');
    }
    this.#keys = new Map();
    for (const [id, key] of Object.entries(config.keys)) {
      if (!/^[\w-]{1,32}$/.test(id)) throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key id "${id.slice(0, 40)}" must be 1-32 characters of A-Z a-z 0-9 _ -.`);
      const imported = importKey(id, key);
      imported.catch(() => undefined);
      this.#keys.set(id, imported);
    }
    if (!this.#keys.has(config.current)) throw new OktaRedisStoreError('INVALID_CONFIG', 'encryption.current must name one of encryption.keys.');
    this.#current = config.current;
  }

  /** Resolves once every key imported; rejects with the first bad one. */
  async ready(): Promise<void> {
    await Promise.all(this.#keys.values());
  }

  async encrypt(plaintext: string, additionalData: string): Promise<string> {
    const key = await this.#keys.get(this.#current);
    if (key === undefined) throw new OktaRedisStoreError('INVALID_CONFIG', 'no current key');
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(additionalData) }, key, encoder.encode(plaintext));
    return [format, this.#current, toBase64Url(iv), toBase64Url(new Uint8Array(sealed))].join('.');
  }

  /** The plaintext, or `undefined` for anything that does not decrypt (corrupt, foreign, unknown key id). */
  async decrypt(stored: string, additionalData: string): Promise<string | undefined> {
    const [version, id, iv, sealed, extra] = stored.split('.');
    if (version !== format || id === undefined || iv === undefined || sealed === undefined || extra !== undefined) return undefined;
    const key = this.#keys.get(id);
    if (key === undefined) return undefined;
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(additionalData) }, await key, fromBase64Url(sealed));
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
    return Promise.resolve(key);
  }
  if (typeof key !== 'string') throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" must be a base64 string of 32 bytes or a CryptoKey.`);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64Url(key.trim());
  } catch {
    throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" is not base64; generate one with: openssl rand -base64 32`);
  }
  if (bytes.length !== 32) throw new OktaRedisStoreError('INVALID_CONFIG', `encryption key "${id}" has ${bytes.length} bytes; AES-256 needs 32 (openssl rand -base64 32).`);
  return crypto.subtle.importKey('raw', bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
}
