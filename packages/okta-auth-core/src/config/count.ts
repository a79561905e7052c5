import { OktaAuthError } from '../errors/errors.js';

/**
 * The most a count option of things kept in memory may be, in every package (`maxBuckets`, `maxOrgs`,
 * the `maxEntries` of `createMemoryTokenStore` and `createMemoryStorage`): a million. A hundred times
 * the largest default (`maxOrgs`' 10,000; `maxBuckets`' 50,000 is 10,000 orgs of five), more than one
 * process serves, and finite, so the memory such a collection may take stays bounded (a million buckets
 * are about 350 MB, at about 350 bytes each) and a value no app means, `1e12` or `2 ** 53` (read as
 * "keep everything" until count166), is refused before anything is kept.
 * @example
 * ```ts
 * checkCount(20_000, 'maxOrgs', 10_000, [1, maxKept]); // 20000
 * ```
 * @see {@link checkCount}
 * @internal
 */
export const maxKept = 1_000_000;

/**
 * The one check of a count option (a whole number of things kept or allowed), for every package, as
 * `checkDuration` is of a duration: `fallback` when it is not given (`undefined` or `null`, as core
 * reads an options argument given `null`; a `fallback` of `NaN` makes the value required), else a whole
 * number from `min` to `max`. Anything else (text, `NaN`, a fraction, out of range; `Infinity` unless
 * `max` is `Infinity`, as `maxPages`' is) is `refuse`d (the package's own `INVALID_CONFIG`, core's by
 * default) in one wording, naming the option, its range and, given `why`, what it counts:
 * "The <name> option must be a whole number from <min> to <max> (<why>)."; a `name` ending in `)` is
 * a function's argument, no option, and is named as itself: "<name> must be a whole number from …".
 * A count of things kept in memory ends at {@link maxKept}.
 *
 * @example
 * ```ts
 * checkCount(undefined, 'maxOrgs', 10_000, [1, maxKept]); // 10000
 * checkCount(null, 'retry.limit', 2, [0, 20]); // 2
 * checkCount(Infinity, 'maxPages', Infinity, [1, Infinity]); // Infinity
 * checkCount(1e12, 'maxOrgs', 10_000, [1, maxKept], undefined, 'orgs kept in memory');
 * // throws INVALID_CONFIG: The maxOrgs option must be a whole number from 1 to 1000000 (orgs kept in memory).
 * checkCount(0, 'createInFlightLimit(max)', NaN, [1, 1000]);
 * // throws INVALID_CONFIG: createInFlightLimit(max) must be a whole number from 1 to 1000.
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @internal
 */
export function checkCount(
  value: unknown,
  name: string,
  fallback: number,
  [min, max]: readonly [min: number, max: number],
  refuse: (message: string) => Error = (message) => new OktaAuthError('INVALID_CONFIG', message),
  why?: string,
): number {
  const count = value ?? fallback;
  // `Infinity` is a whole number only where the range ends at it (`maxPages`).
  if (!((Number.isInteger(count) || count === max) && (count as number) >= min && (count as number) <= max)) {
    // An argument (a name ending in its bracket, `createInFlightLimit(max)`) is no option: named as itself.
    throw refuse(`${name.endsWith(')') ? name : `The ${name} option`} must be a whole number from ${min} to ${max}${why ? ` (${why})` : ''}.`);
  }
  return count as number;
}
