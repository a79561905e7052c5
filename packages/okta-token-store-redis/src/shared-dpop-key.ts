import type { OktaLogger } from '@org/okta-auth-core';
import { emit, failedCall, sha256Base64url } from '@org/okta-auth-core/internal';
import { generateDpopKeyPair, importDpopKeyPair, type WebCryptoKeyPair } from '@org/okta-oauth/service-app';
import { EntryCipher, maxEntryChars, type EncryptionKeys } from './encryption.js';
import { OktaRedisStoreError } from './errors.js';
import { checkOptions, connect, positiveMs, type RedisConnectionOptions } from './redis-client.js';

/**
 * Options of {@link loadSharedDpopKeyPair}.
 * @example
 * ```ts
 * const options: SharedDpopKeyOptions = { client, encryption, name: 'billing-sync' };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export interface SharedDpopKeyOptions extends RedisConnectionOptions {
  /** AES-256-GCM keys that encrypt the shared private key at rest (the same keys as the token storage's, or others). */
  readonly encryption: EncryptionKeys;
  /** Which shared key: one per app (its client id, say). Hashed before it becomes a Redis key. */
  readonly name: string;
  /** How long the shared key lives before a new one is made. @default 30 days */
  readonly ttlMs?: number | undefined;
  /** Receives a `token-store` event of `operation: 'dpop-key'` when Redis fails and a per-process key is used instead, for as long as the process runs (`error`, with the failure's `code`: `REDIS_UNAVAILABLE`), or when the stored key is there but does not decrypt, under another encryption key than this process's, and is replaced (`corrupt`). */
  readonly logger?: OktaLogger | undefined;
}

/**
 * Opt-in: one DPoP key pair (ES256) for every process of a fleet, so one DPoP-bound token
 * (one grant, one nonce handshake) serves them all. The first process generates it; it is
 * stored in Redis encrypted (AES-256-GCM, like tokens) and imported non-extractable by each
 * process. Pass the result as `dpopKeyPair` to `createServiceAppCredential`. When Redis is
 * unavailable it returns a fresh per-process key (the safe default, which shares nothing).
 *
 * Sharing the key means anyone who can read Redis and holds the encryption key can use the
 * tokens: that is the trade-off against one token per process; see the README.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createRedisTokenStorage, loadSharedDpopKeyPair, type EncryptionKeys, type RedisClientLike } from '@org/okta-token-store-redis';
 *
 * declare const client: RedisClientLike; // your connected node-redis or ioredis client
 * declare const encryption: EncryptionKeys;
 * declare const options: ServiceAppCredentialOptions;
 * const tokenStore = createRedisTokenStorage({ client, encryption });
 * const dpopKeyPair = await loadSharedDpopKeyPair({ client, encryption, name: options.clientId });
 * const credential = createServiceAppCredential({ ...options, dpop: 'required', dpopKeyPair, tokenStore });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export async function loadSharedDpopKeyPair(options: SharedDpopKeyOptions): Promise<WebCryptoKeyPair> {
  checkOptions(options, 'loadSharedDpopKeyPair needs { client, encryption, name }.');
  // The connection options are checked as every Redis part checks them (`connect`); a bad option is INVALID_CONFIG, not a silent per-process key.
  const { redis, prefix } = connect(options, { timeoutMs: 500, pauseAfterFailureMs: 1 });
  const ttl = String(positiveMs(options.ttlMs, 30 * 24 * 3_600_000, 'ttlMs'));
  if (typeof options.name !== 'string' || options.name === '') throw new OktaRedisStoreError('INVALID_CONFIG', 'name must be a non-empty string: one per app (its client id, say).');
  const cipher = new EntryCipher(options.encryption);
  const redisKey = `${prefix}v1:dpop:${await sha256Base64url(options.name)}`;
  // An entry that is there but unusable is a `corrupt` miss (`operation: 'dpop-key'`), said once per load: a process
  // given another encryption key than the fleet's makes a key (and a grant) of its own, and this says why.
  let reported = false;
  const corrupt = (): void => {
    if (!reported) emit(options.logger, { type: 'token-store', operation: 'dpop-key', outcome: 'corrupt' });
    reported = true;
  };
  const read = async (): Promise<WebCryptoKeyPair | undefined> => {
    // An entry over maxEntryChars (tampered with) is never read: corrupt, so it is replaced.
    const stored = await redis.getAtMost(redisKey, maxEntryChars);
    if (stored === null || stored === undefined) return undefined;
    const plain = typeof stored === 'string' ? await cipher.decrypt(stored, redisKey) : undefined;
    if (plain === undefined) {
      corrupt();
      return undefined;
    }
    try {
      return await importDpopKeyPair(JSON.parse(plain) as JsonWebKey, 'ES256');
    } catch {
      corrupt();
      return undefined;
    }
  };
  try {
    const existing = await read();
    if (existing !== undefined) return existing;
    const generated = await generateDpopKeyPair('ES256', { extractable: true });
    const jwk = await crypto.subtle.exportKey('jwk', generated.privateKey);
    const sealed = await cipher.encrypt(JSON.stringify(jwk), redisKey);
    // SET NX: when two processes race, one key wins and both use it. A corrupt entry is replaced.
    const won = await redis.run(['SET', redisKey, sealed, 'NX', 'PX', ttl]);
    if (won !== 'OK') {
      const winner = await read();
      if (winner !== undefined) return winner;
      await redis.run(['SET', redisKey, sealed, 'PX', ttl]);
    }
    return await importDpopKeyPair(jwk, 'ES256');
  } catch (error) {
    // The failure's code (`REDIS_UNAVAILABLE`) through core's one reader of it, as the Durable Object key's event.
    emit(options.logger, { type: 'token-store', operation: 'dpop-key', ...failedCall({ reason: 'error', error }) });
    return generateDpopKeyPair('ES256');
  }
}
