import type { OktaLogger } from '@org/okta-auth-core';
import { anySignal, emit, waitFor } from '@org/okta-auth-core/internal';
import { boundedStoreCall } from './bounded-store.js';
import type { CacheStore } from './token-cache.js';
import { refusedEntry } from './store-entry.js';

/** How long a fleet-wide single flight may keep this process waiting before it asks Okta itself. @internal */
export const defaultFleetWaitMs = 5000;

/** Marks a failure of `obtain` (Okta's answer) apart from a failure of the store. */
class ObtainFailed extends Error {
  constructor(readonly error: unknown) {
    super('obtain failed');
  }
}

/**
 * Ends a store's single flight with `error`, which reaches the caller as a failure of `obtain`
 * (Okta's refusal) does, never as a store failure (which would have the cache ask Okta itself):
 * thrown by a view's `singleFlight`, the user fleet's when the user signed out on another process.
 * `error` may be a promise of it, awaited after the fleet's bound (`fleetWaitMs`), not within it:
 * the user fleet's, once it revoked what it obtained (its own bound, the client's `timeoutMs`).
 * @internal
 * @example
 * ```ts
 * declare const signedOut: Error;
 * throw obtainFailed(signedOut); // inside a CacheStore's singleFlight
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export function obtainFailed(error: unknown): Error {
  return new ObtainFailed(error);
}

/** Per flight of a cache with a fleet: how many of its callers still wait, and what fires once none does. */
const waiters = new WeakMap<object, { n: number; readonly gone: AbortController }>();

/**
 * `fleetObtain.join`: counts a caller of `flight` in until its `signal` fires (its abort, its attempt's `timeoutMs`), for good
 * without one. Given `gone`, `flight` is a new flight of the cache (its store's `singleFlight`), followed from then on: the last
 * of its callers to leave fires `gone`, the signal its store's wait is given. No-op for a flight not followed. The fleet's, not
 * the cache's: a bundle without a fleet (the `/sign-in` entry's) counts no caller. The caller's signal, which many calls may share
 * (an app's), is followed through core's `waitFor` until the flight settles: one listener on it for them all (until sig166, one per caller).
 */
function joinFlight(flight: Promise<unknown>, signal: AbortSignal | undefined, gone?: AbortController): void {
  if (gone) waiters.set(flight, { n: 0, gone });
  const joined = waiters.get(flight);
  if (!joined) return;
  joined.n++;
  // Told by core's wait (`waitFor`) that this caller left: its signal fired (never, without one), followed till the flight settled.
  const own = new AbortController();
  own.signal.addEventListener('abort', () => {
    if (!--joined.n) joined.gone.abort();
  });
  // The flight's failure is its callers' (the cache's wait), not this count's.
  waitFor(flight, signal, own).catch(() => undefined);
}

/**
 * One token request for a key across a fleet, through the store's `singleFlight` (a shared
 * `TokenStore` such as Redis): the entry another process or this one obtained, Okta's refusal
 * as itself, or `undefined` when the store has no `singleFlight`, failed, answered garbage or kept
 * this process waiting past `fleetWaitMs` (then the cache asks Okta, or finishes the request
 * already made). Its `token-store` events carry `options.call`, the call whose `authorize` began the renewal. The `fleet` part of a `TokenCache`: given by service and OIN credentials, whose
 * token store may have one, and by a user credential of `@org/okta-oauth`'s sign-in client over a
 * storage with one (`userFleet`, user/user-fleet.ts); the `/sign-in` entry's does not ship it.
 * Its `join` (`joinFlight`) counts the callers of each flight the cache begins and joins, so its
 * store's wait ends once none waits (`options.signal`). @internal
 */
export async function fleetObtain<E>(
  store: CacheStore<E>,
  key: string,
  obtain: () => Promise<E>,
  isEntry: (value: unknown) => value is E,
  /** `now`: the cache's clock (Okta's, by its `Date`), on which a stored token's freshness is judged. */
  options: { readonly fleetWaitMs?: number | undefined; readonly logger?: OktaLogger | undefined; readonly call?: number | undefined; readonly signal?: AbortSignal | undefined; readonly now?: (() => number) | undefined },
): Promise<E | undefined> {
  if (store.singleFlight === undefined) return undefined;
  const fleet = store.singleFlight.bind(store);
  const { signal } = options;
  // Ends the store's wait for another process once this process stops waiting (a Redis waiter
  // would otherwise poll on until its own maxWaitMs), or once no caller waits (`signal`: the
  // renewal rejects at once, and a store that calls `obtain` after it gets a refusal: no token
  // renewed for nobody); the request this process holds goes on. `done` follows `signal` by core's one combiner (`anySignal`,
  // not `AbortSignal.any`: missing in Next.js's edge runtime) until it aborts, in the `finally`, which takes it off `signal`.
  const done = new AbortController();
  if (signal) anySignal(signal, done);
  const ask = async () => {
    signal?.throwIfAborted();
    return obtain();
  };
  const run = () => fleet(key, () => ask().catch((error: unknown) => Promise.reject(new ObtainFailed(error))), { signal: done.signal, takes: isEntry, call: options.call, now: options.now }).catch((error: unknown) => {
    if (error instanceof ObtainFailed) return error;
    throw error;
  });
  const outcome = await boundedStoreCall('single-flight', run, { timeoutMs: options.fleetWaitMs ?? defaultFleetWaitMs, logger: options.logger, call: options.call, signal }).finally(() => {
    done.abort();
  });
  if (outcome.ok && outcome.value instanceof ObtainFailed) throw await outcome.value.error;
  if (outcome.ok && isEntry(outcome.value)) return outcome.value;
  if (outcome.ok) emit(options.logger, { type: 'token-store', operation: 'single-flight', outcome: refusedEntry(outcome.value), call: options.call });
  return undefined;
}

/** The callers of the flights of a cache with this fleet, counted by the fleet: a bundle without one carries none of it. */
fleetObtain.join = joinFlight;
