import { waitFor } from '../internal/abort.js';
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

/**
 * The cache key for one token: token endpoint, client id, sorted scopes, DPoP key thumbprint
 * (or `bearer`). Contains no secret. Versioned so a shared store survives format changes.
 * @internal
 */
export function tokenCacheKey(parts: { readonly tokenEndpoint: string; readonly clientId: string; readonly scopes: readonly string[]; readonly dpopJkt?: string | undefined }): string {
  const scopes = [...new Set(parts.scopes)].sort().join(' ');
  return ['okta-oauth:v1', parts.tokenEndpoint, parts.clientId, scopes, parts.dpopJkt ?? 'bearer'].map(encodeURIComponent).join('|');
}

/** In-flight token requests, per store and key, shared by every credential using that store. */
const inFlight = new WeakMap<TokenStore, Map<string, Promise<TokenStoreEntry>>>();

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
}

/**
 * A renew-on-read token cache: no timers. `get()` returns the stored token while it is fresh
 * (see {@link renewalMarginMs}) and otherwise obtains a new one, single flight: any number of
 * concurrent callers on a cold or expiring cache share one token request; if it fails they all
 * get the same error, nothing is stored, and the next `get()` tries again. A failing store
 * never blocks a request (reads count as misses, writes are skipped).
 * @internal
 */
export class TokenCache {
  readonly key: string;
  readonly #store: TokenStore;
  readonly #obtain: TokenCacheOptions['obtain'];
  readonly #now: () => number;

  constructor(options: TokenCacheOptions) {
    this.key = options.key;
    this.#store = options.store;
    this.#obtain = options.obtain;
    this.#now = options.now ?? Date.now;
  }

  /** A fresh token, from the store or newly obtained. `signal` only stops this caller's wait. */
  async get(signal?: AbortSignal): Promise<TokenStoreEntry> {
    const pending = this.#pending().get(this.key);
    if (pending !== undefined) return waitFor(pending, signal);
    const stored = await this.#read();
    if (stored !== undefined && isFresh(stored, this.#now())) return stored;
    return waitFor(this.#renew(stored), signal);
  }

  /**
   * Drops the stored token if it is still the given one (a 401 `invalid_token` for it), so
   * the next `get()` obtains a new token; a newer token obtained meanwhile is kept.
   */
  async drop(accessToken: string): Promise<void> {
    const stored = await this.#read();
    if (stored?.accessToken === accessToken) {
      try {
        await this.#store.delete(this.key);
      } catch {
        // a failing shared store: the token expires on its own
      }
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

  async #read(): Promise<TokenStoreEntry | undefined> {
    try {
      return await this.#store.get(this.key);
    } catch {
      return undefined;
    }
  }

  #renew(previous: TokenStoreEntry | undefined): Promise<TokenStoreEntry> {
    const pending = this.#pending();
    const existing = pending.get(this.key);
    if (existing !== undefined) return existing;
    const promise = (async () => {
      try {
        const entry = await this.#obtain(previous);
        try {
          await this.#store.set(this.key, entry);
        } catch {
          // the token is still good for this process
        }
        return entry;
      } finally {
        pending.delete(this.key);
      }
    })();
    pending.set(this.key, promise);
    return promise;
  }
}
