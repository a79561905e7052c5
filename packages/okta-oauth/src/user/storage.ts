import { checkCount, maxKept } from '@org/okta-auth-core/internal';
import type { OktaStorage } from '../token-cache/storage.js';
import { configError, readOptions } from '../errors.js';

/**
 * Where the sign-in client keeps sign-in transactions and, if you pass it to a credential,
 * tokens. Since 0.x this is the package's one storage contract, {@link OktaStorage}, which
 * service and OIN apps take as `tokenStore` too.
 *
 * The old name of {@link OktaStorage} (the same type): prefer `OktaStorage`; kept until 1.0.
 * @deprecated Use {@link OktaStorage}.
 * @example
 * ```ts
 * const storage: SignInStorage = createMemoryStorage();
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export type SignInStorage = OktaStorage;

/**
 * Options of {@link createMemoryStorage}.
 * @example
 * ```ts
 * const storage = createMemoryStorage({ maxEntries: 1000 });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export interface MemoryStorageOptions {
  /** Oldest entries are dropped beyond this many: a whole number from 1 to 1,000,000 (a finite bound on memory), else `INVALID_CONFIG`. @default 100 */
  readonly maxEntries?: number | undefined;
}

/** {@link createMemoryStorage}'s default bound. */
const defaultMemoryEntries = 100;

/**
 * Storage in this JavaScript realm's memory: the default. Nothing leaves the
 * process or the page, and everything is gone on reload. Bounded, so
 * abandoned sign-ins cannot grow it without limit.
 *
 * @example
 * ```ts
 * declare const options: SignInClientOptions; // your app's
 * const client = createSignInClient({ ...options, storage: createMemoryStorage() });
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export function createMemoryStorage(options?: MemoryStorageOptions): OktaStorage {
  const { maxEntries } = readOptions(options, 'createMemoryStorage(options)');
  return memoryStorageOf(checkCount(maxEntries, 'maxEntries', defaultMemoryEntries, [1, maxKept], configError, 'entries createMemoryStorage keeps in memory'));
}

/**
 * The storage of {@link createMemoryStorage} for a bound already checked (the sign-in client's
 * default storage): a bundle that never calls the export carries neither its check nor its message.
 * @internal
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export function memoryStorageOf(maxEntries = defaultMemoryEntries): OktaStorage {
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
    // Synchronous: nothing runs between the comparison and the deletion.
    removeIfEqual: (key, value) => entries.get(key) === value && entries.delete(key),
  };
}

/**
 * The part of the Web Storage API {@link createWebStorage} uses.
 * @example
 * ```ts
 * const storage = createWebStorage(window.localStorage);
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

/** The Web Storage under each storage {@link createWebStorage} made: `OktaStorage` cannot list keys, a Web Storage can. */
const webStorages = new WeakMap<OktaStorage, WebStorageLike>();

/** The Web Storage `storage` wraps, if {@link createWebStorage} made it (for the sweep of unlisted transactions). @internal */
export const webStorageUnder = (storage: OktaStorage): WebStorageLike | undefined => webStorages.get(storage);

/** Whether `storage` wraps this page's `sessionStorage` (no other tab reads it). @internal */
export function isTabStorage(storage: OktaStorage): boolean {
  try {
    const under = webStorages.get(storage);
    return under !== undefined && under === (globalThis as { sessionStorage?: unknown }).sessionStorage;
  } catch {
    // Reading sessionStorage throws where the page's storage is blocked.
    return false;
  }
}

/**
 * Wraps a Web Storage object you chose (`sessionStorage`, or `localStorage`
 * if you accept that every tab and any script on the origin can read it).
 *
 * @example
 * ```ts
 * const storage = createWebStorage(window.sessionStorage);
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html
 */
export function createWebStorage(storage: WebStorageLike): OktaStorage {
  if (
    typeof storage !== 'object' ||
    (storage as unknown) === null ||
    typeof storage.getItem !== 'function' ||
    typeof storage.setItem !== 'function' ||
    typeof storage.removeItem !== 'function'
  ) {
    throw configError('createWebStorage: pass a Web Storage object such as window.sessionStorage.');
  }
  const wrapped: OktaStorage = {
    get: (key) => storage.getItem(key),
    set: (key, value) => {
      storage.setItem(key, value);
    },
    remove: (key) => {
      storage.removeItem(key);
    },
    // Synchronous, in one task: no other script of this page runs between the read and the removal.
    removeIfEqual: (key, value) => storage.getItem(key) === value && (storage.removeItem(key), true),
  };
  webStorages.set(wrapped, storage);
  return wrapped;
}

/**
 * The browser's `sessionStorage`: per tab, survives the redirect to Okta
 * and back, cleared when the tab closes. Use it for SPA redirect sign-in.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` where there is no `sessionStorage` (Node.js, workers), or it is
 * blocked (a sandboxed iframe without `allow-same-origin`, site data disabled).
 * @example
 * ```ts
 * declare const options: SignInClientOptions; // your app's
 * const client = createSignInClient({ ...options, storage: createSessionStorage() });
 * ```
 * @see https://html.spec.whatwg.org/multipage/webstorage.html#the-sessionstorage-attribute
 */
export function createSessionStorage(): OktaStorage {
  let storage: unknown;
  try {
    storage = (globalThis as { sessionStorage?: unknown }).sessionStorage;
  } catch {
    // Accessing sessionStorage throws (SecurityError) when storage is blocked: a sandboxed iframe, the browser's settings.
    throw configError(
      "createSessionStorage: this page's storage is blocked (a sandboxed iframe without allow-same-origin, or site data disabled in the browser's settings); sign in from a top-level page, or use createMemoryStorage().",
    );
  }
  if (storage === undefined || storage === null) {
    throw configError('createSessionStorage: this runtime has no sessionStorage (it is a browser-window API); use createMemoryStorage() or your own OktaStorage.');
  }
  return createWebStorage(storage as WebStorageLike);
}

/**
 * The old name of {@link createMemoryStorage} (one naming scheme now); kept until 1.0.
 * @deprecated Use {@link createMemoryStorage}.
 * @example
 * ```ts
 * const storage = memoryStorage(); // same as createMemoryStorage()
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export const memoryStorage: typeof createMemoryStorage = createMemoryStorage;

/**
 * The old name of {@link createWebStorage}; kept until 1.0.
 * @deprecated Use {@link createWebStorage}.
 * @example
 * ```ts
 * const storage = webStorageStore(window.sessionStorage); // same as createWebStorage(…)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export const webStorageStore: typeof createWebStorage = createWebStorage;

/**
 * The old name of {@link createSessionStorage}; kept until 1.0.
 * @deprecated Use {@link createSessionStorage}.
 * @example
 * ```ts
 * const storage = sessionStorageStore(); // same as createSessionStorage()
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export const sessionStorageStore: typeof createSessionStorage = createSessionStorage;
