import type { OktaLogger } from '@org/okta-auth-core';
import { boundedStoreCall } from '../token-cache/bounded-store.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { storedSignIn } from './token-entry.js';
import type { UserTokens } from './tokens.js';

/** What a user credential's {@link tokenWrites} needs of it. @internal */
export interface TokenWritesOptions {
  readonly storage: OktaStorage;
  readonly key: string;
  /** Bounds a storage call by the credential's `timeoutMs` and `signal`: `what` names it in a `TIMEOUT`, which ends with `fix`. */
  readonly bounded: <T>(what: string, run: () => T | PromiseLike<T>, signal?: AbortSignal, fix?: string) => Promise<T>;
  /** The credential's `timeoutMs`. */
  readonly timeoutMs: number;
  /** The credential's current tokens; `undefined` once signed out. */
  readonly current: () => UserTokens | undefined;
  /**
   * Runs `run` under the Web Lock the credential's renewals, and so their writes, run under, waiting
   * for it at most `timeoutMs` (web-lock.ts `underWebLockWithin`, the renewals' one bounded wait): else `TIMEOUT`, the request withdrawn.
   */
  readonly exclusive: <T>(run: () => Promise<T>) => Promise<T>;
  /** Receives a `token-store` event when the removal of a write that landed after sign-out fails. */
  readonly logger: OktaLogger | undefined;
}

/** Makes a write (`set`) with what it replaces in view: reads the key, calls `set`, settles as it does. @internal */
export type Replacing = (set: () => unknown) => Promise<void>;

/** A user credential's storage writes and sign-out's removal of them. @internal */
export interface TokenWrites {
  /**
   * Writes the tokens; settles as the storage's `set()` does (the caller bounds its wait: the credential's first write, made before its first request).
   * Given `replacing` (a sign-in's first write, `revokeReplaced`), the write is made through it.
   */
  write(tokens: UserTokens, replacing?: Replacing): Promise<void>;
  /**
   * Writes a renewal, bounded by timeoutMs (`TIMEOUT` naming `set()`). The fleet's fallback write
   * (user-fleet.ts) replaces it with its own, which bounds each storage call it makes and names it,
   * and holds the renewal back while it fails: `landed` is run once if it lands on a later call while
   * the renewal is still the credential's (its `onTokens`; one that lands in this call leaves that to the caller, as this write does).
   */
  store(tokens: UserTokens, landed?: () => Promise<unknown>): Promise<void>;
  /**
   * Counts a write the storage makes itself (its `singleFlight` storing a renewal) as one of the
   * credential's: sign-out's removal waits for it, and undoes what it wrote if it lands later. It
   * settles with the text written (this credential's renewal, or the one another process stored
   * and the storage handed back), or `undefined` for nothing written.
   */
  track(landing: Promise<string | undefined>): void;
  /**
   * Whether storage holds what this credential wrote last: until that write lands (it may fail,
   * or an older one land after it), storage holds older tokens, whose refresh token this
   * credential may have spent, and they must not be taken for another tab's.
   */
  synced(): boolean;
  /**
   * Sign-out's removal: lets the writes under way land (bounded by `signal` and timeoutMs),
   * removes the key unless it holds another sign-in's tokens than `signedOut` (the signed-out
   * tokens' `signInOf`), and undoes each write that lands later. Kept for {@link TokenWrites.removed}.
   * A `removeIfEqual` refused (a renewal of the sign-in written since the read: another process's,
   * another tab's) reads the key again and removes what it holds the same way, at most
   * three removals in all (`removalRounds`; then what the key holds stays, as before). Each text it
   * removes as the signed-out sign-in's (tokens without an ID token too, which tell nothing of their
   * sign-in), at the first read or after a refusal, goes to `found` as its removal starts: the credential
   * names it to the other tabs (which may hold a renewal this one never had) and, unless it is the
   * credential's own tokens, revokes it as sign-out revokes; what `found` returns is awaited once that
   * removal has settled (a slow revocation never keeps the tokens in storage).
   */
  remove(signal: AbortSignal | undefined, signedOut: string | undefined, found?: (text: string) => unknown): Promise<void>;
  /**
   * Settles once the last removal has; makes it again if it failed (still leaving another
   * sign-in's tokens), then undoes again the last late write if its undoing failed; throws the
   * storage's error if that fails again.
   */
  removed(signal: AbortSignal | undefined): Promise<void>;
}

/**
 * How many removals sign-out's removal makes at most: a `removeIfEqual` refused because a renewal
 * of the signed-out sign-in was written between the read and it is made again on a new read. A
 * renewal needs a token request, so a second refusal is already two renewals in that window.
 * @internal
 */
const removalRounds = 3;

/**
 * The storage writes of a user credential. It keeps no reference to a write under way but the
 * last: a `set()` that never settles is held by nothing but the storage's own promise (with what
 * its landing would do), so a storage that drops it leaves nothing behind here.
 * @internal
 */
export function tokenWrites(options: TokenWritesOptions): TokenWrites {
  const { storage, key, bounded, timeoutMs, logger } = options;
  /** Settles once every write started so far has (references none of them: see above). */
  let idle = Promise.resolve();
  /** The last write started, while it is under way. */
  let latest: Promise<unknown> | undefined;
  const writing = () => latest !== undefined;
  let synced = true;
  /** Set once sign-out's removal let the writes under way land: one landing later is undone. */
  let ended = false;
  let removal = Promise.resolve();
  /** The signed-out sign-in (`signInOf`): sign-out's removals leave another one's tokens. */
  let signedOut: string | undefined;
  /**
   * The text of the last write that landed after sign-out, if undoing it failed: a later sign-out
   * undoes it. The key holds one text: an older late write's is overwritten by the newer landing.
   */
  let leftover: string | undefined;
  let lateLandings = 0;

  /** What storage holds, read now. */
  const read = (signal?: AbortSignal) => bounded('The token storage get()', () => storage.get(key), signal);

  /** Whether the storage removes a key only if it holds a value, in one step (`removeIfEqual`). */
  const compares = () => typeof storage.removeIfEqual === 'function';
  /**
   * Runs sign-out's removal (`calls`, the storage calls it makes), bounded: a `TIMEOUT` names the
   * calls, what they leave in storage (`left`) and what to do (a later sign-out removes it again).
   */
  const removing = <T>(calls: string, left: string, run: () => Promise<T>, signal: AbortSignal | undefined) =>
    bounded(`The token storage ${calls}`, run, signal, `${left} may still be in storage: make the storage's ${calls} settle within timeoutMs (or raise timeoutMs), then sign out again to remove them.`);
  /** The storage call {@link removeRead} makes for `text`. */
  const removalOf = (text: string | null | undefined) => `${!compares() ? 'remove' : typeof text === 'string' ? 'removeIfEqual' : 'removeIfUnreadable'}()`;

  /**
   * Removes `text`, read from the key just before: in one step of the store where it compares
   * (a write landing meanwhile stays; nothing read, only an entry the store cannot read, with
   * `removeIfUnreadable`), else by `remove()`, which takes whatever a write landing between the
   * read and it wrote (the window of one storage call). `false`: `removeIfEqual` refused.
   */
  async function removeRead(text: string | null | undefined): Promise<unknown> {
    if (!compares()) await storage.remove(key);
    else if (typeof text === 'string') return storage.removeIfEqual?.(key, text);
    else await storage.removeIfUnreadable?.(key);
  }

  /**
   * Removes what a write that landed after sign-out wrote, if storage still holds it: never a
   * newer sign-in's tokens. One storage call where it compares, else a read and a removal, which
   * the caller bounds together.
   */
  async function undo(text: string): Promise<void> {
    if (compares() || (await storage.get(key)) === text) await removeRead(text);
  }

  /**
   * An older write landed after the last one (past timeoutMs): unless storage holds something
   * else by now (this credential's newer tokens, or another tab's renewal's, which put back
   * tokens would undo), writes the current tokens again, else a reload restores spent ones.
   * Under the Web Lock of the renewals, as their writes: a tab renewing meanwhile reads and
   * writes storage before or after this, never between the read and the write.
   */
  function rewrite(text: string): void {
    // The wait for the lock (another tab's renewal) is bounded too (`exclusive`), the request then
    // withdrawn and the rewrite dropped: storage keeps the late text until this credential's next
    // write, which the credential does not take for another tab's (not synced) meanwhile.
    options
      .exclusive(async () => {
        const current = options.current();
        // Signed out (sign-out removes), renewed, or a newer write started (its landing decides):
        // asked again after the read, as sign-out does not take the lock.
        const moved = () => options.current() !== current || writing();
        if (current === undefined || moved()) return;
        // A read that fails is taken as stale tokens still there.
        const stale = await read().then((stored) => stored === text, () => true);
        if (moved()) return;
        if (stale) await store(current);
        else synced = !writing();
      })
      .catch(() => undefined);
  }

  function landed(text: string, newest: boolean): void {
    if (ended) {
      const landing = ++lateLandings;
      leftover = undefined;
      // Logged (a `token-store` event: 'error' or 'timeout') as the token cache logs its store's failures, never thrown.
      void boundedStoreCall('delete', () => undo(text), { timeoutMs, logger }).then((outcome) => {
        if (!outcome.ok && landing === lateLandings) leftover = text;
      });
      return;
    }
    synced = newest;
    if (!newest && !writing()) rewrite(text);
  }

  function write(tokens: UserTokens, replacing?: Replacing): Promise<void> {
    const text = JSON.stringify(tokens.toStorable());
    const set = () => storage.set(key, text);
    // A set that throws at once is a write that failed, as one that rejects.
    const landing = (async () => (replacing ? replacing(set) : set()))();
    track(landing.then(() => text));
    return landing;
  }

  const store = (tokens: UserTokens) => bounded('The token storage set()', () => write(tokens));

  function track(landing: Promise<string | undefined>): void {
    const before = idle;
    idle = landing.then(() => before, () => before);
    latest = landing;
    const was = synced;
    synced = false;
    const settled = () => {
      const newest = landing === latest;
      if (newest) latest = undefined;
      return newest;
    };
    landing.then((text) => {
      // Nothing written (this credential renewed itself under the lock, and tracks that write apart): storage holds what it held.
      if (text !== undefined) landed(text, settled());
      else if (settled()) synced = was;
    }, settled);
  }

  function remove(signal: AbortSignal | undefined, signInSignedOut: string | undefined, found?: (text: string) => unknown): Promise<void> {
    signedOut = signInSignedOut;
    removal = (async () => {
      // Let every write under way land first (the first one, a renewal's; a request may be waiting
      // on the first one too), bounded by timeoutMs, so the tokens do not reappear after the removal...
      await bounded('The token storage set()', () => idle, signal).catch(() => undefined);
      // ...and undo one that outlasted that wait once it lands.
      ended = true;
      // Only the signed-out sign-in's tokens (this tab's, or another tab's renewal of them): a new
      // sign-in under the same key keeps its own, at sign-out and at a later sign-out's new attempt.
      // Tokens that tell nothing of their sign-in (no ID token) still go: they may be the signed-out user's.
      for (let round = 0; round < removalRounds; round++) {
        const stored = await read(signal);
        const theirs = storedSignIn(stored);
        if (theirs !== undefined && theirs !== signedOut) return;
        // What it removes as this sign-in's (perhaps another tab's renewal; tokens without an ID token too), at the first read or again
        // after a refusal, is named and revoked (`found`). The removal is not kept waiting on it: with Okta slow, a reload or another tab
        // would take the tokens up meanwhile. Awaited after it (a storage error ends the wait: the revocation goes on; what `found` throws is dropped here, never unhandled).
        const revoking = typeof stored === 'string' && new Promise((resolve) => {
          resolve(found?.(stored));
        }).catch(() => undefined);
        const removed = await removing(removalOf(stored), 'The signed-out tokens', () => removeRead(stored), signal);
        await revoking;
        if (removed !== false) return;
      }
    })();
    removal.catch(() => undefined);
    return removal;
  }

  async function removed(signal: AbortSignal | undefined): Promise<void> {
    await removal.then(undefined, () => remove(signal, signedOut));
    const text = leftover;
    if (text === undefined) return;
    // Without removeIfEqual, undo() reads the key first: either call may be the one that hangs.
    await removing(compares() ? removalOf(text) : 'get() and remove()', 'The tokens a write that landed after sign-out wrote', () => undo(text), signal);
    if (leftover === text) leftover = undefined;
  }

  return { write, store, track, synced: () => synced, remove, removed };
}
