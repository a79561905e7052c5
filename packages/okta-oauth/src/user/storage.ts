import { OktaSignInError } from './errors.js';

/**
 * Where the sign-in client keeps sign-in transactions (and, if you pass it
 * to a credential, tokens): a small string key-value store. Sync or async,
 * so Web Storage, a server session, Redis or an OS keychain all fit.
 *
 * @example
 * ```ts
 * const redisStore: SignInStorage = {
 *   get: (key) => redis.get(key),
 *   set: async (key, value) => { await redis.set(key, value, { PXAT: Date.now() + 600_000 }); },
 *   remove: async (key) => { await redis.del(key); },
 * };
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export interface SignInStorage {
  /** The value stored under `key`, or `undefined`/`null`. */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Stores `value` (a JSON string) under `key`. */
  set(key: string, value: string): void | Promise<void>;
  /** Removes `key`. */
  remove(key: string): void | Promise<void>;
}

/**
 * Options of {@link memoryStorage}.
 * @example
 * ```ts
 * const storage = memoryStorage({ maxEntries: 1000 });
 * ```
 */
export interface MemoryStorageOptions {
  /** Oldest entries are dropped beyond this many. @default 100 */
  readonly maxEntries?: number | undefined;
}

/**
 * Storage in this JavaScript realm's memory: the default. Nothing leaves the
 * process or the page, and everything is gone on reload. Bounded, so
 * abandoned sign-ins cannot grow it without limit.
 *
 * @example
 * ```ts
 * declare const options: SignInClientOptions; // your app's
 * const client = createSignInClient({ ...options, storage: memoryStorage() });
 * ```
 */
export function memoryStorage(options: MemoryStorageOptions = {}): SignInStorage {
  const maxEntries = options.maxEntries ?? 100;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new OktaSignInError('INVALID_CONFIG', 'memoryStorage: maxEntries must be a positive integer.');
  }
  const entries = new Map<string, string>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      entries.delete(key);
      entries.set(key, value);
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
    },
    remove(key) {
      entries.delete(key);
    },
  };
}

/**
 * The part of the Web Storage API {@link webStorageStore} uses.
 * @example
 * ```ts
 * const storage = webStorageStore(window.localStorage);
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html#the-storage-interface
 */
export interface WebStorageLike {
  /** As `Storage.getItem`. */
  getItem(key: string): string | null;
  /** As `Storage.setItem`. */
  setItem(key: string, value: string): void;
  /** As `Storage.removeItem`. */
  removeItem(key: string): void;
}

/**
 * Wraps a Web Storage object you chose (`sessionStorage`, or `localStorage`
 * if you accept that every tab and any script on the origin can read it).
 *
 * @example
 * ```ts
 * const storage = webStorageStore(window.sessionStorage);
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export function webStorageStore(storage: WebStorageLike): SignInStorage {
  if (
    typeof storage !== 'object' ||
    (storage as unknown) === null ||
    typeof storage.getItem !== 'function' ||
    typeof storage.setItem !== 'function' ||
    typeof storage.removeItem !== 'function'
  ) {
    throw new OktaSignInError('INVALID_CONFIG', 'webStorageStore: pass a Web Storage object such as window.sessionStorage.');
  }
  return {
    get: (key) => storage.getItem(key),
    set: (key, value) => {
      storage.setItem(key, value);
    },
    remove: (key) => {
      storage.removeItem(key);
    },
  };
}

/**
 * The browser's `sessionStorage`: per tab, survives the redirect to Okta
 * and back, cleared when the tab closes. Use it for SPA redirect sign-in.
 *
 * @throws {OktaSignInError} `INVALID_CONFIG` where there is no `sessionStorage` (Node.js, workers).
 * @example
 * ```ts
 * declare const options: SignInClientOptions; // your app's
 * const client = createSignInClient({ ...options, storage: sessionStorageStore() });
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html#the-sessionstorage-attribute
 */
export function sessionStorageStore(): SignInStorage {
  let storage: unknown;
  try {
    storage = (globalThis as { sessionStorage?: unknown }).sessionStorage;
  } catch {
    // Accessing sessionStorage throws when storage is blocked (sandboxed iframes, privacy settings).
    storage = undefined;
  }
  if (storage === undefined || storage === null) {
    throw new OktaSignInError('INVALID_CONFIG', 'sessionStorageStore: this runtime has no sessionStorage (it is a browser-window API); use memoryStorage() or your own SignInStorage.');
  }
  return webStorageStore(storage as WebStorageLike);
}
