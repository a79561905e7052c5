import type { OktaLogger } from '@org/okta-auth-core';
import { abortableSleep, abortError, emit, maxTimerMs, randomId, sha256Base64url } from '@org/okta-auth-core/internal';
import type { OktaStorage, SingleFlightOptions, StorageSetOptions } from '@org/okta-oauth';
import { OktaRedisStoreError } from './errors.js';
import { EntryCipher, maxEntryChars, type EncryptionKeys } from './encryption.js';
import { deleteIfScript, extendScript, replaceIfScript, takenLockScript } from './lock-scripts.js';
import { checkOptions, connect, integerReply, maxDurationMs, positiveMs, type RedisCommands, type RedisConnectionOptions } from './redis-client.js';

/**
 * Options of {@link createRedisTokenStorage}.
 *
 * @example
 * ```ts
 * const options: RedisTokenStorageOptions = {
 *   client,
 *   encryption: { current: 'k1', keys: { k1: process.env.OKTA_TOKEN_KEY! } },
 * };
 * ```
 * @see https://redis.io/docs/latest/develop/use/patterns/distributed-locks/
 */
export interface RedisTokenStorageOptions extends RedisConnectionOptions {
  /** AES-256-GCM keys for entries at rest, by key id (rotation: add, make current, remove later). */
  readonly encryption: EncryptionKeys;
  /** After Redis trouble, skip Redis for this long (one timeout, not one per call). @default 1000 */
  readonly pauseAfterFailureMs?: number | undefined;
  /**
   * Expiry of the fleet lock; the holder extends it every third of it while its token request runs. Below
   * `maxWaitMs` (else `INVALID_CONFIG`), so a crashed holder's lock ends while the others wait, and one takes over. @default 2000
   */
  readonly lockTtlMs?: number | undefined;
  /** How long a process waits for another's token request before asking Okta itself; above `lockTtlMs`. @default 4000 */
  readonly maxWaitMs?: number | undefined;
  /** Expiry of values stored without one (sign-in transactions, user tokens). @default 7 days */
  readonly defaultTtlMs?: number | undefined;
  /** Receives `token-store` events (`corrupt` for an entry that does not decrypt). */
  readonly logger?: OktaLogger | undefined;
}

/**
 * An {@link OktaStorage} on Redis, for service, OIN and user tokens alike: entries encrypted
 * with AES-256-GCM (the Redis key as additional data), Redis keys that are SHA-256 hashes of
 * the storage key (never a secret, a client id or a scope), TTL = the token's expiry, and a
 * fleet-wide single flight: the first process to need a token takes a lock with an expiry
 * (`SET NX PX`), the others poll for its result (bounded) and, past `maxWaitMs`, ask Okta
 * themselves. Every command is bounded; Redis trouble is an error the credential turns into a
 * miss, so requests go on with the in-process cache.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createRedisTokenStorage } from '@org/okta-token-store-redis';
 *
 * declare const options: ServiceAppCredentialOptions;
 * const client = await createClient({ url: process.env.REDIS_URL! }).connect();
 * const tokenStore = createRedisTokenStorage({ client, encryption: { current: 'k1', keys: { k1: process.env.OKTA_TOKEN_KEY! } } });
 * const credential = createServiceAppCredential({ ...options, tokenStore });
 * ```
 * @see https://redis.io/docs/latest/commands/set/
 */
export function createRedisTokenStorage(options: RedisTokenStorageOptions): OktaStorage {
  return new RedisTokenStorage(options);
}

/** One single flight's reads: the `call` it renews for, and whether it logged its entry `corrupt` already. */
interface Flight {
  readonly call: number | undefined;
  corrupt: boolean;
}

class RedisTokenStorage implements OktaStorage {
  readonly #redis: RedisCommands;
  readonly #cipher: EntryCipher;
  readonly #prefix: string;
  readonly #lockTtlMs: number;
  readonly #maxWaitMs: number;
  readonly #defaultTtlMs: number;
  readonly #logger: OktaLogger | undefined;
  /**
   * Tells the credential how long a call here may take: a get is a SHA-256, one command and an
   * AES-GCM decryption, each bounded by `commandTimeoutMs` (a `removeIfEqual` or
   * `replaceIfEqual`, two commands: twice that); the credential's own bound sits
   * above that, so this storage's error (not the credential's timer) decides.
   */
  readonly timeoutMs: number;

  constructor(options: RedisTokenStorageOptions) {
    checkOptions(options, 'createRedisTokenStorage needs { client, encryption }.');
    ({ redis: this.#redis, prefix: this.#prefix } = connect(options, { timeoutMs: 500, pauseAfterFailureMs: positiveMs(options.pauseAfterFailureMs, 1000, 'pauseAfterFailureMs') }));
    this.timeoutMs = Math.max(1000, 2 * this.#redis.timeoutMs);
    this.#cipher = new EntryCipher(options.encryption);
    this.#maxWaitMs = positiveMs(options.maxWaitMs, 4000, 'maxWaitMs');
    this.#lockTtlMs = positiveMs(options.lockTtlMs, 2000, 'lockTtlMs', ['maxWaitMs', this.#maxWaitMs]);
    this.#defaultTtlMs = positiveMs(options.defaultTtlMs, 7 * 24 * 3_600_000, 'defaultTtlMs');
    this.#logger = options.logger;
  }

  async #redisKey(key: string): Promise<string> {
    return `${this.#prefix}v1:${await sha256Base64url(key)}`;
  }

  get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  /**
   * `get`: its `corrupt` event each read, or, for a single flight's `flight`, once a flight (a waiter reads at every poll),
   * with the `call` it reads for (okta-oauth calls `get` with the key alone).
   */
  async #read(key: string, flight?: Flight): Promise<string | undefined> {
    const redisKey = await this.#redisKey(key);
    // An entry over maxEntryChars (tampered with) is never read: it comes as its length, corrupt.
    const stored = await this.#redis.getAtMost(redisKey, maxEntryChars);
    if (stored === null || stored === undefined) return undefined;
    const plain = typeof stored === 'string' ? await this.#cipher.decrypt(stored, redisKey) : undefined;
    if (plain === undefined && flight?.corrupt !== true) emit(this.#logger, { type: 'token-store', operation: 'get', outcome: 'corrupt', call: flight?.call });
    if (plain === undefined && flight) flight.corrupt = true;
    return plain;
  }

  async set(key: string, value: string, options?: StorageSetOptions): Promise<void> {
    const redisKey = await this.#redisKey(key);
    const sealed = await this.#cipher.encrypt(value, redisKey);
    const ttlMs = this.#ttlMs(options?.expiresAt);
    if (ttlMs <= 0) {
      await this.#redis.run(['DEL', redisKey]);
      return;
    }
    await this.#redis.run(['SET', redisKey, sealed, 'PX', String(ttlMs)]);
  }

  /** An entry's TTL from its `expiresAt` (the store's default without one); at most a year: Redis refuses a PX like `1e+300`, and that error would pause Redis for every caller. */
  #ttlMs(expiresAt: number | undefined): number {
    return expiresAt !== undefined && Number.isFinite(expiresAt) ? Math.min(Math.floor(expiresAt - Date.now()), maxDurationMs) : this.#defaultTtlMs;
  }

  async remove(key: string): Promise<void> {
    await this.#redis.run(['DEL', await this.#redisKey(key)]);
  }

  /**
   * Deletes the entry only while it holds `value`: reads the sealed entry, decrypts it (a random
   * IV makes each sealing of the same value differ, so the value cannot be compared sealed), and
   * if it is `value` deletes that exact sealed entry in one script. An entry written meanwhile by
   * another process (even of the same value) stays, and this answers `false`.
   */
  removeIfEqual(key: string, value: string): Promise<boolean> {
    return this.#removeRead(key, (plain) => plain === value);
  }

  /**
   * Deletes the entry only while it holds a text this store cannot read (sealed under a key it
   * does not hold, or not sealed at all), for which `get` answers nothing: sign-out cannot tell
   * whose sign-in it is, and it may be the signed-out session's, renewed by a process that holds
   * the key. Reads the entry, tries to decrypt it, and if that fails deletes that exact text in
   * one script: a readable entry, or one written meanwhile, stays. An entry over the size bound
   * (never read) is left to its TTL.
   */
  removeIfUnreadable(key: string): Promise<boolean> {
    return this.#removeRead(key, (plain) => plain === undefined);
  }

  /**
   * Stores `value` only while the entry holds `expected`: reads the sealed entry, decrypts it (a
   * random IV makes each sealing differ, so it cannot be compared sealed), and if it is `expected`
   * replaces that exact sealed text in one script (`replaceIfScript`, the stored flight's own), with
   * `set`'s expiry. A removal or another write meanwhile (even of the same value) refuses it, and
   * this answers `false`: a user credential's own renewal after its fleet flight ended is written
   * so, and a sign-out on another process meanwhile is not undone.
   */
  async replaceIfEqual(key: string, expected: string, value: string, options?: StorageSetOptions): Promise<boolean> {
    const read = await this.#readIf(key, (plain) => plain === expected);
    if (read === undefined) return false;
    const ttlMs = this.#ttlMs(options?.expiresAt);
    // Already expired: removed, as `set` does, only while it still holds what was read.
    if (ttlMs <= 0) return integerReply(await this.#redis.run(['EVAL', deleteIfScript, '1', read.redisKey, read.stored])) === 1;
    const sealed = await this.#cipher.encrypt(value, read.redisKey);
    return integerReply(await this.#redis.run(['EVAL', replaceIfScript, '1', read.redisKey, read.stored, sealed, String(ttlMs)])) === 1;
  }

  /** Reads the sealed entry and, if its plaintext (`undefined`: it does not decrypt) is `wanted`, deletes that exact sealed text in one script. */
  async #removeRead(key: string, wanted: (plain: string | undefined) => boolean): Promise<boolean> {
    const read = await this.#readIf(key, wanted);
    return read !== undefined && integerReply(await this.#redis.run(['EVAL', deleteIfScript, '1', read.redisKey, read.stored])) === 1;
  }

  /** The sealed entry under `key`, if its plaintext (`undefined`: it does not decrypt) is `wanted`; an entry over the size bound never is. */
  async #readIf(key: string, wanted: (plain: string | undefined) => boolean): Promise<{ readonly redisKey: string; readonly stored: string } | undefined> {
    const redisKey = await this.#redisKey(key);
    const stored = await this.#redis.getAtMost(redisKey, maxEntryChars);
    return typeof stored === 'string' && wanted(await this.#cipher.decrypt(stored, redisKey)) ? { redisKey, stored } : undefined;
  }

  /**
   * One token request per key across the fleet: the lock (`SET NX PX`, extended while `obtain`
   * runs), a bounded poll for another holder's result, a re-read once the lock is ours. With
   * `options.stored` (a user's renewal), under the lock it reads the sealed entry: none readable
   * (none, another type, over the size bound), and it resolves `undefined` without calling `obtain` (signed out); else it writes `obtain`'s value
   * only while the key still holds that sealed text, in one script on the one key (a removal or
   * a new sign-in since refuses it), and answers what the key holds then (`undefined`: removed).
   */
  async singleFlight(key: string, obtain: () => Promise<{ readonly value: string; readonly expiresAt: number }>, options: SingleFlightOptions): Promise<string | undefined> {
    const lockKey = `${await this.#redisKey(key)}:lock`;
    const flight: Flight = { call: options.call, corrupt: false };
    const fresh = async (): Promise<string | undefined> => {
      const value = await this.#read(key, flight);
      return value !== undefined && (options.fresh?.(value) ?? true) ? value : undefined;
    };
    const owner = randomId(16);
    // On the monotonic clock (`performance.now()`, as core's bounds): a wall clock moved by NTP or a user neither stretches the wait past maxWaitMs nor ends it at once.
    const deadline = performance.now() + this.#maxWaitMs;
    for (let poll = 10; ; ) {
      // Its signal fired (no caller waits, or the credential stopped waiting): no lock taken, no token renewed for nobody.
      if (options.signal?.aborted) throw abortError(options.signal);
      // A SET NX sent that failed (timed out, its answer lost) may have taken the lock in Redis all the same: let go of it, owner-checked.
      const sent = !this.#redis.paused;
      const acquired = await this.#redis.run(['SET', lockKey, owner, 'NX', 'PX', String(this.#lockTtlMs)]).catch(async (error: unknown) => {
        if (sent) await this.#release(lockKey, owner);
        throw error;
      });
      const ours = acquired === 'OK' || integerReply(await this.#redis.run(['EVAL', takenLockScript, '1', lockKey, String(this.#lockTtlMs), owner])) === 1;
      if (ours) return this.#holdAndObtain(key, lockKey, owner, fresh, obtain, options, flight);
      // Another process is asking Okta: wait for its result, bounded.
      while (performance.now() < deadline) {
        // Core's one abortable wait: the caller's signal ends the wait (ABORTED/TIMEOUT).
        await abortableSleep(poll, options.signal);
        poll = Math.min(poll * 2, 100);
        const value = await fresh();
        if (value !== undefined) return value;
        if (integerReply(await this.#redis.run(['EXISTS', lockKey])) === 0) break; // the holder gave up or died: take over
      }
      if (performance.now() >= deadline) throw new OktaRedisStoreError('FLEET_WAIT_EXCEEDED', `Waited ${this.#maxWaitMs} ms for another process's token request; asking Okta directly.`);
    }
  }

  async #holdAndObtain(
    key: string,
    lockKey: string,
    owner: string,
    fresh: () => Promise<string | undefined>,
    obtain: () => Promise<{ readonly value: string; readonly expiresAt: number }>,
    { stored }: SingleFlightOptions,
    flight: Flight,
  ): Promise<string | undefined> {
    // Sent in a pause after a failure too: skipped there, a lock (2 s by default) can end before the pause (1 s) and the next beat are over, and a waiter asks Okta as well.
    const heartbeat = setInterval(() => {
      this.#redis.run(['EVAL', extendScript, '1', lockKey, owner, String(this.#lockTtlMs)], { duringPause: true }).catch(() => undefined);
    }, Math.min(maxTimerMs, Math.max(50, Math.floor(this.#lockTtlMs / 3))));
    try {
      const redisKey = await this.#redisKey(key);
      // A user's renewal: what the key holds under the lock, sealed (a failed read fails the flight: the credential renews itself).
      const held = stored ? await this.#redis.getAtMost(redisKey, maxEntryChars) : undefined;
      // Nothing readable stored: none (the user signed out, on any process), or what `get` answers nothing for (another
      // TYPE, an entry over the size bound): no token request, as a plain SET over it would not be refused by a removal.
      if (stored && typeof held !== 'string') return undefined;
      // Another process may have finished between our read and our lock.
      const already = await fresh().catch(() => undefined);
      if (already !== undefined) return already;
      const { value, expiresAt } = await obtain();
      const ttlMs = this.#ttlMs(expiresAt);
      // Not a user's renewal (`stored` unset: a service or OIN token), or one already expired: written (or removed) as `set` does.
      if (typeof held !== 'string' || ttlMs <= 0) {
        await this.set(key, value, { expiresAt }).catch(() => {
          // Redis failed after Okta answered: the token is still good for this process.
        });
        return value;
      }
      const sealed = await this.#cipher.encrypt(value, redisKey);
      // Redis failing here fails the flight, unlike above: its refusal (a sign-out) may be the answer lost, so the
      // credential writes the renewal itself over its own sign-in, which a removal refuses.
      const written = integerReply(await this.#redis.run(['EVAL', replaceIfScript, '1', redisKey, held, sealed, String(ttlMs)]));
      // Refused: removed since the read (signed out: `undefined`, as for a read that fails), or another sign-in written, which the caller judges.
      return written === 1 ? value : await this.#read(key, flight).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      await this.#release(lockKey, owner);
    }
  }

  /**
   * Lets go of the lock if it is still `owner`'s (the one delete-if script: never another's), sent even in a pause
   * after a failure (a write of the token that failed, say): skipped, the lock outlived its flight, and every waiter waited on it.
   * Bounded by `commandTimeoutMs`; never fails.
   */
  #release(lockKey: string, owner: string): Promise<unknown> {
    return this.#redis.run(['EVAL', deleteIfScript, '1', lockKey, owner], { duringPause: true }).catch(() => undefined);
  }

  toJSON(): Record<string, string> {
    return { store: 'redis', prefix: this.#prefix };
  }
}
