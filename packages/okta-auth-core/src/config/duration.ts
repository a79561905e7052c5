import { OktaAuthError } from '../errors/errors.js';

/**
 * A year in ms: the longest duration option any package takes (a store's entry, lock or window;
 * Redis's `PX` and a Durable Object's alarm alike), the one constant of it.
 * @example
 * ```ts
 * checkDuration(ttlMs, 'ttlMs', 30 * 86_400_000, [1, maxDurationMs]);
 * ```
 * @see {@link checkDuration}
 * @internal
 */
export const maxDurationMs = 31_536_000_000;

/** The units a duration's bounds are told in, largest first (days only from two: `86400000` is "24 h"). */
const units: readonly (readonly [ms: number, unit: string, from: number])[] = [
  [86_400_000, ' days', 2],
  [3_600_000, ' h', 1],
  [60_000, ' min', 1],
  [1000, ' s', 1],
];

/** A bound in the largest unit that divides it (`300000` → `5 min`, `31536000000` → `365 days`), else in ms. */
function told(ms: number): string {
  for (const [size, unit, from] of units) if (ms >= size * from && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms} ms`;
}

/**
 * The one check of a duration option in milliseconds, for every package: `fallback` when it is not
 * given (`undefined` or `null`, as core reads an options argument given `null`), else a number
 * rounded up to a whole millisecond (`0.1 * 3 * 1000` is `300.00000000000006`, and Redis's `PX`
 * takes no fraction: `0.5` is 1) that is then from `min` to `max` (whole ms; `max` finite, as every
 * wait is bounded). Anything else (text, `NaN`, `Infinity`, below 0, out of range) is `refuse`d
 * (the package's own `INVALID_CONFIG`, core's by default) in one wording, naming the option and
 * its range:
 * "The <name> option must be a number of milliseconds from <min> to <max> (<min> to <max> told in units)."
 * Given `below` (`[name, ms, why]`: another option, checked already, that this one must stay under, and why), the
 * value, the default too, must also be under its `ms`, else refused naming both and what to change, the one
 * wording of that rule (a store's lock or lease under the wait for it: a dead holder's must end while the others
 * still wait):
 * "The <name> option (<value> ms, or its default, <value> ms) must be below <other> (<ms> ms): <why>. Lower <name> or raise <other>."
 *
 * @example
 * ```ts
 * checkDuration(undefined, 'leaseTtlMs', 5000, [1, 300_000]); // 5000
 * checkDuration(1500.2, 'leaseTtlMs', 5000, [1, 300_000]); // 1501
 * checkDuration(0.5, 'leaseTtlMs', 5000, [1, 300_000]); // 1
 * checkDuration(0, 'leaseTtlMs', 5000, [1, 300_000]);
 * // throws INVALID_CONFIG: The leaseTtlMs option must be a number of milliseconds from 1 to 300000 (1 ms to 5 min).
 * checkDuration(undefined, 'leaseTtlMs', 2000, [1, 300_000], undefined, ['maxWaitMs', 1000, 'a dead lease must end while the others wait']);
 * // throws INVALID_CONFIG: The leaseTtlMs option (its default, 2000 ms) must be below maxWaitMs (1000 ms): a dead lease must end while the others wait. Lower leaseTtlMs or raise maxWaitMs.
 * ```
 * @see https://developer.mozilla.org/en-US/docs/Web/API/Window/setTimeout#maximum_delay_value
 * @internal
 */
export function checkDuration(
  value: unknown,
  name: string,
  fallback: number,
  [min, max]: readonly [min: number, max: number],
  refuse: (message: string) => Error = (message) => new OktaAuthError('INVALID_CONFIG', message),
  below?: readonly [name: string, ms: number, why: string],
): number {
  const whole = value == null ? fallback : typeof value === 'number' ? Math.ceil(value) : Number.NaN;
  if (value != null && !((value as number) >= 0 && whole >= min && whole <= max)) {
    throw refuse(`The ${name} option must be a number of milliseconds from ${min} to ${max} (${told(min)} to ${told(max)}).`);
  }
  if (below && whole >= below[1]) {
    throw refuse(`The ${name} option (${value == null ? 'its default, ' : ''}${whole} ms) must be below ${below[0]} (${below[1]} ms): ${below[2]}. Lower ${name} or raise ${below[0]}.`);
  }
  return whole;
}
