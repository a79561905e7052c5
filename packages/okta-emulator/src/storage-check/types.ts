/**
 * The public types of {@link checkOktaStorage}: the storage it checks (the shape of `@org/okta-oauth`'s
 * `OktaStorage`, written out here because the emulator cannot depend on the packages whose tests use it),
 * its options and its report.
 */

/**
 * What {@link checkOktaStorage} calls: the methods of `@org/okta-oauth`'s `OktaStorage`, which is
 * assignable to it (its own TSDoc is the contract these checks run). A store of yours (a SQL table,
 * DynamoDB, Vault) that is an `OktaStorage` is one.
 * @example
 * ```ts
 * const map = new Map<string, string>();
 * const storage: StorageUnderCheck = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-oauth/src/token-cache/storage.ts
 */
export interface StorageUnderCheck {
  /** The value under `key`; `null` or `undefined` for none (or one the store cannot read). */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Stores `value` under `key`, replacing any, until `options.expiresAt` (epoch ms) where the store has expiry. */
  set(key: string, value: string, options?: { readonly expiresAt?: number | undefined }): void | Promise<void>;
  /** Deletes `key`; a missing key is no error. */
  remove(key: string): void | Promise<void>;
  /** Optional: deletes `key` only while it holds `value`, in one step; answers whether it deleted. */
  removeIfEqual?(key: string, value: string): boolean | Promise<boolean>;
  /** Optional: deletes `key` only while it holds an entry the store cannot read, in one step; answers whether it deleted. */
  removeIfUnreadable?(key: string): boolean | Promise<boolean>;
  /** Optional: writes `value` only while `key` holds `expected`, in one step; answers whether it wrote. */
  replaceIfEqual?(key: string, expected: string, value: string, options?: { readonly expiresAt?: number | undefined }): boolean | Promise<boolean>;
  /** Optional: how long one call may take, 1 ms to 60 s. */
  readonly timeoutMs?: number | undefined;
  /** Optional: how long a user credential waits in `singleFlight` for another process's renewal, 1 ms to an hour. */
  readonly fleetWaitMs?: number | undefined;
  /** Optional: runs `obtain` at most once at a time per key across every handle, stores its value and gives it to every caller. */
  singleFlight?(
    key: string,
    obtain: () => Promise<{ readonly value: string; readonly expiresAt: number }>,
    options: { readonly signal?: AbortSignal | undefined; readonly fresh?: ((value: string) => boolean) | undefined; readonly stored?: boolean | undefined; readonly call?: number | undefined },
  ): Promise<string | undefined>;
}

/**
 * Options of {@link checkOktaStorage}.
 * @example
 * ```ts
 * declare const client: { duplicate(): unknown };
 * declare function myStorage(client: unknown): StorageUnderCheck;
 * const options: CheckOktaStorageOptions<StorageUnderCheck> = { secondHandle: () => myStorage(client.duplicate()) };
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-emulator/README.md#check-a-storage-of-your-own
 */
export interface CheckOktaStorageOptions<S extends StorageUnderCheck = StorageUnderCheck> {
  /**
   * Another handle on the same backing store as `first`, as a second process would hold (its own
   * connection, its own caches): writes on one must be read on the other, and the compare-and-set
   * races run between the two. Without it they run on `first` alone.
   */
  readonly secondHandle?: ((first: S) => S | Promise<S>) | undefined;
  /**
   * Writes, under `key` of the store `first` uses, a text `first` cannot read (an entry sealed under
   * an encryption key it does not hold): `get` must answer nothing for it and, if offered,
   * `removeIfUnreadable` must delete it. Without it those two checks are skipped.
   */
  readonly writeUnreadable?: ((first: S, key: string) => unknown) | undefined;
  /** The longest value written, in UTF-16 units (a user's tokens with a large groups claim). @default 32768 */
  readonly valueChars?: number | undefined;
  /**
   * The longest the check waits for one call of the storage (a wait that never ends is a violation), and for
   * `create` and `secondHandle` (one that makes no storage within it rejects the check, `INVALID_OPTION`). @default 10000
   */
  readonly stepTimeoutMs?: number | undefined;
}

/**
 * The name of one rule {@link checkOktaStorage} checks, for `switch` and for the report:
 *
 * - `get-missing`: `get` of a key never written answers `null` or `undefined`.
 * - `set-get`: `get` answers exactly the text `set` stored, of every size up to `valueChars` and every character JSON text holds.
 * - `set-replaces`: a second `set` replaces the first.
 * - `remove`: `remove` deletes; removing a missing key is no error.
 * - `key-characters`: every key shape okta-oauth writes (`:`, `|`, `/`, `%`, `@`, spaces, non-ASCII, 1,000 characters) is its own entry.
 * - `expires-at`: a value set with `expiresAt` an hour ahead, or without one, is read back.
 * - `stale-read`: what one handle wrote or removed, the next `get` (on either handle) answers.
 * - `remove-if-equal`, `replace-if-equal`: compare-and-delete and compare-and-set answer `true` only when they acted, and act only then.
 * - `remove-if-equal-race`, `replace-if-equal-race`: each is one step of the store between two handles.
 * - `unreadable-entries`: an entry the store cannot read is answered as nothing, and `removeIfUnreadable` removes only such an entry.
 * - `single-flight-once`, `single-flight-fresh`, `single-flight-error`, `single-flight-stored`, `single-flight-abort`: `singleFlight`'s contract.
 * - `declared-bounds`: `timeoutMs` (1 ms to 60 s) and `fleetWaitMs` (1 ms to an hour) are numbers okta-oauth takes as declared.
 * @example
 * ```ts
 * const name: OktaStorageCheckName = 'replace-if-equal-race';
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-emulator/README.md#check-a-storage-of-your-own
 */
export type OktaStorageCheckName =
  | 'get-missing'
  | 'set-get'
  | 'set-replaces'
  | 'remove'
  | 'key-characters'
  | 'expires-at'
  | 'stale-read'
  | 'remove-if-equal'
  | 'remove-if-equal-race'
  | 'replace-if-equal'
  | 'replace-if-equal-race'
  | 'unreadable-entries'
  | 'single-flight-once'
  | 'single-flight-fresh'
  | 'single-flight-error'
  | 'single-flight-stored'
  | 'single-flight-abort'
  | 'declared-bounds';

/**
 * One rule a storage broke: its name and what to fix. The message names keys (never secrets) and
 * never quotes a stored value, nor an error's message (a store's error may hold one): only its name and `code`.
 * @example
 * ```ts
 * const violation: OktaStorageViolation = { name: 'set-get', message: 'get answered another text than set stored (of 32768 characters)…' };
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-emulator/README.md#check-a-storage-of-your-own
 */
export interface OktaStorageViolation {
  /** The rule broken. */
  readonly name: OktaStorageCheckName;
  /** What the storage did and what to do instead. */
  readonly message: string;
}

/**
 * What {@link checkOktaStorage} found: `violations` empty when the storage keeps the contract.
 * @example
 * ```ts
 * declare const report: OktaStorageCheckReport;
 * if (report.violations.length > 0) throw new Error(report.violations.map((v) => `${v.name}: ${v.message}`).join('\n'));
 * ```
 * @see https://github.com/org/okta-auth/blob/main/packages/okta-emulator/README.md#check-a-storage-of-your-own
 */
export interface OktaStorageCheckReport {
  /** The rules broken, in the order checked. */
  readonly violations: readonly OktaStorageViolation[];
  /** The rules kept. */
  readonly passed: readonly OktaStorageCheckName[];
  /** The rules not checked, and why (a method the storage does not offer, an option not given). */
  readonly skipped: readonly {
    /** The rule not checked. */
    readonly name: OktaStorageCheckName;
    /** Why not. */
    readonly reason: string;
  }[];
}
