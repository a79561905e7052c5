import { boundUserCode } from '@org/okta-auth-core/internal';
import { configError, OktaOAuthError, readOptions } from '../errors.js';
import { checkDpopAlgorithm, checkDpopKeyPair, checkOptionalString, checkTransport } from '../internal/validate.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import { defaultTimeoutMs } from '../user/context.js';
import { newDpopKeyPair } from './dpop-key-pair.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';

/**
 * Where {@link loadBrowserDpopKeyPair} keeps a page's DPoP key pair in IndexedDB (`name`), what it
 * makes when there is none (`dpopAlgorithm`), and how long it waits for IndexedDB.
 *
 * @example
 * ```ts
 * const options: BrowserDpopKeyOptions = { name: 'okta-dpop', dpopAlgorithm: 'ES256', timeoutMs: 10_000 };
 * const dpopKeyPair = await loadBrowserDpopKeyPair(options);
 * ```
 * @see https://developer.mozilla.org/en-US/docs/Web/API/IndexedDB_API
 */
export interface BrowserDpopKeyOptions {
  /** The key's name in this origin's IndexedDB (database `okta-oauth-dpop`, store `keys`): `default` unless given; one per app if an origin has several (apps sharing a name share the key, and one's delete is the other's). At most 200 characters. */
  readonly name?: string | undefined;
  /** The algorithm of a new pair, and the one a stored pair must fit: the client's `dpopAlgorithm` (ES256 unless given). */
  readonly dpopAlgorithm?: DpopAlgorithm | undefined;
  /** Stops the wait for IndexedDB (`ABORTED`). */
  readonly signal?: AbortSignal | undefined;
  /** How long IndexedDB may take (an open another tab blocks, a browser that never answers) before `TIMEOUT`: 30000 unless given. */
  readonly timeoutMs?: number | undefined;
}

const dbName = 'okta-oauth-dpop';
const storeName = 'keys';
const maxNameLength = 200;

interface Read {
  readonly name: string;
  readonly algorithm: DpopAlgorithm;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
}

function readKeyOptions(options: BrowserDpopKeyOptions | null | undefined, what: string): Read {
  const read = readOptions(options, `${what}(options)`);
  const name = checkOptionalString(read.name, 'name') ?? 'default';
  if (name.length > maxNameLength) throw configError(`${what}: name is ${name.length} characters long; give one of at most ${maxNameLength}.`);
  return {
    name,
    algorithm: checkDpopAlgorithm(read.dpopAlgorithm) ?? 'ES256',
    signal: read.signal,
    timeoutMs: checkTransport({ timeoutMs: read.timeoutMs }).timeoutMs ?? defaultTimeoutMs,
  };
}

function factoryOf(what: string): IDBFactory {
  const factory = (globalThis as { indexedDB?: IDBFactory | null }).indexedDB;
  if (factory === undefined || factory === null) {
    throw configError(
      `${what}: this runtime has no IndexedDB (Node.js, Bun, Deno, a worker without it). On a server, keep the key in your secret store and load it with importDpopKeyPair (or generateDpopKeyPair once per process).`,
    );
  }
  return factory;
}

function idbError(what: string, error: unknown): OktaOAuthError {
  const given = (error as { name?: unknown } | null)?.name;
  const name = typeof given === 'string' ? given : 'unknown error';
  const fix =
    name === 'QuotaExceededError'
      ? "the site's storage is full: free some of it"
      : 'the browser refuses IndexedDB here (site data blocked, a sandboxed iframe, some private windows): allow site data for this origin, or pass no dpopKeyPair (a new key on each load, then a new sign-in after each reload)';
  return new OktaOAuthError('INVALID_CONFIG', `${what}: IndexedDB failed (${name}): ${fix}.`, { cause: error });
}

/**
 * Opens the database at the version it has (made on first use): a later release or another library
 * may have moved it on, and a fixed version would then be a `VersionError` on every load (a
 * rollback). One without the key store is opened again a version up to add it. The connection
 * closes at another tab's `versionchange` (an upgrade is never blocked), and at once when it opens
 * after the caller gave up.
 */
function openDb(factory: IDBFactory, what: string, gone: { value: boolean }, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = version === undefined ? factory.open(dbName) : factory.open(dbName, version);
    } catch (error) {
      reject(idbError(what, error));
      return;
    }
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
    };
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => { db.close(); };
      if (gone.value || !db.objectStoreNames.contains(storeName)) db.close();
      if (gone.value) return;
      resolve(db.objectStoreNames.contains(storeName) ? db : openDb(factory, what, gone, db.version + 1));
    };
    request.onerror = () => { reject(idbError(what, request.error)); };
  });
}

/**
 * One transaction on the key store: `body` makes its requests and says what it ended with;
 * the promise settles when the transaction has committed (or rejects when it aborted).
 */
function inTransaction<T>(db: IDBDatabase, mode: IDBTransactionMode, what: string, body: (store: IDBObjectStore, end: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    let ended: { value: T } | undefined;
    let tx: IDBTransaction;
    try {
      tx = db.transaction(storeName, mode);
      body(tx.objectStore(storeName), (value) => (ended = { value }));
    } catch (error) {
      reject(idbError(what, error));
      return;
    }
    tx.oncomplete = () => {
      if (ended === undefined) reject(idbError(what, new DOMException('the transaction ended without an answer', 'UnknownError')));
      else resolve(ended.value);
    };
    tx.onabort = () => { reject(idbError(what, tx.error)); };
  });
}

/** One step of {@link withDb}'s work: `run` on a connection of its own, closed when it settles. */
type Step = <U>(run: (db: IDBDatabase) => Promise<U>) => Promise<U>;

/**
 * Runs `work`, whose steps each open a connection and close it (none stays open across other
 * awaits, where another tab's upgrade would close it), bounded by `timeoutMs` and the signal
 * together (core's `boundUserCode`).
 */
async function withDb<T>(what: string, read: Read, work: (step: Step) => Promise<T>): Promise<T> {
  const factory = factoryOf(what);
  const gone = { value: false };
  const step: Step = async (run) => {
    const db = await openDb(factory, what, gone);
    try {
      return await run(db);
    } finally {
      db.close();
    }
  };
  try {
    return await boundUserCode(
      `${what}'s IndexedDB`,
      () => work(step),
      { signal: read.signal, timeoutMs: read.timeoutMs, fix: 'Close the other tabs of this site that may hold its database open, or reload.' },
    );
  } finally {
    gone.value = true;
  }
}

/**
 * Keeps `pair` under `name` unless a pair is there already (another tab's, stored first), in one
 * readwrite transaction: what the store holds under `name` at its end. An `add` that lost a race
 * (`ConstraintError`) reads the winner in the same transaction.
 */
function keepFirst(db: IDBDatabase, name: string, pair: WebCryptoKeyPair, what: string): Promise<unknown> {
  return inTransaction<unknown>(db, 'readwrite', what, (store, end) => {
    const found = store.get(name);
    found.onsuccess = () => {
      if (found.result !== undefined) {
        end(found.result);
        return;
      }
      const added = store.add(pair, name);
      added.onsuccess = () => { end(pair); };
      added.onerror = (event) => {
        if (added.error?.name !== 'ConstraintError') return; // the transaction aborts: onabort rejects
        event.preventDefault();
        const winner = store.get(name);
        winner.onsuccess = () => { end(winner.result); };
      };
    };
  });
}

/**
 * A stored value as a pair that fits `algorithm` (the checks `dpopKeyPair` gets: `checkDpopKeyPair`,
 * `DpopKey.fromKeyPair`) and whose private key cannot be exported (as this module makes it: one that
 * can was put there by someone who may keep a copy, such as a script injected once), or
 * `INVALID_CONFIG` naming the fix.
 */
async function storedPair(value: unknown, read: Read): Promise<WebCryptoKeyPair> {
  let cause: unknown;
  try {
    const pair = checkDpopKeyPair(value ?? null);
    if (pair !== undefined && !pair.privateKey.extractable) {
      await DpopKey.fromKeyPair(pair, read.algorithm);
      return { privateKey: pair.privateKey, publicKey: pair.publicKey };
    }
  } catch (error) {
    cause = error;
  }
  throw new OktaOAuthError(
    'INVALID_CONFIG',
    `loadBrowserDpopKeyPair: IndexedDB holds under "${read.name}" something that is not a DPoP key pair for ${read.algorithm} (another library's, one made for another dpopAlgorithm, or one whose private key can be exported: a script of the page may have put it there and kept a copy). Delete it (deleteBrowserDpopKeyPair({ name: '${read.name}' }): the tokens bound to it must then be signed in again) or give another name.`,
    { cause },
  );
}

/**
 * The DPoP key pair a browser app keeps across reloads: the one this origin's IndexedDB holds under
 * `name`, else a new one (WebCrypto, the private key non-extractable, as {@link generateDpopKeyPair}
 * makes it) stored there first. Pass it as the sign-in client's `dpopKeyPair` on every load, so the
 * DPoP-bound tokens it stored stay usable (their `dpopJkt` is this key's). Two tabs loading at once
 * end with one key: each reads, and a tab that found none generates one, then keeps the first
 * stored in one transaction. A stored value that is not a pair fitting `dpopAlgorithm` (another
 * library's, another algorithm's) or whose private key can be exported (not made here: whoever put
 * it there may hold a copy) is refused, never replaced.
 *
 * Rejects with `INVALID_CONFIG` where there is no IndexedDB (Node.js: use
 * {@link importDpopKeyPair} with a key from your secret store), where the browser refuses it, or
 * for a stored value that does not fit; core's `TIMEOUT` after `timeoutMs`, `ABORTED` on the signal.
 *
 * @example
 * ```ts
 * import { createSignInClient, createWebStorage, loadBrowserDpopKeyPair } from '@org/okta-oauth';
 *
 * const dpopKeyPair = await loadBrowserDpopKeyPair({ name: 'acme-admin' });
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'offline_access', 'okta.users.read'],
 *   dpop: 'required',
 *   dpopKeyPair,
 * });
 * const credential = await client.restoreCredential({ storage: createWebStorage(localStorage) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 * @see https://developer.mozilla.org/en-US/docs/Web/API/IndexedDB_API
 */
export async function loadBrowserDpopKeyPair(options?: BrowserDpopKeyOptions | null): Promise<WebCryptoKeyPair> {
  const what = 'loadBrowserDpopKeyPair';
  const read = readKeyOptions(options, what);
  const stored = await withDb(what, read, async (step) => {
    const found = await step((db) =>
      inTransaction<unknown>(db, 'readonly', what, (store, end) => {
        const request = store.get(read.name);
        request.onsuccess = () => { end(request.result); };
      }),
    );
    if (found !== undefined) return found;
    // WebCrypto is not IndexedDB: a transaction open across this await would commit. Generate, then read and add in one.
    const pair = await newDpopKeyPair(read.algorithm, false);
    return step((db) => keepFirst(db, read.name, pair, what));
  });
  return storedPair(stored, read);
}

/**
 * Deletes the DPoP key pair {@link loadBrowserDpopKeyPair} keeps under `name` (nothing if there is
 * none): after `signOut`, so the next sign-in gets a new key. Tokens bound to the deleted key are
 * refused (`INVALID_CONFIG`) by a client given the new one: sign out first. A client made with the
 * deleted pair still holds it: sign in again after a page load (a redirect is one) or with a new
 * client and a new {@link loadBrowserDpopKeyPair}, else the tokens are bound to the deleted key.
 * Rejects as {@link loadBrowserDpopKeyPair} does.
 *
 * @example
 * ```ts
 * import { deleteBrowserDpopKeyPair, type UserCredential } from '@org/okta-oauth';
 *
 * declare const credential: UserCredential; // the signed-in user's, made with the loaded key
 * await credential.signOut();
 * await deleteBrowserDpopKeyPair({ name: 'acme-admin' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 * @see https://developer.mozilla.org/en-US/docs/Web/API/IDBObjectStore/delete
 */
export async function deleteBrowserDpopKeyPair(options?: Pick<BrowserDpopKeyOptions, 'name' | 'signal' | 'timeoutMs'> | null): Promise<void> {
  const what = 'deleteBrowserDpopKeyPair';
  const read = readKeyOptions(options, what);
  await withDb(what, read, (step) =>
    step((db) =>
      inTransaction<undefined>(db, 'readwrite', what, (store, end) => {
        store.delete(read.name).onsuccess = () => { end(undefined); };
      }),
    ),
  );
}
