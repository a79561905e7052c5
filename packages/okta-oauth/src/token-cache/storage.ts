import { isFresh } from './renewal.js';
import type { CacheStore } from './token-cache.js';
import { isEntry } from './store-entry.js';
import type { SingleFlightOptions } from './single-flight-options.js';
import type { TokenStore, TokenStoreEntry } from './token-store.js';

export type { SingleFlightOptions } from './single-flight-options.js';

/**
 * Options of {@link OktaStorage.set}.
 * @example
 * ```ts
 * const options: StorageSetOptions = { expiresAt: Date.now() + 3_600_000 };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
 */
export interface StorageSetOptions {
  /**
   * When the value is worthless (a token's expiry, on Okta's clock as the credential knows it; a sign-in transaction's age and
   * `clockSkewSeconds` after it started, on the host's), epoch ms: a store with TTLs should expire it then (on a host ahead of
   * Okta's clock a token's entry then goes that much early: renewed early, never used late).
   */
  readonly expiresAt?: number | undefined;
}

/**
 * The one storage contract of this package: a small string key-value store, sync or async,
 * used for service and OIN app tokens (`tokenStore`), sign-in transactions and user tokens
 * (`storage`). One adapter (Web Storage, a server session, Redis, a keychain) serves them all.
 *
 * Keys never contain a secret; values do (tokens, PKCE verifiers): encrypt them at rest in a
 * shared store. Every call is bounded by the credential (1 s by default): a store that hangs
 * or throws is reported as a `token-store` log event and the credential goes on in memory.
 *
 * `singleFlight` is optional: a store shared between processes can offer one token request
 * per key across the fleet (see `@org/okta-token-store-redis`).
 *
 * @example
 * ```ts
 * const redisStorage: OktaStorage = {
 *   get: (key) => redis.get(key),
 *   set: async (key, value, options) => {
 *     await redis.set(key, value, options?.expiresAt === undefined ? { EX: 600 } : { PXAT: options.expiresAt });
 *   },
 *   remove: async (key) => {
 *     await redis.del(key);
 *   },
 * };
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export interface OktaStorage {
  /**
   * The value stored under `key`; `null` or `undefined` when there is none (or it expired). Called with the key alone,
   * so a client's own `get` may be passed as is (`redis.get.bind(redis)`).
   */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Stores `value` under `key`, replacing any; a store with TTLs expires it at `options.expiresAt`. */
  set(key: string, value: string, options?: StorageSetOptions): void | Promise<void>;
  /** Deletes `key` (sign-out, a rejected token); removing a missing key is not an error. */
  remove(key: string): void | Promise<void>;
  /**
   * Optional: deletes `key` only if it still holds `value`, as one step of the store (no other
   * writer between the comparison and the deletion), and answers whether it deleted. A user
   * credential's sign-out reads the key, decides whether it holds the signed-out sign-in's tokens,
   * then removes them; the undo of a write that landed after sign-out removes only what that
   * write wrote. With this method the removal is of the text just read: a new sign-in written
   * meanwhile (another tab, another process on a shared store) stays. Without it the credential
   * calls `remove()` after its read, and a write landing between the two (the window of one
   * storage call) is removed. A service or OIN credential's `tokenStore` drops a token Okta
   * refused the same way: a newer token another process stored meanwhile stays.
   *
   * `value` is what `get` returned (plaintext): a store that encrypts compares it with its
   * decrypted current value and deletes only that exact stored form. Bounded and reported as
   * `get`, `set` and `remove` are: a failure or timeout fails the removal as `remove()`'s would.
   * @example
   * ```ts
   * // Web Storage (as createWebStorage does): a synchronous read and removal, in one task:
   * //   removeIfEqual: (key, value) => storage.getItem(key) === value && (storage.removeItem(key), true),
   * // Redis (node-redis; values stored as given): the comparison and the DEL are one script.
   * declare const redis: { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
   * const script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
   * const removeIfEqual: NonNullable<OktaStorage['removeIfEqual']> = async (key, value) => (await redis.eval(script, { keys: [key], arguments: [value] })) === 1;
   * ```
   */
  removeIfEqual?(key: string, value: string): boolean | Promise<boolean>;
  /**
   * Optional, for a store that can hold what it cannot read (an encrypting store's entry sealed
   * under a key it no longer holds, or not sealed at all), for which `get` answers nothing:
   * deletes `key` only if it still holds such an entry, as one step of the store (a readable
   * entry, or another one written meanwhile, stays), and answers whether it deleted. A user
   * credential's sign-out, which cannot tell whose sign-in such an entry is, removes it with this,
   * as it removes tokens that tell nothing of their sign-in: it may be the signed-out session's,
   * renewed by another process that holds the key. Without it such an entry stays until it
   * expires. Bounded and reported as `removeIfEqual` is.
   * @example
   * ```ts
   * // An encrypting store: read the stored text; if it does not decrypt, delete that exact text in one script.
   * declare const redis: { get(key: string): Promise<string | null>; eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
   * declare function decrypts(sealed: string): Promise<boolean>;
   * const script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";
   * const removeIfUnreadable: NonNullable<OktaStorage['removeIfUnreadable']> = async (key) => {
   *   const sealed = await redis.get(key);
   *   return sealed !== null && !(await decrypts(sealed)) && (await redis.eval(script, { keys: [key], arguments: [sealed] })) === 1;
   * };
   * ```
   */
  removeIfUnreadable?(key: string): boolean | Promise<boolean>;
  /**
   * Optional, for a store that offers `singleFlight`: stores `value` under `key` only if the key
   * still holds `expected` (what `get` returned, plaintext), as one step of the store (no other
   * writer or removal between the comparison and the write), with `set`'s expiry, and answers
   * whether it wrote. A user credential whose fleet flight ended without the store's answer (its
   * wait for another process passed `fleetWaitMs` or the store's own bound, or the store failed)
   * renews itself, then writes the renewal with this, over the tokens of its own sign-in it read:
   * a sign-out on another process meanwhile (the key removed, or another sign-in written) refuses
   * it, and the credential revokes the renewal and fails `LOGIN_REQUIRED`, as the store's flight
   * does. Without it the credential reads the key, checks it holds its own sign-in's tokens, then
   * calls `set`: a sign-out between that read and the `set` (the window of one storage call) is undone.
   * Only `false` is a refusal: any other answer counts as written (as `removeIfEqual`'s does), so
   * answer `true` or `false`. Bounded and reported as `set` is.
   * @example
   * ```ts
   * // Redis, values stored as given: the comparison and the SET are one script.
   * declare const redis: { eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown> };
   * const script = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 else return 0 end";
   * const replaceIfEqual: NonNullable<OktaStorage['replaceIfEqual']> = async (key, expected, value) =>
   *   (await redis.eval(script, { keys: [key], arguments: [expected, value] })) === 1;
   * ```
   * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
   */
  replaceIfEqual?(key: string, expected: string, value: string, options?: StorageSetOptions): boolean | Promise<boolean>;
  /**
   * Optional: how long one `get`, `set` or `remove` may take before a service or OIN
   * credential counts it as failed (a miss, logged as a `token-store` event). Default 1000 ms;
   * read once, taken between 1 ms and 60 s. A storage that bounds its own calls (a network
   * store with a command timeout) declares a little more than its own bound, so its own
   * error, not a second timer, decides. A user credential bounds storage calls by its
   * `timeoutMs` instead.
   */
  readonly timeoutMs?: number | undefined;
  /**
   * Optional: how long a user credential of `@org/okta-oauth`'s sign-in client waits in `singleFlight` for another
   * process's renewal before renewing itself. Default 5000 ms; taken between 1 ms and 1 hour (`okta-auth`'s token file:
   * while the renewing run keeps its lock fresh, up to the run's `--timeout` plus `--max-wait`).
   */
  readonly fleetWaitMs?: number | undefined;
  /**
   * Optional: runs `obtain` (a token request) at most once at a time per key across every
   * process sharing this storage, stores its value until `expiresAt` and gives every caller
   * the value. An error thrown by `obtain` must reach the caller as itself. `options.fresh`
   * says whether a stored value is still good to hand out (the credential's renewal rule), so
   * a value another process wrote meanwhile is used instead of asking Okta again. Service and
   * OIN credentials renew their token under it; so does a user credential of the sign-in client
   * of `@org/okta-oauth` (its refresh grant, for its `storageKey`), whose `expiresAt` is
   * `Infinity`: the value has no expiry of its own (a user's tokens outlive their access token by
   * the refresh token's life), so store it as `set` without `expiresAt` does.
   *
   * A user credential asks for `options.stored` (renew only what is still stored): a store that
   * honours it checks, under its lock, that the key holds a value (else it resolves `undefined`
   * and never calls `obtain`: the user signed out), and stores `obtain`'s value only if no
   * `remove`, `removeIfEqual` or `removeIfUnreadable` removed the key since that check, in one
   * step of the store with the write (else it resolves `undefined`: the credential revokes what
   * `obtain` got and fails `LOGIN_REQUIRED`). A store that ignores the option behaves as before:
   * a sign-out on a process that is not renewing cannot stop another process's renewal from
   * being stored after it. Only with `stored` may it resolve `undefined`, and with `stored` a write
   * that fails after `obtain` ran (or whose answer is lost: it may have been refused) must reject,
   * never resolve `obtain`'s value as stored: the credential then writes that value itself, with
   * no second token request, over its own sign-in (`replaceIfEqual`), which a removal refuses.
   *
   * `options.signal` fires once nobody waits for the renewal (each call that waited ended: its
   * caller's abort, its `timeoutMs`) or the credential stopped waiting (`fleetWaitMs`): the store
   * then stops waiting at once, takes no lock and calls no `obtain` ({@link SingleFlightOptions.signal}).
   */
  singleFlight?(key: string, obtain: () => Promise<{ readonly value: string; readonly expiresAt: number }>, options: SingleFlightOptions): Promise<string | undefined>;
}

/** The credential's renewal rule on a stored text at `nowMs` (its clock: Okta's), and its own rule (`takes`: its token type) if it gives one. */
function isFreshText(text: string, nowMs: number, takes?: (entry: TokenStoreEntry) => boolean): boolean {
  const entry = parse(text);
  return entry !== undefined && isEntry(entry) && isFresh(entry, nowMs) && (takes?.(entry) ?? true);
}

const adapters = new WeakMap<OktaStorage | TokenStore, CacheStore<TokenStoreEntry>>();

/**
 * The cache's view of an entry-valued {@link TokenStore}: its own methods, called as its interface
 * says (`delete(key)` alone: the refused entry, token included, is never handed to user code that
 * may log or forward its arguments). One view per store, so credentials sharing it share their
 * in-flight token requests.
 */
function tokenStoreView(store: TokenStore): CacheStore<TokenStoreEntry> {
  const known = adapters.get(store);
  if (known !== undefined) return known;
  const view: CacheStore<TokenStoreEntry> = {
    get: (key) => store.get(key),
    set: (key, entry) => store.set(key, entry),
    delete: (key) => store.delete(key),
  };
  if (typeof store.singleFlight === 'function') {
    const fleet = store.singleFlight.bind(store);
    // Your store gets the options its interface names; the cache checks what it hands back.
    view.singleFlight = (key, obtain, { signal }) => fleet(key, obtain, { signal });
  }
  adapters.set(store, view);
  return view;
}

/** True for an {@link OktaStorage} (it has `remove`), false for an entry-valued {@link TokenStore}. */
export function isOktaStorage(store: TokenStore | OktaStorage): store is OktaStorage {
  return typeof (store as Partial<OktaStorage>).remove === 'function';
}

/** The longest `timeoutMs` a storage may declare for each call into it (60 s). @internal */
export const maxStorageTimeoutMs = 60_000;
/** The longest `fleetWaitMs` a storage may declare, a user credential's wait for another process's renewal (an hour). @internal */
export const maxStorageFleetWaitMs = 3_600_000;
/**
 * A bound `store` declares: its `timeoutMs` (what a token cache puts on each call into it), kept
 * between 1 ms and {@link maxStorageTimeoutMs}, or its `fleetWaitMs` and `max` ({@link maxStorageFleetWaitMs});
 * `undefined` (the default) when it declares none.
 * @internal
 */
export function storageTimeoutMs(store: TokenStore | OktaStorage | undefined, bound: 'timeoutMs' | 'fleetWaitMs' = 'timeoutMs', max = maxStorageTimeoutMs): number | undefined {
  const declared = store !== undefined && isOktaStorage(store) ? store[bound] : undefined;
  if (typeof declared !== 'number' || !Number.isFinite(declared) || declared <= 0) return undefined;
  return Math.min(Math.max(declared, 1), max);
}

/** Parses a stored value; anything that is not JSON counts as garbage (the cache checks the shape). */
function parse(text: string | null | undefined): TokenStoreEntry | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as TokenStoreEntry;
  } catch {
    return { corrupt: true } as unknown as TokenStoreEntry;
  }
}

/**
 * The token cache's view of either contract: an {@link OktaStorage} keeps entries as JSON
 * text with their expiry. One adapter per storage object, so credentials sharing a storage
 * share their in-flight token requests. With `removeIfEqual`, a refused entry is removed only
 * while the storage still holds the text it was read from.
 * @internal
 */
export function entryStoreOf(store: TokenStore | OktaStorage): CacheStore<TokenStoreEntry> {
  if (!isOktaStorage(store)) return tokenStoreView(store);
  const known = adapters.get(store);
  if (known !== undefined) return known;
  const storage = store;
  // The text each entry was read from: a refused token is removed only while the store holds that text.
  const texts = new WeakMap<object, string>();
  const adapter: CacheStore<TokenStoreEntry> = {
    get: async (key) => {
      const text = await storage.get(key);
      const entry = parse(text);
      // JSON.parse('null') is null, and a number no object: only an object is ever dropped.
      if (typeof text === 'string' && entry instanceof Object) texts.set(entry, text);
      return entry;
    },
    set: async (key, entry) => {
      await storage.set(key, JSON.stringify(entry), { expiresAt: entry.expiresAt });
    },
    delete: async (key, read) => {
      const text = read && texts.get(read);
      await (text !== undefined && storage.removeIfEqual ? storage.removeIfEqual(key, text) : storage.remove(key));
    },
  };
  if (storage.singleFlight !== undefined) {
    const fleet = storage.singleFlight.bind(storage);
    adapter.singleFlight = async (key, obtain, options) => {
      const next = async () => {
        const entry = await obtain();
        return { value: JSON.stringify(entry), expiresAt: entry.expiresAt };
      };
      // A value another process stored is handed back only if this credential can use it (a
      // `required` one waiting on an `auto` one's request is not handed its Bearer token: it asks Okta itself).
      const text = await fleet(key, next, { signal: options.signal, fresh: (value) => isFreshText(value, options.now?.() ?? Date.now(), options.takes), call: options.call });
      // Garbage fails the cache's shape check and the credential asks Okta itself.
      return parse(text) ?? ({} as TokenStoreEntry);
    };
  }
  adapters.set(storage, adapter);
  return adapter;
}
