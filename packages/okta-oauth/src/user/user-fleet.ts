import { fleetObtain, obtainFailed } from '../token-cache/fleet.js';
import { isFresh } from '../token-cache/renewal.js';
import { maxStorageFleetWaitMs, storageTimeoutMs, type OktaStorage } from '../token-cache/storage.js';
import type { TokenCache } from '../token-cache/token-cache.js';
import { holdEntry } from '../token-cache/held-tokens.js';
import { defaultTimeoutMs, type ClientContext } from './context.js';
import { revokeUnkept } from './revocation.js';
import { endUnkept, signedOutMeanwhile } from './renewal-end.js';
import { adoptable, signInOf, storedSignIn, type UserStorageView, type UserTokenEntry } from './token-entry.js';
import type { UserTokens } from './tokens.js';
import type { TokenWrites, TokenWritesOptions } from './token-writes.js';

/** A storage call of the fleet's fallback write, named for its `TIMEOUT`: it settles with the next call, or the outcome. */
interface FallbackStep {
  readonly call: string;
  readonly made: Promise<FallbackStep | boolean | undefined>;
}

/** Follows the calls of a fallback write from `step` to its outcome, waiting on each with `wait`. */
async function follow(step: FallbackStep | boolean | undefined, wait: (step: FallbackStep) => Promise<FallbackStep | boolean | undefined>) {
  while (typeof step === 'object') step = await wait(step);
  return step;
}

/** How many refresh tokens a credential's renewals renewed from it remembers: a write of its own landing late holds one ({@link renewal}). */
const spentKept = 4;

/**
 * Where stored tokens `theirs` ({@link adoptable}) stand to `mine`, told by the refresh token, never by `expiresAt` (each
 * writer's own clock: a renewal stored by a host whose clock is behind looked older, and was not taken: rev166b). `true`: a
 * renewal of `mine`'s sign-in made since, with another refresh token (a spent one is written back only by this credential's
 * own write landing late, and that one is among those it renewed from, `spent`); `false`: the same sign-in and refresh token
 * (the tokens held, or Okta's `STATIC` rotation, which keeps one); `undefined`: another sign-in, none, or older tokens.
 * Internal (not exported).
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
function renewal(theirs: UserTokenEntry, mine: UserTokenEntry, spent: readonly string[]): boolean | undefined {
  const signIn = signInOf(mine.claims);
  if (signIn === undefined || signInOf(theirs.claims) !== signIn) return undefined;
  const [token, held] = [theirs.tokens.refreshToken?.reveal(), mine.tokens.refreshToken?.reveal()];
  return token === held ? false : token !== undefined && !spent.includes(token) ? true : undefined;
}

/**
 * One renewal per user across the processes sharing a storage that offers `singleFlight` (the
 * Redis store): a user credential's refresh grant runs under the store's fleet lock for its storage
 * key, so one process refreshes and the others take its stored result. The stored text is what the
 * credential's own write stores (`toStorable()`), kept as long (`expiresAt: Infinity`: the storage's
 * own default, as a `set` without one: the entry outlives the access token by the refresh token's
 * life); a stored result is taken only if {@link adoptable} (the same user's, as another tab's),
 * fresh by the credential's renewal rule (a renewal of the same sign-in stored during the flight, newer than the
 * tokens held, with what was left of it then as its lifetime: tokens shorter-lived than the floor are taken, not
 * renewed again), and not the tokens this process holds. Okta's refusal
 * reaches the caller as itself; a wait that ends (`FLEET_WAIT_EXCEEDED`, the wait's bound) leaves
 * the credential to refresh itself ({@link fleetObtain}, as a service credential).
 *
 * A sign-out on any process ends the renewal: the flight asks the store to renew only what is
 * still stored (`stored: true`). A store that honours it answers `undefined` when the key holds
 * nothing (removed before the lock: `obtain` never called) or was removed while `obtain` ran (its
 * result not stored); then this credential's session ends here (its entry cleared, the
 * signed-out sign-in's tokens removed as sign-out removes them, a later landing undone), the
 * tokens obtained are revoked (sign-out's `signOutTokens`, each request bounded by the client's
 * `timeoutMs`), and the call fails `LOGIN_REQUIRED` ({@link signedOutMeanwhile}) once that revocation
 * and the removal settled, or `timeoutMs` passed (they go on): nothing obtained is handed out. A renewal the flight did not store
 * (the wait ended, the store failed or answered garbage: the credential refreshed itself; or the flight failed after
 * Okta answered, its own write's answer lost, and the credential takes what it obtained: no second grant) is
 * written over the tokens of this credential's sign-in it reads, with the storage's
 * `replaceIfEqual`: the key removed or holding another sign-in meanwhile ends the session the same
 * way (only `false` is a refusal), rather than adopting a new sign-in written there as the stored flight does: the
 * refusal comes after the renewal was handed to the cache, and the caller's next restore takes the new sign-in; each
 * storage call of the write is bounded by `timeoutMs` (a `TIMEOUT` names it: `get()`, `replaceIfEqual()` or `set()`); the renewal is handed out only once
 * that write lands (`holdEntry`: each call makes it again first while it fails, the store down or past `timeoutMs`, and fails as it fails;
 * the call whose write lands runs the credential's `landed`, its `onTokens`, once, unless the renewal's own call wrote it); such a write held past `timeoutMs` that finds the credential
 * renewed again or signed out here meanwhile, or holding another process's renewal of the sign-in made since
 * (from a refresh token this credential did not renew from), writes nothing (the newer renewal's grant spent its refresh token); a storage without `replaceIfEqual` gets the same read and check, then `set` (a sign-out landing between
 * the read and the `set`, the window of one storage call, is undone: as sign-out's `remove()` without `removeIfEqual`). A renewal
 * revoked here whose revocation leaves a token alive is a `revocation` event on the client's logger. Given by the
 * sign-in client of `@org/okta-oauth` only (`SignInParts.userFleet`): a browser bundle from
 * `@org/okta-oauth/sign-in` does not ship it. `undefined` for a storage without `singleFlight`.
 * @internal
 * @example
 * ```ts
 * declare const [owner, storage, view, writes, cache, , bounded]: Parameters<typeof userFleet>;
 * const fleet = userFleet(owner, storage, view, writes, cache, 60_000, bounded); // new TokenCache({ …, fleet })
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-reuse-detection
 */
export function userFleet(
  /** The credential's client: whose tokens it takes (`adoptable`), its clock, and its revocation endpoint. */
  owner: ClientContext,
  storage: OktaStorage | undefined,
  /** The credential's storage view (`userStorageView`): given `singleFlight` and `renewFrom` here. */
  view: UserStorageView,
  /** The credential's storage writes: the store's own write of a renewal counts among them (sign-out waits for it, undoes it if it lands later). */
  writes: TokenWrites,
  /** The credential's token cache: its current entry (`undefined` once signed out), cleared when the user signed out on another process. */
  cache: () => TokenCache<UserTokenEntry>,
  /** The credential's renewal floor (`renewBeforeSeconds`): with `owner.clock.orgTime` of `owner.now`, its renewal rule. */
  renewalFloorMs: number,
  /** The credential's bound of user code (its `timeoutMs`): each storage call of the fallback write is bounded by it. */
  bounded: TokenWritesOptions['bounded'],
): typeof fleetObtain | undefined {
  if (typeof storage?.singleFlight !== 'function') return undefined;
  const flight = storage.singleFlight.bind(storage);
  /** Now on Okta's clock, as the credential's token cache judges expiries (`requestTokens` writes them on it). */
  const orgNow = () => owner.clock.orgTime(owner.now());
  // The tokens the storage stored itself (this renewal, or another process's): the credential's `write` does not write them again.
  const stored = new WeakSet<UserTokens>();
  /** The credential's storage key: every renewal's flight is for it (the cache's key), so it is known before any renewal is written. */
  let storageKey: string | undefined;
  /** Revokes a renewal no process keeps, each of its requests bounded by the client's `timeoutMs`; one left alive is a `revocation` event ({@link revokeUnkept}). */
  const revoke = (tokens: UserTokens) => revokeUnkept(owner, tokens);
  /**
   * The session ends here, as sign-out ends it (another process's sign-out, seen by this one's renewal): the entry cleared
   * (a fallback of the cache after the fleet's bound gets nothing either), the signed-out sign-in's tokens removed as
   * sign-out removes them (a later landing undone), what was `obtained` revoked ({@link revoke}). Resolves to the caller's
   * `LOGIN_REQUIRED` once the removal and the revocation settled, or the client's `timeoutMs` passed (they go on): a Worker
   * ends the work its answer leaves behind (what is not handed to `ctx.waitUntil`), and a page navigating away on the
   * refusal would end it too. Awaited after the fleet's bound (fleet.ts `obtainFailed`) and after the fallback write's,
   * so a slow revocation endpoint delays the refusal, never turns it into a `TIMEOUT`. Its cause: what user code threw (the storage's removal, else revoking): the one end of a renewal nobody keeps, a tab's too ({@link endUnkept}).
   */
  const endSession = (mine: UserTokenEntry, obtained: UserTokens | undefined) => {
    cache().clear();
    return endUnkept(owner.http.timeoutMs ?? defaultTimeoutMs, writes.remove(undefined, signInOf(mine.claims)), obtained && revoke(obtained), signedOutMeanwhile);
  };
  /** The refresh tokens this credential's renewals renewed from, the last {@link spentKept}: a stored one is its own write landing late. */
  const spent: string[] = [];
  const store = writes.store.bind(writes);
  // Not a function (user code): none, as a `removeIfEqual` that is none: the key read, then `set` (the window of one call, as sign-out's `remove()` after its read).
  const replace = typeof storage.replaceIfEqual === 'function' ? storage.replaceIfEqual.bind(storage) : undefined;
  const write = replace ?? ((key: string, _held: string, value: string) => storage.set(key, value));
  writes.store = async (tokens, landed) => {
    if (stored.has(tokens)) return;
    const mine = cache().peek();
    // A renewal the flight did not store (the fleet's wait ended, the store failed): written only over its own sign-in.
    if (storageKey === undefined || mine?.tokens !== tokens) return store(tokens);
    const key = storageKey;
    // Handed out once written (a sign-out on another process refuses the write): until then each call that would hand
    // it out writes it again, the write under way shared, and fails as it fails (the store down: not signed out).
    let writing: Promise<void> | undefined;
    let told: Promise<unknown> | true | undefined;
    // A write that lands after its caller gave up (a `TIMEOUT`): nobody waits, so it lets the renewal go, then tells onTokens
    // itself (as the renewal's own call would; once: not if told or being told), what onTokens throws dropped.
    const late = () => {
      writing = Promise.resolve();
      const tell = told === undefined && cache().peek() === mine ? landed : undefined;
      told ??= true;
      held().then(tell).catch(() => undefined);
    };
    const confirm = () =>
      (writing ??= fallback(key, mine, tokens, late).catch((error: unknown) => {
        writing = undefined;
        throw error;
      }));
    // Landed in this call: the renewal tells onTokens itself. Else the first call whose write lands tells it (`landed`),
    // once: the calls waiting on that fail as it fails, as a flight's callers do; later ones get the renewal.
    confirm().then(() => (told = true), () => undefined);
    // This call's confirmation: landed, the renewal is let go at once (its onTokens and the getters see it), waited for or not.
    const held = holdEntry(cache(), mine, async () => {
      await confirm();
      // Not once signed out or renewed again here meanwhile: those tokens are no longer the app's news.
      if (told !== true && cache().peek() === mine) await (told ??= landed?.().finally(() => (told = true)));
    });
    return held();
  };
  /** Writes `tokens` (`mine`'s, this credential's renewal) over its own sign-in under `key`; `late` runs if it lands after its caller's wait failed. */
  const fallback = async (key: string, mine: UserTokenEntry, tokens: UserTokens, late: () => void) => {
    const text = JSON.stringify(tokens.toStorable());
    /**
     * Reads the key, then replaces what it holds: a renewal of the sign-in written between the two (another process's)
     * is read again, at most thrice (`round`), and kept. `true`: written; `false`: refused, the user signed out on another
     * process; `undefined`: nothing written.
     */
    const read = (round: number): FallbackStep => ({
      call: 'get()',
      made: (async () => storage.get(key))().then((held) => {
        // Renewed again here (this write held past timeoutMs: the newer grant spent its refresh token), or signed out
        // here: nothing written, the newer write or sign-out's removal decides.
        if (cache().peek()?.tokens !== tokens) return undefined;
        if (typeof held !== 'string' || storedSignIn(held) !== signInOf(mine.claims)) return false;
        // A renewal of the sign-in from another refresh token than those this credential renewed from (another process's, made
        // since: this write landing late): kept, as the newer one (its refresh token unspent), never replaced by this older one (rev166d).
        const theirs = adoptable(held, mine, owner);
        if (theirs !== undefined && renewal(theirs, mine, spent) === true) return undefined;
        return {
          call: replace === undefined ? 'set()' : 'replaceIfEqual()',
          // Only `false` is a refusal, as sign-out reads `removeIfEqual`'s answer: an answer that is no boolean may have written.
          made: (async () => write(key, held, text))().then((answer: unknown) => answer !== false || (round < 2 ? read(round + 1) : undefined)),
        };
      }),
    });
    const first = read(0);
    // The write lands as the storage calls settle, however long the caller waits.
    const landing = follow(first, (step) => step.made);
    writes.track(landing.then((written) => (written === true ? text : undefined)));
    // Removed, or another sign-in written: the user signed out on another process while this one renewed itself (the
    // session ends here even after the caller stopped waiting).
    const ended = landing.then(async (written) => {
      if (written === false) throw await endSession(mine, tokens);
    });
    ended.catch(() => undefined);
    // The caller waits on each storage call in turn, each bounded by timeoutMs: a `TIMEOUT` names the call it waited on.
    await follow(first, (step) =>
      bounded(`The token storage ${step.call}`, () => step.made, undefined, `The renewed tokens are kept in memory, not in storage: make the storage's ${step.call} settle within timeoutMs (or raise timeoutMs).`),
    ).catch((error: unknown) => {
      ended.then(late, () => undefined);
      throw error;
    });
    return ended;
  };
  // Its refresh grant's one read under the lock, bounded by timeoutMs: a failed read renews from what it holds. A renewal of the
  // sign-in stored there since (another process's, which spent the refresh token `previous` holds) is renewed from instead.
  view.renewFrom = async (previous) => {
    const text = await bounded('The token storage get()', () => (storageKey === undefined ? undefined : storage.get(storageKey))).catch(() => undefined);
    const stored = adoptable(text, previous, owner);
    const from = stored !== undefined && renewal(stored, previous, spent) === true ? stored : previous;
    const token = from.tokens.refreshToken?.reveal();
    if (token !== undefined && !spent.includes(token) && spent.push(token) > spentKept) spent.shift();
    return from;
  };
  // The access token of what the cache read from storage last (before each renewal): with its own, what a flight may renew from.
  let read: string | undefined;
  const get = view.get.bind(view);
  view.get = async (key) => {
    const entry = await get(key);
    read = entry?.accessToken;
    return entry;
  };
  view.singleFlight = async (key, obtain, { signal, call }) => {
    storageKey = key;
    const mine = cache().peek();
    // Signed out already: nothing to share; the credential's renewal path refuses what comes back.
    if (mine === undefined) return obtain();
    const [startedAt, known] = [orgNow(), [mine.accessToken, read]];
    // A renewal of this sign-in made during this flight (another process's: neither what it holds or read, nor older, `renewal`) has, as its lifetime, what was
    // left of it when the flight started: the renewal rule caps the margin at half of it, so tokens shorter-lived than renewBeforeSeconds are taken, not renewed again.
    const taken = (text: string) => {
      const theirs = adoptable(text, mine, owner);
      const during = theirs && renewal(theirs, mine, spent) !== undefined && !known.includes(theirs.accessToken) && theirs.expiresAt > startedAt;
      return during && theirs.expiresAt < Infinity ? Object.freeze({ ...theirs, lifetimeMs: theirs.expiresAt - startedAt }) : theirs;
    };
    let own: { text: string; entry: UserTokenEntry } | undefined;
    // Another process's renewal, stored while this one waits, is a write sign-out waits for (and undoes if it lands later)...
    let waited!: (text: string | undefined) => void;
    writes.track(new Promise((resolve) => (waited = resolve)));
    const next = async () => {
      // ...until this process holds the lock: then its own renewal is, once Okta answered (a refusal ends the session without a wait on itself).
      waited(undefined);
      const entry = await obtain();
      const text = JSON.stringify(entry.tokens.toStorable());
      own = { text, entry };
      // Not stored (the user signed out meanwhile): nothing written.
      writes.track(result.then((answer) => (answer === text ? text : undefined)));
      return { value: text, expiresAt: Number.POSITIVE_INFINITY };
    };
    const fresh = (text: string) => {
      const theirs = taken(text);
      return theirs !== undefined && theirs.accessToken !== mine.accessToken && isFresh(theirs, orgNow(), renewalFloorMs);
    };
    const result = (async () => flight(key, next, { signal, fresh, stored: true, call }))();
    result.then(
      (text) => {
        waited(text === own?.text ? undefined : text);
      },
      () => {
        waited(undefined);
      },
    );
    const text = await result;
    // Signed out on another process: nothing stored, or removed while Okta answered. What this process obtained is revoked, never handed out.
    if (text === undefined) throw obtainFailed(endSession(mine, own?.entry.tokens));
    const entry = text === own?.text ? own.entry : taken(text);
    // Garbage (a store that hands back what `fresh` refused): a miss, and the credential asks Okta itself.
    if (entry === undefined) return {} as UserTokenEntry;
    // The store refused this process's renewal for the same user's new sign-in, stored meanwhile (signed out and in
    // again on another process): that is taken, and the signed-out session's renewal revoked, never dropped alive. A
    // renewal of the same sign-in is left (one family at Okta: revoking it would revoke the one taken).
    // A revocation that left a token alive (user code threw, or Okta did not revoke one) is a `revocation` event ({@link revoke}).
    if (own !== undefined && entry !== own.entry && signInOf(entry.claims) !== signInOf(own.entry.claims)) await revoke(own.entry.tokens);
    stored.add(entry.tokens);
    return entry;
  };
  // The storage's own bound on the wait for another process's renewal, when it declares one (okta-auth's token file).
  const fleetWaitMs = storageTimeoutMs(storage, 'fleetWaitMs', maxStorageFleetWaitMs);
  if (fleetWaitMs === undefined) return fleetObtain;
  const waited = <E>(...[store, key, obtain, isEntry, options]: Parameters<typeof fleetObtain<E>>) => fleetObtain(store, key, obtain, isEntry, { ...options, fleetWaitMs });
  // The fleet's own count of a flight's callers goes with it (`fleetObtain.join`).
  return Object.assign(waited, { join: fleetObtain.join });
}
