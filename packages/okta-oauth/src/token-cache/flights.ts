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
