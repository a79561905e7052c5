/**
 * The token flights a cache's concurrent callers share (one per store and flight key), and the bound
 * each was begun under: its token request's 429 wait must fit in the bound of the attempt whose `get`
 * began it, so a caller with a longer bound (or none) that joined it asks once more under its own.
 */
import type { RequestAttempt } from '@org/okta-auth-core';
import { attemptDeadline } from '@org/okta-auth-core/internal';

/** In-flight token requests, per store and flight key, shared by every credential using that store that takes the same entries. */
const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * When the bound of the attempt whose `get` began each flight ends ({@link ends}). @internal
 * @example
 * ```ts
 * flightEnds.set(promise, ends(attempt));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const flightEnds = new WeakMap<object, number>();

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
 * When the bound of `attempt` ends (`attemptDeadline`, on `performance.now()`'s clock); `Infinity` for none. @internal
 * @example
 * ```ts
 * const until = ends(attempt);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function ends(attempt: RequestAttempt | undefined): number {
  const within = attempt && attemptDeadline(attempt);
  return within ? within.since + within.ms : Infinity;
}

/**
 * What a caller whose bound ends at `until` ({@link ends}) that joined `flight` gets after it failed with `error`:
 * `again()`, its own request, for a `RATE_LIMITED` (a 429 whose wait was not taken) of a flight begun under a
 * bound that ends sooner, which this caller's may allow; else `error`. One more token request at most: a 429
 * refused for `retry.limit` or `retry.maxWaitMs` is refused again, with this caller's own advice. @internal
 * @example
 * ```ts
 * existing.catch((error: unknown) => outlast(existing, until, error, () => load(attempt)));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function outlast<T>(flight: object, until: number, error: unknown, again: () => Promise<T>): Promise<T> {
  if ((error as { code?: unknown } | null)?.code !== 'RATE_LIMITED' || until <= (flightEnds.get(flight) ?? Infinity)) throw error;
  return again();
}
