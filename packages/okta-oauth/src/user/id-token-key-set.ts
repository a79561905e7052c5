import { isOktaAuthError } from '@org/okta-auth-core';
import { waitFor } from '@org/okta-auth-core/internal';
import { invalidIdToken as invalid, type IdTokenVerifierContext } from './id-token.js';
import type { JsonWebKeySetJson } from './jwks.js';

/**
 * The least time between two fetches of a client's key set for tokens the set held cannot verify
 * (a `kid` it lacks or holds twice): 30 s, jose's `createRemoteJWKSet` cooldown. ID tokens naming
 * unknown kids (a forged one, or a hostile org's) cannot make the client hammer `jwks_uri`; a
 * failed fetch starts the cooldown too, so they cannot while `jwks_uri` fails either.
 */
export const keySetCooldownMs = 30_000;

/** How long a fetched key set is used by default: 10 minutes, jose's `createRemoteJWKSet` `cacheMaxAge`. */
export const defaultKeySetMaxAgeMs = 600_000;

/** The longest `keySetMaxAgeMs` taken: a day (a key the org revokes is trusted at most that long). */
export const keySetMaxAgeLimitMs = 86_400_000;

type FetchKeys = IdTokenVerifierContext['fetchKeys'];

/** One client's key set (by its `fetchKeys`). */
interface KeySetState {
  /** The last set fetched and when its fetch started: used until the max age after that, kept through failed fetches. */
  good: { readonly keys: JsonWebKeySetJson; readonly at: number } | undefined;
  /** The fetch in flight, shared by every caller (single flight); none once it settles. */
  pending: Promise<JsonWebKeySetJson> | undefined;
  /** When the last fetch started, whether it worked or failed: the cooldown counts from it. */
  triedAt: number;
}

/** A key set for one token: `fresh` when it was fetched for this very token (so not fetched again for it). */
export interface KeySetLookup {
  readonly keys: JsonWebKeySetJson;
  readonly fresh: boolean;
}

/** Whether `at` (a `Date.now()`) is less than `ms` ago; a time ahead of the clock (a clock stepped back) is not. */
function within(at: number, ms: number): boolean {
  const age = Date.now() - at;
  return age >= 0 && age < ms;
}

/** A refetch for a token the set held cannot verify has failed: say so, with the fetch's own typed error. */
function refetchFailed(error: unknown, maxAgeMs: number): Error {
  const fetchError = isOktaAuthError(error) ? error : undefined;
  const why = fetchError === undefined ? 'the fetch threw' : `${fetchError.code}: ${fetchError.message}`;
  return invalid(
    'signature',
    `the key set held cannot verify it (it lacks the token's key or holds it twice), and fetching the org's key set (jwks_uri) again failed (${why}); the set held is kept for other keys until ${maxAgeMs / 1000} s after its fetch and fetched again at most every ${keySetCooldownMs / 1000} s: try again later`,
    fetchError,
  );
}

/**
 * Each client's key set, kept for at most `maxAgeMs` after its fetch started (jose's
 * `cacheMaxAge`). `get(context)` gives the set held while it is younger than that; else (none yet,
 * or too old) the verification waits for a fetch, as jose's does (an old set is never used while
 * the new one is on its way), and a failed fetch fails it with the fetch's own error.
 * `get(context, stale)`, for a set that cannot verify the token (a `kid` it lacks or holds twice),
 * fetches the set again, unless a newer set is held or the last fetch started less than
 * {@link keySetCooldownMs} ago (then `stale` itself is the answer). A failed refetch keeps the set
 * held, its age unchanged (a failure never makes it live longer), and is `ID_TOKEN_INVALID` saying
 * that the refetch failed. Every fetch is shared by the callers that need it; each caller waits at
 * most until its own signal fires (core's `waitFor`: `ABORTED`, or `TIMEOUT` for a timeout reason),
 * while the fetch goes on for the others.
 * @internal
 */
export function keySetCache(maxAgeMs: number): (context: IdTokenVerifierContext, stale?: JsonWebKeySetJson) => Promise<KeySetLookup> {
  const states = new WeakMap<FetchKeys, KeySetState>();

  function fetchShared(fetchKeys: FetchKeys, state: KeySetState): Promise<JsonWebKeySetJson> {
    if (state.pending !== undefined) return state.pending;
    const at = Date.now();
    state.triedAt = at;
    const pending = (async () => {
      const keys = await fetchKeys();
      state.good = { keys, at };
      return keys;
    })();
    state.pending = pending;
    const settled = () => {
      if (state.pending === pending) state.pending = undefined;
    };
    pending.then(settled, settled);
    return pending;
  }

  return async (context, stale) => {
    const { fetchKeys, signal } = context;
    let state = states.get(fetchKeys);
    if (state === undefined) {
      state = { good: undefined, pending: undefined, triedAt: -Infinity };
      states.set(fetchKeys, state);
    }
    const held = state.good !== undefined && within(state.good.at, maxAgeMs) ? state.good.keys : undefined;
    if (stale === undefined) {
      if (held !== undefined) return { keys: held, fresh: false };
      return { keys: await waitFor(fetchShared(fetchKeys, state), signal), fresh: true };
    }
    // Another caller's refetch has replaced the set that could not verify the token: try that one.
    if (held !== undefined && held !== stale) return { keys: held, fresh: false };
    if (state.pending === undefined && within(state.triedAt, keySetCooldownMs)) return { keys: stale, fresh: false };
    const again = fetchShared(fetchKeys, state).catch((error: unknown) => {
      throw refetchFailed(error, maxAgeMs);
    });
    // A caller whose signal has fired stops waiting for it: its failure is then nobody's.
    again.catch(() => undefined);
    return { keys: await waitFor(again, signal), fresh: false };
  };
}
