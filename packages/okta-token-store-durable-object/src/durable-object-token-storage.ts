import { abortableSleep, abortError, maxTimerMs, randomId, sha256Base64url } from '@org/okta-auth-core/internal';
import type { OktaStorage, SingleFlightOptions, StorageSetOptions } from '@org/okta-oauth';
import { OktaDurableObjectStoreError } from './errors.js';
import { callObject, type Answer } from './object-call.js';
import { checkOptions, maxDurationMs, type CheckedOptions, type DurableObjectTokenStorageOptions } from './options.js';
import { maxValueChars, type Operation } from './protocol.js';

type Obtain = () => Promise<{ readonly value: string; readonly expiresAt: number }>;

/**
 * An {@link OktaStorage} on one {@link OktaTokenStoreObject}, shared by every isolate of your
 * Worker that binds its namespace: service, OIN and user tokens alike, with `removeIfEqual`,
 * `replaceIfEqual` and a fleet-wide `singleFlight` (a lease per key, held in the object, with an
 * expiry; waiters poll, bounded). Each call is one step of the object, bounded by `timeoutMs`:
 * an object that does not answer is an error the credential turns into a miss, so requests go on
 * with the in-isolate cache.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createDurableObjectTokenStorage, type DurableObjectNamespaceLike } from '@org/okta-token-store-durable-object';
 *
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * declare const options: ServiceAppCredentialOptions;
 * const tokenStore = createDurableObjectTokenStorage({ namespace: env.OKTA_TOKENS });
 * const credential = createServiceAppCredential({ ...options, tokenStore });
 * ```
 * @see https://developers.cloudflare.com/durable-objects/best-practices/access-durable-objects-from-a-worker/
 */
export function createDurableObjectTokenStorage(options: DurableObjectTokenStorageOptions): OktaStorage {
  return new DurableObjectTokenStorage(checkOptions(options));
}

class DurableObjectTokenStorage implements OktaStorage {
  readonly #options: CheckedOptions;
  readonly #id: unknown;
  /** A little more than the bound on one call here, so this storage's own error, not the credential's timer, decides. */
  readonly timeoutMs: number;

  constructor(options: CheckedOptions) {
    this.#options = options;
    this.#id = options.namespace.idFromName(options.objectName);
    this.timeoutMs = options.timeoutMs + 50;
  }

  /** One request to the object (`callObject`), bounded by `timeoutMs` and `signal`. */
  #call(operation: Operation, body: Answer, signal?: AbortSignal): Promise<Answer> {
    return callObject(this.#options.namespace, this.#id, this.#options.timeoutMs, operation, body, signal);
  }

  /** The wire key: a SHA-256 of the storage key (the object never hashes: see protocol.ts). */
  #key(key: string): Promise<string> {
    return sha256Base64url(key);
  }

  /** An entry's expiry: `expiresAt` (at most a year ahead), the store's default without one. */
  #expiry(expiresAt: number | undefined): number {
    const now = Date.now();
    return expiresAt !== undefined && Number.isFinite(expiresAt) ? Math.min(expiresAt, now + maxDurationMs) : now + this.#options.defaultTtlMs;
  }

  #value(value: string): string {
    if (value.length > maxValueChars) throw new OktaDurableObjectStoreError('LIMIT_EXCEEDED', `A value of ${value.length} characters is over the token store's ${maxValueChars}.`);
    return value;
  }

  async get(key: string): Promise<string | undefined> {
    const { value } = await this.#call('get', { k: await this.#key(key) });
    return typeof value === 'string' ? value : undefined;
  }

  async set(key: string, value: string, options?: StorageSetOptions): Promise<void> {
    await this.#call('set', { k: await this.#key(key), v: this.#value(value), e: this.#expiry(options?.expiresAt) });
  }

  async remove(key: string): Promise<void> {
    await this.#call('remove', { k: await this.#key(key) });
  }

  /** Deletes the entry only while it holds `value`, in one step of the object: an entry written meanwhile stays, and this answers `false`. */
  async removeIfEqual(key: string, value: string): Promise<boolean> {
    return (await this.#call('removeIfEqual', { k: await this.#key(key), v: this.#value(value) })).done === true;
  }

  /** Stores `value` only while the entry holds `expected`, in one step of the object, with `set`'s expiry; answers whether it wrote. */
  async replaceIfEqual(key: string, expected: string, value: string, options?: StorageSetOptions): Promise<boolean> {
    const answer = await this.#call('replaceIfEqual', { k: await this.#key(key), x: this.#value(expected), v: this.#value(value), e: this.#expiry(options?.expiresAt) });
    return answer.done === true;
  }

  /**
   * One token request per key across the isolates: the key's lease in the object (extended while
   * `obtain` runs, expiring if this isolate dies), a bounded poll for another holder's result. With
   * `options.stored`, the lease's answer says which write the key holds: none, and it resolves
   * `undefined` without calling `obtain` (signed out); else `obtain`'s value is written only while
   * the key still holds that write (a removal or another write since refuses it), and it answers
   * what the key holds then (`undefined`: removed); that write failing or its answer lost rejects
   * (the credential then writes its renewal over its own sign-in, which a removal refuses).
   */
  async singleFlight(key: string, obtain: Obtain, options: SingleFlightOptions): Promise<string | undefined> {
    const k = await this.#key(key);
    const { leaseTtlMs: ttl, maxWaitMs } = this.#options;
    const fresh = (value: unknown) => this.#fresh(value, options);
    const owner = randomId(16);
    // On the monotonic clock, as core's bounds.
    const deadline = performance.now() + maxWaitMs;
    for (let poll = 10; ; ) {
      // Its signal fired (no caller waits, or the credential stopped waiting): no lease taken, no token renewed for nobody.
      if (options.signal?.aborted) throw abortError(options.signal);
      // Not aborted on its way (its answer, a lease granted, would be lost and held for nobody until it expired): bounded by timeoutMs.
      const taken = await this.#call('acquire', { k, o: owner, ttl });
      if (taken.ours === true && options.signal?.aborted) {
        await this.#call('release', { k, o: owner }).catch(() => undefined);
        throw abortError(options.signal);
      }
      if (taken.ours === true) return this.#holdAndObtain(k, owner, taken, obtain, options);
      const ready = fresh(taken.value);
      if (ready !== undefined) return ready;
      // Another isolate is asking Okta: wait for its result, bounded.
      while (performance.now() < deadline) {
        await abortableSleep(poll, options.signal);
        poll = Math.min(poll * 2, 100);
        const seen = await this.#call('peek', { k }, options.signal);
        const value = fresh(seen.value);
        if (value !== undefined) return value;
        if (seen.leased !== true) break; // the holder finished, gave up or died: take over
      }
      if (performance.now() >= deadline) throw new OktaDurableObjectStoreError('FLEET_WAIT_EXCEEDED', `Waited ${maxWaitMs} ms for another isolate's token request; asking Okta directly.`);
    }
  }

  /** A stored value the credential may still hand out (`options.fresh`), else `undefined`. */
  #fresh(value: unknown, options: SingleFlightOptions): string | undefined {
    return typeof value === 'string' && (options.fresh?.(value) ?? true) ? value : undefined;
  }

  async #holdAndObtain(k: string, owner: string, taken: Answer, obtain: Obtain, options: SingleFlightOptions): Promise<string | undefined> {
    const release = () => this.#call('release', { k, o: owner }).then(() => undefined, () => undefined);
    const stored = options.stored === true;
    // A user's renewal with nothing stored: signed out, no token request.
    if (stored && typeof taken.held !== 'string') return release().then(() => undefined);
    // Another isolate may have finished between our last look and our lease.
    const already = this.#fresh(taken.value, options);
    if (already !== undefined) return release().then(() => already);
    const ttl = this.#options.leaseTtlMs;
    const heartbeat = setInterval(() => void this.#call('extend', { k, o: owner, ttl }).catch(() => undefined), Math.min(maxTimerMs, Math.max(50, Math.floor(ttl / 3))));
    let completed = false;
    try {
      const { value, expiresAt } = await obtain();
      let done: Answer;
      try {
        done = await this.#call('complete', { k, o: owner, v: this.#value(value), e: this.#expiry(expiresAt), ...(stored ? { held: taken.held } : {}) });
        completed = true;
      } catch (error) {
        // The store failed after Okta answered: a service token is still good for this isolate. A user's renewal fails the
        // flight: a refused write's answer may be what was lost (signed out meanwhile), so the credential writes it itself.
        if (stored) throw error;
        return value;
      }
      if (done.written === true) return value;
      // Refused: removed since the lease's read (signed out: `undefined`), or another sign-in written, which the caller judges.
      return typeof done.value === 'string' ? done.value : undefined;
    } finally {
      clearInterval(heartbeat);
      if (!completed) await release();
    }
  }

  toJSON(): Record<string, string> {
    return { store: 'durable-object', objectName: this.#options.objectName };
  }
}
