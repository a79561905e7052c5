import { fleetObtain } from '../token-cache/fleet.js';
import { isFresh } from '../token-cache/renewal.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { CacheStore } from '../token-cache/token-cache.js';
import { adoptable, type TokenOwner, type UserTokenEntry } from './token-entry.js';
import type { UserTokens } from './tokens.js';
import type { TokenWrites } from './token-writes.js';

/**
 * One renewal per user across the processes sharing a storage that offers `singleFlight` (the
 * Redis store): a user credential's refresh grant runs under the store's fleet lock for its storage
 * key, so one process refreshes and the others take its stored result. The stored text is what the
 * credential's own write stores (`toStorable()`), kept as long (`expiresAt: Infinity`: the storage's
 * own default, as a `set` without one: the entry outlives the access token by the refresh token's
 * life); a stored result is taken only if {@link adoptable} (the same user's, as another tab's),
 * fresh by the credential's renewal rule, and not the tokens this process holds. Okta's refusal
 * reaches the caller as itself; a wait that ends (`FLEET_WAIT_EXCEEDED`, the wait's bound) leaves
 * the credential to refresh itself ({@link fleetObtain}, as a service credential). Given by the
 * sign-in client of `@org/okta-oauth` only (`SignInParts.userFleet`): a browser bundle from
 * `@org/okta-oauth/sign-in` does not ship it. `undefined` for a storage without `singleFlight`.
 * @internal
 * @example
 * ```ts
 * declare const [owner, storage, view, writes, current]: Parameters<typeof userFleet>;
 * const fleet = userFleet(owner, storage, view, writes, current, 60_000); // new TokenCache({ …, fleet })
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-reuse-detection
 */
export function userFleet(
  /** Whose tokens the credential takes (`adoptable`), and its clock. */
  owner: TokenOwner & { readonly now: () => number },
  storage: OktaStorage | undefined,
  /** The credential's storage view (`userStorageView`): given `singleFlight` here. */
  view: CacheStore<UserTokenEntry>,
  /** The credential's storage writes: the store's own write of a renewal counts among them (sign-out waits for it, undoes it if it lands later). */
  writes: TokenWrites,
  /** The credential's current entry; `undefined` once signed out. */
  current: () => UserTokenEntry | undefined,
  /** The credential's renewal floor (`renewBeforeSeconds`): with `owner.now`, its renewal rule. */
  renewalFloorMs: number,
): typeof fleetObtain | undefined {
  if (typeof storage?.singleFlight !== 'function') return undefined;
  const flight = storage.singleFlight.bind(storage);
  // The tokens the storage stored itself (this renewal, or another process's): the credential's `write` does not write them again.
  const stored = new WeakSet<UserTokens>();
  const write = writes.write.bind(writes);
  writes.write = (tokens) => (stored.has(tokens) ? Promise.resolve() : write(tokens));
  view.singleFlight = async (key, obtain, { signal }) => {
    const mine = current();
    // Signed out already: nothing to share; the credential's renewal path refuses what comes back.
    if (mine === undefined) return obtain();
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
      writes.track(result.then(() => text));
      return { value: text, expiresAt: Number.POSITIVE_INFINITY };
    };
    const fresh = (text: string) => {
      const theirs = adoptable(text, mine, owner);
      return theirs !== undefined && theirs.accessToken !== mine.accessToken && isFresh(theirs, owner.now(), renewalFloorMs);
    };
    const result: Promise<string> = (async () => flight(key, next, { signal, fresh }))();
    result.then(
      (text) => {
        waited(text === own?.text ? undefined : text);
      },
      () => {
        waited(undefined);
      },
    );
    const text = await result;
    const entry = text === own?.text ? own.entry : adoptable(text, mine, owner);
    // Garbage (a store that hands back what `fresh` refused): a miss, and the credential asks Okta itself.
    if (entry === undefined) return {} as UserTokenEntry;
    stored.add(entry.tokens);
    return entry;
  };
  return fleetObtain;
}
