import { checkCount, maxKept } from '@org/okta-auth-core/internal';
import { configError, readOptions } from '../errors.js';
/**
 * One cached access token, as a {@link TokenStore} holds it. Plain data (JSON-safe), so a store
 * shared between processes can serialise it. It never holds a private key: a DPoP-bound token
 * records only the thumbprint (`dpopJkt`) of the key it is bound to.
 *
 * @example
 * ```ts
 * const entry: TokenStoreEntry = {
 *   accessToken: 'eyJraWQiOi…',
 *   tokenType: 'DPoP',
 *   expiresAt: Date.now() + 3_600_000,
 *   lifetimeMs: 3_600_000,
 *   scope: 'okta.users.read',
 *   dpopJkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export interface TokenStoreEntry {
  /** The access token itself: a store must treat it as a secret. */
  readonly accessToken: string;
  /** How to present it: `Authorization: Bearer …` or `Authorization: DPoP …` plus a proof. */
  readonly tokenType: 'Bearer' | 'DPoP';
  /**
   * When it expires, epoch milliseconds on Okta's clock as the process that obtained it knew it (its own clock corrected by
   * its token answer's `Date`), the clock every credential judges it on: hosts whose clocks disagree agree on it.
   */
  readonly expiresAt: number;
  /** Its full lifetime (`expires_in`) in milliseconds; the renewal margin is a share of it. */
  readonly lifetimeMs: number;
  /** The scopes Okta granted, space separated, when it said. */
  readonly scope?: string | undefined;
  /** For DPoP-bound tokens: the RFC 7638 thumbprint of the DPoP public key (`cnf.jkt`). */
  readonly dpopJkt?: string | undefined;
  /** For user tokens: the refresh token (a secret). Service apps never get one. */
  readonly refreshToken?: string | undefined;
}

/**
 * Where access tokens are cached. Async so that a store shared between processes (Redis,
 * a database) can implement it; the default is in memory, per process.
 *
 * Keys come from the credential (token endpoint, client id, sorted scopes, DPoP key
 * thumbprint) and never contain a secret. Values do: encrypt them at rest in a shared store.
 *
 * A DPoP-bound token is usable only by the process that holds its DPoP private key (keys are
 * non-extractable and never stored), and the key thumbprint is part of the cache key, so in a
 * shared store each process caches its own DPoP-bound token: sharing saves token requests for
 * Bearer tokens only (unless every process is given the same `dpopKeyPair`). A store must
 * tolerate concurrent `set` of the same key (last write wins).
 *
 * Calls are bounded: each `get`/`set`/`delete` that takes longer than a second, throws, or
 * returns something that is not an entry counts as a miss (or a skipped write), is reported to
 * the transport's `logger` as a `token-store` event, and the credential goes on with its own
 * in-process copy.
 *
 * @example
 * ```ts
 * const redisStore: TokenStore = {
 *   async get(key) {
 *     const text = await redis.get(key);
 *     return text === null ? undefined : JSON.parse(text);
 *   },
 *   async set(key, entry) {
 *     await redis.set(key, JSON.stringify(entry), { PXAT: entry.expiresAt });
 *   },
 *   async delete(key) {
 *     await redis.del(key);
 *   },
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface TokenStore {
  /** The entry for `key`, or `undefined`. */
  get(key: string): Promise<TokenStoreEntry | undefined>;
  /** Stores the entry for `key` until `entry.expiresAt`. */
  set(key: string, entry: TokenStoreEntry): Promise<void>;
  /** Forgets the entry for `key` (a token Okta refused). */
  delete(key: string): Promise<void>;
  /**
   * Optional: one token request per key across every process sharing the store. Runs
   * `obtain` (which asks Okta) at most once fleet-wide at a time and gives every process its
   * result, storing it under `key`. The credential bounds the wait (5 s by default) and then
   * asks Okta itself; an error from `obtain` must reach the caller as itself.
   */
  singleFlight?(key: string, obtain: () => Promise<TokenStoreEntry>, options: { readonly signal?: AbortSignal | undefined }): Promise<TokenStoreEntry>;
}

/**
 * Options of {@link createMemoryTokenStore}.
 *
 * @example
 * ```ts
 * const options: MemoryTokenStoreOptions = { maxEntries: 100 };
 * const tokenStore = createMemoryTokenStore(options);
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface MemoryTokenStoreOptions {
  /** How many entries the store holds before it drops the oldest write: a whole number from 1 to 1,000,000 (a finite bound on memory), default 1,000; else `INVALID_CONFIG`. */
  readonly maxEntries?: number | undefined;
}

/**
 * The default {@link TokenStore}: a per-process `Map`, with expired entries dropped on read
 * and, past `maxEntries` (a whole number from 1 to 1,000,000, default 1,000; else `INVALID_CONFIG`), the oldest entries dropped on write. Values live in
 * a map outside the instance, so the store itself prints no token (nor shows one in a V8 inspector).
 *
 * @example
 * ```ts
 * const tokenStore = createMemoryTokenStore();
 * declare const optionsA: ServiceAppCredentialOptions, optionsB: ServiceAppCredentialOptions; // two apps
 * const a = createServiceAppCredential({ ...optionsA, tokenStore });
 * const b = createServiceAppCredential({ ...optionsB, tokenStore });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export function createMemoryTokenStore(options?: MemoryTokenStoreOptions): TokenStore {
  // NaN or a string would silently keep every entry, 1e12 as good as: the bound must be a real one.
  const maxEntries = checkCount(readOptions(options, 'createMemoryTokenStore(options)').maxEntries, 'maxEntries', 1000, [1, maxKept], configError, 'tokens createMemoryTokenStore keeps in memory');
  return new MemoryTokenStore(maxEntries);
}

/**
 * Each store's entries, outside the instance: a private field is shown by a V8 inspector (Chromium's
 * console, DevTools, workerd's inspector) with its tokens, where a WeakMap entry is not an own state.
 */
const storeEntries = new WeakMap<MemoryTokenStore, Map<string, TokenStoreEntry>>();

function entriesOf(store: MemoryTokenStore): Map<string, TokenStoreEntry> {
  const entries = storeEntries.get(store);
  if (entries === undefined) throw new TypeError('This object is not a token store: make one with createMemoryTokenStore().');
  return entries;
}

/**
 * The memory store of {@link createMemoryTokenStore} for a bound already checked (a credential's own
 * store of its few keys): a bundle that never calls the export carries neither its check nor its message.
 * @internal
 */
export class MemoryTokenStore implements TokenStore {
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
    storeEntries.set(this, new Map());
  }

  get(key: string): Promise<TokenStoreEntry | undefined> {
    const entries = entriesOf(this);
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry);
  }

  set(key: string, entry: TokenStoreEntry): Promise<void> {
    const entries = entriesOf(this);
    entries.delete(key);
    entries.set(key, entry);
    while (entries.size > this.#maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    entriesOf(this).delete(key);
    return Promise.resolve();
  }

  toJSON(): Record<string, number> {
    return { entries: entriesOf(this).size };
  }
}
