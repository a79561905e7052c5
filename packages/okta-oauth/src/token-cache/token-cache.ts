import type { OktaLogger, RequestAttempt } from '@org/okta-auth-core';
import type { AttemptDeadline } from '@org/okta-auth-core/internal';
import { attemptDeadline, emit, waitFor } from '@org/okta-auth-core/internal';
import { boundedStoreCall, defaultStoreTimeoutMs } from './bounded-store.js';
import type { fleetObtain } from './fleet.js';
import { flightBounds, flightsOf, outlast } from './flights.js';
import { heldTokens, type HeldTokens } from './held-tokens.js';
import { isFresh, type Expiring } from './renewal.js';
import { isEntry, refusedEntry } from './store-entry.js';
import type { TokenStoreEntry } from './token-store.js';

/** What the cache needs of a token: a service or OIN app's {@link TokenStoreEntry}, or a user's tokens. @internal */
export interface CachedToken extends Expiring {
  readonly accessToken: string;
  readonly tokenType: 'Bearer' | 'DPoP';
  /** The scopes Okta granted, space separated. */
  readonly scope?: string | undefined;
}

/** Where a cache keeps its entry beyond this process: a `TokenStore`, or a view of a user's storage. @internal */
export interface CacheStore<E> {
  get(key: string): Promise<E | undefined>;
  set(key: string, entry: E): Promise<void>;
  /**
   * Deletes `key`; given the entry `get` answered, only while the store still holds it, in one step
   * of the store, where it can (an `OktaStorage` with `removeIfEqual`; else whatever is there).
   */
  delete(key: string, read?: E): Promise<void>;
  /**
   * `takes` is the cache's rule for an entry it can use (its token type): a store that hands back
   * what another process stored (an `OktaStorage`'s `fresh`) hands back only such an entry.
   */
  singleFlight?(
    key: string,
    obtain: () => Promise<E>,
    /** `now`: the cache's clock, on which a stored entry's freshness is judged (Okta's: `Clock.orgTime`). */
    options: { readonly signal?: AbortSignal | undefined; readonly takes?: ((entry: E) => boolean) | undefined; readonly call?: number | undefined; readonly now?: (() => number) | undefined },
  ): Promise<E>;
}

/** After a renewal failed while the token still had life, early renewals pause this long. */
export const renewalPauseMs = 10_000;

/** Options for {@link TokenCache}. @internal */
export interface TokenCacheOptions<E extends CachedToken = TokenStoreEntry> {
  readonly store: CacheStore<E>;
  readonly key: string;
  /** Its single flight's key among the caches of one store (`key`): caches taking other entries for a key (DPoP `required`, `auto`) never share one. */
  readonly flightKey?: string | undefined;
  /**
   * Obtains a new token: the client credentials grant, or the refresh-token grant on the previous entry (a refused one too): the store's when it
   * holds one, else this process's, so a refresh token another process or tab renewed and stored is spent rather than this process's rotated
   * one (never the later-expiring: each writer's `expiresAt` is on its own clock). Runs at most once at a time per (store, key); never bound to one caller's signal. `within`: the bound of the attempt whose `get` began
   * the flight, which its token request's 429 wait must fit in (`ExecuteOptions.within`); none outside an attempt. `fetch`: that attempt's
   * (`RequestAttempt.fetch`, the transport of the client whose call began the flight; callers that join it share it), which the token
   * request takes when the credential was given no `fetch` of its own; none outside an attempt, from a core without the field, or
   * from an attempt no driver of core began (no `within`: your own code's, whose fetch would get the client's secret and choose the token).
   */
  readonly obtain: (previous: E | undefined, within?: AttemptDeadline, fetch?: typeof globalThis.fetch) => Promise<E>;
  /** The entry this process starts with (a signed-in user's tokens). */
  readonly initial?: E | undefined;
  /** Checks what the store returns; anything else is a corrupt entry, a miss. @default isEntry */
  readonly isEntry?: ((value: unknown) => value is E) | undefined;
  /** The floor of the renewal margin ({@link renewalMarginMs}). @default 60 000 */
  readonly renewalFloorMs?: number | undefined;
  /** False for an entry that cannot be renewed (a user token without a refresh token): used until it expires. */
  readonly renewable?: ((entry: E) => boolean) | undefined;
  /**
   * When a renewal fails with an error this accepts while the current entry has not expired (and was not refused), every
   * caller of that flight gets the current entry, and renewals before expiry pause for {@link renewalPauseMs}. Without it a failed renewal fails its callers.
   */
  readonly keepOnFailure?: ((error: unknown) => boolean) | undefined;
  /** Runs each load (store read, obtain, `onObtained`) exclusively: a Web Lock shared by tabs. */
  readonly exclusive?: (<T>(run: () => Promise<T>) => Promise<T>) | undefined;
  /**
   * Runs inside the flight after a new entry is obtained and kept (not one read from the store): a user's storage write
   * and `onTokens`. If it throws, that flight's callers get the error; the entry stays (held back if it was `hold`).
   */
  readonly onObtained?: ((entry: E) => Promise<void>) | undefined;
  readonly now?: (() => number) | undefined;
  /** Bound on each store `get`/`set`/`delete`, whatever a caller's signal does. @default 1000 */
  readonly storeTimeoutMs?: number | undefined;
  /** The fleet-wide single flight through the store's `singleFlight` ({@link fleetObtain}): service and OIN credentials give it, and a user credential of `@org/okta-oauth` over a storage with one. */
  readonly fleet?: typeof fleetObtain | undefined;
  /** Bound on the store's fleet single flight before this process asks Okta itself. @default 5000 */
  readonly fleetWaitMs?: number | undefined;
  /** Receives `token-store` events when the store fails, hangs or holds a corrupt entry. */
  readonly logger?: OktaLogger | undefined;
}

/**
 * The one token pipeline, for service, OIN and user tokens: a renew-on-read cache, no timers. `get()` returns the token
 * while it is fresh (see {@link renewalMarginMs}), from this process's memory or else the store, and otherwise obtains a
 * new one, single flight: any number of concurrent callers on a cold or expiring cache share one token request (fleet-wide
 * when the store offers `singleFlight`, across tabs with `exclusive`); if it fails they all get the same error, nothing is stored, and the next `get()` tries again.
 *
 * The store is user code and is bounded: every call settles within `storeTimeoutMs` (a caller's signal ends only its
 * wait); a store that throws, hangs or answers garbage counts as a miss or a skipped write, is reported as a `token-store`
 * log event, and the cache goes on in memory. `clear()` (sign-out) ends every wait with what a call after it gets: no flight before it is joined.
 * @internal
 */
export class TokenCache<E extends CachedToken = TokenStoreEntry> {
  declare readonly key: string;
  /** The options but `initial` (a token, kept only in `heldTokens`). */
  readonly #options: Omit<TokenCacheOptions<E>, 'initial'>;
  readonly #store: CacheStore<E>;
  readonly #now: () => number;
  readonly #isEntry: (value: unknown) => value is E;
  /** Its entry in `heldTokens`. */
  get #held(): HeldTokens<E> {
    return heldTokens.get(this) as HeldTokens<E>;
  }
  /** When a renewal last failed while the token still had life. */
  #failedAt: number | undefined;
  /** Bumped by `clear()`: a flight started before it keeps nothing. */
  #generation = 0;

  constructor(options: TokenCacheOptions<E>) {
    const { initial, ...kept } = options;
    this.key = options.key;
    this.#options = kept;
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#isEntry = options.isEntry ?? (isEntry as (value: unknown) => value is E);
    heldTokens.set(this, { local: initial, refused: undefined });
  }

  /**
   * A fresh token, from memory, the store or newly obtained. `signal` only stops this caller's wait. A caller waiting across a `clear()`
   * never gets the cleared session's token: it asks again, as a call after `clear()` does (a user credential answers `LOGIN_REQUIRED`).
   * `attempt`: the API call's attempt that asks (a credential's `authorize(attempt)`): the `token-store` events of a flight it begins carry
   * its `call`, and the flight's token request's 429 wait must fit in its bound (`attemptDeadline`).
   */
  async get(signal?: AbortSignal, attempt?: RequestAttempt): Promise<E> {
    const generation = this.#generation;
    // A usable local token first: a flight still running its onObtained hook holds no one up.
    const entry = this.#usable() ?? (await waitFor(this.#load(attempt, signal), signal));
    // Held back ({@link holdEntry}): handed out once its confirmation resolves.
    const hold = this.#held.hold;
    if (hold?.[0] === entry) await waitFor(hold[1](), signal);
    return generation === this.#generation ? entry : this.get(signal, attempt);
  }

  /** This process's current entry, fresh or not; `undefined` before the first and after `clear()`. */
  peek(): E | undefined {
    return this.#held.local;
  }

  /**
   * Refuses the given token (a 401 `invalid_token` for it, or a forced renewal) and drops it from the store if it is still
   * there, so the next `get()` obtains a new token, with the refused entry as `previous`; a newer token obtained meanwhile
   * is kept (one another process stores between the read and the removal too, when the store compares: `removeIfEqual`).
   * `signal` only stops this caller's wait: the refusal runs to its end (each store call bounded by `storeTimeoutMs`). The
   * token stays refused while it is this cache's entry or the store may still hold it (unread, or its delete failed), and no longer: after `clear()` nothing is kept.
   */
  drop(accessToken: string, signal?: AbortSignal): Promise<void> {
    const held = this.#held;
    held.refused = accessToken;
    // Not the caller's to stop: an aborted refusal still takes the token out of the store.
    const refusal = (async () => {
      const stored = await this.read();
      // Whether the store may still hold it: unread, or its delete failed.
      const stays = stored === null || (stored?.accessToken === accessToken && !(await this.#call('delete', () => this.#store.delete(this.key, stored))).ok);
      // Kept only while it could be handed out again (this cache's entry, or the store's): not one refused after clear() or after a newer entry, which the cache would hold until collected.
      if (!stays && held.refused === accessToken && held.local?.accessToken !== accessToken) held.refused = undefined;
    })();
    return waitFor(refusal, signal);
  }

  /** Forgets this process's entry (sign-out); a flight under way keeps nothing, here or in the store, and no later call joins it. */
  clear(): void {
    const held = this.#held;
    held.local = held.refused = held.hold = undefined;
    this.#generation++;
    flightsOf(this.#store).delete(this.#options.flightKey ?? this.key);
  }

  /** The local entry if a request may use it now without waiting for a renewal. */
  #usable(): E | undefined {
    const { local, refused } = this.#held;
    if (local === undefined || local.accessToken === refused) return undefined;
    const now = this.#now();
    if (isFresh(local, now, this.#options.renewalFloorMs)) return local;
    if (now >= local.expiresAt) return undefined;
    if (this.#options.renewable?.(local) === false) return local;
    return this.#failedAt !== undefined && now - this.#failedAt < renewalPauseMs ? local : undefined;
  }

  /** One store call, bounded by `storeTimeoutMs` alone: no caller's signal stops the cache's own work. */
  #call<T>(operation: 'get' | 'set' | 'delete', run: () => Promise<T>, call?: number) {
    return boundedStoreCall(operation, run, { timeoutMs: this.#options.storeTimeoutMs ?? defaultStoreTimeoutMs, logger: this.#options.logger, call });
  }

  /** The store's entry; `null` when the store could not be read (it failed or hung). Also an OIN credential's `revoke()`'s reading of it. */
  async read(call?: number): Promise<E | undefined | null> {
    const outcome = await this.#call('get', () => this.#store.get(this.key), call);
    if (!outcome.ok) return null;
    if ((outcome.value as unknown) === undefined || (outcome.value as unknown) === null) return undefined;
    if (!this.#isEntry(outcome.value)) {
      emit(this.#options.logger, { type: 'token-store', operation: 'get', outcome: refusedEntry(outcome.value), call });
      return undefined;
    }
    return outcome.value;
  }

  /** Reads the store and, unless it holds a fresh token, obtains one: one flight for every concurrent caller (its events carry the `call` of the attempt that began it). */
  #load(attempt: RequestAttempt | undefined, signal?: AbortSignal, again = true): Promise<E> {
    const pending = flightsOf(this.#store);
    const flight = this.#options.flightKey ?? this.key;
    const existing = pending.get(flight) as Promise<E> | undefined;
    const within = attempt && attemptDeadline(attempt);
    const load = () => this.#load(attempt, signal, false);
    const { exclusive, fleet } = this.#options;
    // A flight joined (another cache's, on a shared store) may hand back the token this one refused, read before its drop, or fail RATE_LIMITED for the bound of the attempt that began it, one this caller's (its `signal` not fired) could outlast (`outlast`): asked `again`, once.
    if (existing !== undefined) {
      fleet?.join(existing, signal);
      return again ? existing.then((entry) => (entry.accessToken === this.#held.refused ? load() : entry), (error: unknown) => outlast(existing, within, signal, error, load)) : existing;
    }
    // With a fleet: fires once no caller waits (each one's signal fired, counted by the fleet's `join`), ending the store's wait for another process.
    const gone = fleet && new AbortController();
    const renew = () => this.#renew(attempt, gone?.signal);
    // Not the flight of a call after a clear() that forgot this one, nor one nobody waits for: a later call starts its own.
    const forget = () => pending.get(flight) === promise && pending.delete(flight);
    const promise = (async () => (exclusive === undefined ? renew() : exclusive(renew)))().finally(forget);
    pending.set(flight, promise);
    flightBounds.set(promise, within);
    gone?.signal.addEventListener('abort', forget);
    fleet?.join(promise, signal, gone);
    return promise;
  }

  /** Whether a token from the store (read, or handed back by the fleet) may be used: fresh, and not the one refused. */
  #takes(entry: E): boolean {
    return entry.accessToken !== this.#held.refused && isFresh(entry, this.#now(), this.#options.renewalFloorMs);
  }

  /** `gone`: fires once no caller waits for this renewal (a cache with a fleet). */
  async #renew(attempt: RequestAttempt | undefined, gone?: AbortSignal): Promise<E> {
    const generation = this.#generation;
    const read = await this.read(attempt?.call);
    // Cleared (signed out) during the read: what was read counts for nothing.
    const stored = generation === this.#generation ? (read ?? undefined) : undefined;
    const held = this.#held;
    if (stored !== undefined && this.#takes(stored)) {
      held.local = stored;
      return stored;
    }
    const { local } = held;
    let entry: E;
    try {
      // The store's entry: another writer's renewal (with refresh-token rotation, ours is then spent), never ordered by `expiresAt`
      // (each writer's own clock: a renewal stored by a host whose clock is behind looked older). A user's view reads nothing while
      // this credential's own write lags (its older tokens); a service token's grant renews from nothing.
      entry = await this.#obtainOnce(stored ?? local, generation, attempt, gone);
    } catch (error) {
      // Renewing early failed for a passing reason, but the token still has life: use it.
      const alive = local !== undefined && local.accessToken !== held.refused && this.#now() < local.expiresAt;
      if (!alive || this.#options.keepOnFailure?.(error) !== true) throw error;
      this.#failedAt = this.#now();
      return local;
    }
    this.#failedAt = undefined;
    if (generation === this.#generation) held.local = entry;
    await this.#options.onObtained?.(entry);
    return entry;
  }

  /** One token request for this key: fleet-wide through the store when it can, else here. */
  async #obtainOnce(previous: E | undefined, generation: number, attempt: RequestAttempt | undefined, gone?: AbortSignal): Promise<E> {
    const store = this.#store;
    let started: Promise<E> | undefined;
    // Only an attempt a driver of core began (its bound recorded) lends its fetch: one your code made carries a fetch of its own choosing.
    const within = attempt && attemptDeadline(attempt);
    const obtain = (): Promise<E> => (started ??= this.#options.obtain(previous, within, within && attempt.fetch));
    const shared = await this.#options.fleet?.(store, this.key, obtain, this.#isEntry, { ...this.#options, call: attempt?.call, signal: gone });
    // The fleet hands back what the store holds: never the token this cache refused (the store's
    // delete may have failed) nor a stale one; then this process asks Okta itself, unless nobody waits.
    if (shared !== undefined && this.#takes(shared)) return shared;
    gone?.throwIfAborted();
    const entry = await obtain();
    // Cleared (signed out) meanwhile: the token is not stored for the next caller.
    if (generation === this.#generation) await this.#call('set', () => store.set(this.key, entry), attempt?.call);
    return entry;
  }
}
