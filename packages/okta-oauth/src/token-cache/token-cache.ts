import type { OktaLogger } from '@org/okta-auth-core';
import type { ClientAuthentication } from '../client-auth/client-auth.js';
import { emit, waitFor } from '@org/okta-auth-core/internal';
import { randomId } from '../internal/random.js';
import { boundedStoreCall, defaultStoreTimeoutMs } from './bounded-store.js';
import type { TokenStore, TokenStoreEntry } from './token-store.js';

/** Renew no later than this long before expiry. */
export const renewalFloorMs = 60_000;
/** …or this share of the lifetime, whichever is longer… */
export const renewalShare = 0.1;
/** …but never earlier than half-way through the lifetime, so short-lived tokens are still reused. */
export const renewalCap = 0.5;

/**
 * How long before `expiresAt` a token is renewed: `max(60 s, 10% of its lifetime)`, capped at
 * half the lifetime. A one-hour Okta token is renewed after 54 minutes; a 5-minute one after
 * 4; a 60-second one after 30. The floor covers clock drift between this host and Okta plus a
 * slow request in flight; the share grows with the lifetime so one bad renewal attempt still
 * leaves time for another; the cap keeps a short-lived token from being renewed on every use.
 * @internal
 */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(Math.max(renewalFloorMs, lifetimeMs * renewalShare), lifetimeMs * renewalCap);
}

/** True when the entry can be used for a request starting now. @internal */
export function isFresh(entry: TokenStoreEntry, nowMs: number): boolean {
  return nowMs < entry.expiresAt - renewalMarginMs(entry.lifetimeMs);
}

/** The parts of a token cache key. @internal */
export interface TokenCacheKeyParts {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /**
   * Names the client authentication without revealing it (see `ClientAuthentication.binding`):
   * two credentials with the same client id but a different secret or key never share a token.
   */
  readonly clientBinding: string;
  readonly scopes: readonly string[];
  readonly dpopJkt?: string | undefined;
}

/**
 * The cache key for one token: token endpoint (so the org), client id, client authentication
 * binding (a keyed hash of the secret or the key's thumbprint), sorted scopes, DPoP key
 * thumbprint (or `bearer`). Contains no secret. Versioned so a shared store survives format
 * changes (v1 keys, which lacked the binding, are never read).
 * @internal
 */
export function tokenCacheKey(parts: TokenCacheKeyParts): string {
  const scopes = [...new Set(parts.scopes)].sort().join(' ');
  return ['okta-oauth:v2', parts.tokenEndpoint, parts.clientId, parts.clientBinding, scopes, parts.dpopJkt ?? 'bearer'].map(encodeURIComponent).join('|');
}

/**
 * The client binding of a cache key: the client authentication's own (a keyed hash of the
 * secret, the public key's thumbprint), or, where none can be derived (a non-extractable
 * `CryptoKey`), a random value unique to this credential, so it never shares a token.
 * @internal
 */
export async function tokenCacheBinding(clientAuth: Pick<ClientAuthentication, 'method' | 'binding'>): Promise<string> {
  const binding = await clientAuth.binding?.().catch(() => undefined);
  return `${clientAuth.method}:${binding ?? `local-${randomId()}`}`;
}

/** In-flight token requests, per store and key, shared by every credential using that store. */
const inFlight = new WeakMap<TokenStore, Map<string, Promise<TokenStoreEntry>>>();

/** How long a fleet-wide single flight may keep this process waiting before it asks Okta itself. */
export const defaultFleetWaitMs = 5000;

/** Options for {@link TokenCache}. @internal */
export interface TokenCacheOptions {
  readonly store: TokenStore;
  readonly key: string;
  /**
   * Obtains a new token. Gets the previous entry (for a refresh-token grant) when there was one.
   * Runs at most once at a time per (store, key); never bound to one caller's signal.
   */
  readonly obtain: (previous: TokenStoreEntry | undefined) => Promise<TokenStoreEntry>;
  readonly now?: (() => number) | undefined;
  /** Bound on each store `get`/`set`/`delete`. @default 1000 */
  readonly storeTimeoutMs?: number | undefined;
  /** Bound on the store's fleet single flight before this process asks Okta itself. @default 5000 */
  readonly fleetWaitMs?: number | undefined;
  /** Receives `token-store` events when the store fails, hangs or holds a corrupt entry. */
  readonly logger?: OktaLogger | undefined;
}

/** A store answer that is not a usable entry (a corrupted or foreign value) counts as a miss. @internal */
export function isEntry(value: unknown): value is TokenStoreEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<Record<keyof TokenStoreEntry, unknown>>;
  return (
    typeof entry.accessToken === 'string' &&
    entry.accessToken !== '' &&
    (entry.tokenType === 'Bearer' || entry.tokenType === 'DPoP') &&
    typeof entry.expiresAt === 'number' &&
    Number.isFinite(entry.expiresAt) &&
    typeof entry.lifetimeMs === 'number' &&
    entry.lifetimeMs > 0 &&
    Number.isFinite(entry.lifetimeMs)
  );
}

/** Marks a failure of `obtain` (Okta's answer) apart from a failure of the store. */
class ObtainFailed extends Error {
  constructor(readonly error: unknown) {
    super('obtain failed');
  }
}

/**
 * A renew-on-read token cache: no timers. `get()` returns the token while it is fresh (see
 * {@link renewalMarginMs}), from this process's memory or else the store, and otherwise
 * obtains a new one, single flight: any number of concurrent callers on a cold or expiring
 * cache share one token request (fleet-wide when the store offers `singleFlight`); if it fails
 * they all get the same error, nothing is stored, and the next `get()` tries again.
 *
 * The store is user code and is bounded: every call settles within `storeTimeoutMs` (and the
 * caller's signal); a store that throws, hangs or answers garbage counts as a miss or a skipped
 * write, is reported as a `token-store` log event, and the cache goes on in memory.
 * @internal
 */
export class TokenCache {
  readonly key: string;
  readonly #store: TokenStore;
  readonly #obtain: TokenCacheOptions['obtain'];
  readonly #now: () => number;
  readonly #storeTimeoutMs: number;
  readonly #fleetWaitMs: number;
  readonly #logger: OktaLogger | undefined;
  /** This process's copy: used first, and all there is while the store is failing. */
  #local: TokenStoreEntry | undefined;

  constructor(options: TokenCacheOptions) {
    this.key = options.key;
    this.#store = options.store;
    this.#obtain = options.obtain;
    this.#now = options.now ?? Date.now;
    this.#storeTimeoutMs = options.storeTimeoutMs ?? defaultStoreTimeoutMs;
    this.#fleetWaitMs = options.fleetWaitMs ?? defaultFleetWaitMs;
    this.#logger = options.logger;
  }

  /** A fresh token, from memory, the store or newly obtained. `signal` only stops this caller's wait. */
  async get(signal?: AbortSignal): Promise<TokenStoreEntry> {
    const pending = this.#pending().get(this.key);
    if (pending !== undefined) return waitFor(pending, signal);
    const local = this.#local;
    if (local !== undefined && isFresh(local, this.#now())) return local;
    return waitFor(this.#load(local), signal);
  }

  /**
   * Drops the stored token if it is still the given one (a 401 `invalid_token` for it), so
   * the next `get()` obtains a new token; a newer token obtained meanwhile is kept.
   */
  async drop(accessToken: string): Promise<void> {
    if (this.#local?.accessToken === accessToken) this.#local = undefined;
    const stored = await this.#read(undefined);
    if (stored?.accessToken === accessToken) {
      await this.#call('delete', () => this.#store.delete(this.key), this.#storeTimeoutMs);
    }
  }

  #pending(): Map<string, Promise<TokenStoreEntry>> {
    let map = inFlight.get(this.#store);
    if (map === undefined) {
      map = new Map();
      inFlight.set(this.#store, map);
    }
    return map;
  }

  #call<T>(operation: 'get' | 'set' | 'delete' | 'single-flight', run: () => Promise<T>, timeoutMs: number, signal?: AbortSignal) {
    return boundedStoreCall(operation, run, { timeoutMs, signal, logger: this.#logger });
  }

  async #read(signal: AbortSignal | undefined): Promise<TokenStoreEntry | undefined> {
    const outcome = await this.#call('get', () => this.#store.get(this.key), this.#storeTimeoutMs, signal);
    if (!outcome.ok || (outcome.value as unknown) === undefined || (outcome.value as unknown) === null) return undefined;
    if (!isEntry(outcome.value)) {
      emit(this.#logger, { type: 'token-store', operation: 'get', outcome: 'corrupt' });
      return undefined;
    }
    return outcome.value;
  }

  /**
   * Reads the store and, unless it holds a fresh token, obtains one: shared by every
   * concurrent caller, so a cold process reads the store once, not once per caller.
   */
  #load(local: TokenStoreEntry | undefined): Promise<TokenStoreEntry> {
    const pending = this.#pending();
    const existing = pending.get(this.key);
    if (existing !== undefined) return existing;
    const promise = (async () => {
      try {
        const stored = await this.#read(undefined);
        if (stored !== undefined && isFresh(stored, this.#now())) {
          this.#local = stored;
          return stored;
        }
        const entry = await this.#obtainOnce(stored ?? local);
        this.#local = entry;
        return entry;
      } finally {
        pending.delete(this.key);
      }
    })();
    pending.set(this.key, promise);
    return promise;
  }

  /** One token request for this key: fleet-wide through the store when it can, else here. */
  async #obtainOnce(previous: TokenStoreEntry | undefined): Promise<TokenStoreEntry> {
    const store = this.#store;
    let started: Promise<TokenStoreEntry> | undefined;
    const obtain = (): Promise<TokenStoreEntry> => (started ??= this.#obtain(previous));
    if (store.singleFlight !== undefined) {
      const fleet = store.singleFlight.bind(store);
      const run = () => fleet(this.key, () => obtain().catch((error: unknown) => Promise.reject(new ObtainFailed(error))), {}).catch((error: unknown) => {
        if (error instanceof ObtainFailed) return error;
        throw error;
      });
      const outcome = await this.#call('single-flight', run, this.#fleetWaitMs);
      if (outcome.ok && outcome.value instanceof ObtainFailed) throw outcome.value.error;
      if (outcome.ok && isEntry(outcome.value)) return outcome.value;
      if (outcome.ok) emit(this.#logger, { type: 'token-store', operation: 'single-flight', outcome: 'corrupt' });
      // The store failed or kept us waiting too long: ask Okta (or finish the request already made).
      const entry = await obtain();
      await this.#call('set', () => store.set(this.key, entry), this.#storeTimeoutMs);
      return entry;
    }
    const entry = await obtain();
    await this.#call('set', () => store.set(this.key, entry), this.#storeTimeoutMs);
    return entry;
  }
}
