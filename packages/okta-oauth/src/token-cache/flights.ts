/**
 * The token flights a cache's concurrent callers share (one per store and flight key), and the bound
 * each was begun under: its token request's 429 wait must fit in the bound of the attempt whose `get`
 * began it, so a caller that joined it asks once more under its own bound only if that bound could take the wait.
 */
import type { AttemptDeadline } from '@org/okta-auth-core/internal';
import { halfLeft } from '@org/okta-auth-core/internal';
import { rateLimitedWaitMs } from '../token-endpoint/rate-limited.js';

/** In-flight token requests, per store and flight key, shared by every credential using that store that takes the same entries. */
const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * The bound of the attempt whose `get` began each flight (`attemptDeadline`; `undefined`: none). @internal
 * @example
 * ```ts
 * flightBounds.set(promise, attempt && attemptDeadline(attempt));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const flightBounds = new WeakMap<object, AttemptDeadline | undefined>();

/** Per flight of a cache with a fleet: how many of its callers still wait, and what fires once none does. */
const waiters = new WeakMap<object, { n: number; readonly gone: AbortController }>();

/**
 * Counts a caller of `flight` in until its `signal` fires (its abort, its attempt's `timeoutMs`), for good without one.
 * Given `gone`, `flight` is a new flight of a cache with a fleet (a store's `singleFlight`), followed from then on: the
 * last of its callers to leave fires `gone`, the signal its store's wait is given. No-op for a flight not followed. @internal
 * @example
 * ```ts
 * joinFlight(promise, signal, gone); // a new flight; then joinFlight(existing, signal) for each caller that joins it
 * ```
 * @see https://developer.mozilla.org/en-US/docs/Web/API/AbortSignal
 */
export function joinFlight(flight: Promise<unknown>, signal: AbortSignal | undefined, gone?: AbortController): void {
  const joined = gone ? { n: 0, gone } : waiters.get(flight);
  if (joined === undefined) return;
  if (gone) waiters.set(flight, joined);
  joined.n++;
  if (signal === undefined) return;
  const leave = () => {
    if (--joined.n === 0) joined.gone.abort();
  };
  if (signal.aborted) {
    leave();
    return;
  }
  signal.addEventListener('abort', leave);
  // Not kept past the flight: a long-lived signal (an app's) gathers no listener per call.
  const off = () => {
    signal.removeEventListener('abort', leave);
  };
  flight.then(off, off);
}

/**
 * The flights under way on `store`, by flight key. @internal
 * @example
 * ```ts
 * const pending = flightsOf(store); // pending.get(flightKey): the flight to join, if any
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function flightsOf(store: object): Map<string, Promise<unknown>> {
  let map = inFlight.get(store);
  if (map === undefined) inFlight.set(store, (map = new Map<string, Promise<unknown>>()));
  return map;
}

/**
 * What a caller with the bound `within` (`attemptDeadline`; `undefined`: none) and `signal` that joined `flight` gets after
 * it failed with `error`: `again()`, its own request, only for a `RATE_LIMITED` whose wait (`rateLimitedWaitMs`) the bound of
 * the attempt that began the flight could not take and this caller's can, by core's one rule of a wait within a bound (`halfLeft`: half of what it has left), and not once its
 * signal fired; else `error`. Callers of one bound (concurrent calls of one `timeoutMs`) never ask again while Okta refuses. @internal
 * @example
 * ```ts
 * existing.catch((error: unknown) => outlast(existing, within, signal, error, () => load(attempt)));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function outlast<T>(flight: object, within: AttemptDeadline | undefined, signal: AbortSignal | undefined, error: unknown, again: () => Promise<T>): Promise<T> {
  const wait = rateLimitedWaitMs(error);
  if (wait === undefined || signal?.aborted === true || wait <= halfLeft(flightBounds.get(flight)) || wait > halfLeft(within)) throw error;
  return again();
}
