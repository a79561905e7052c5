import { OktaAuthError } from '../errors/errors.js';
import type { RateLimitObservation } from '../rate-limit/rate-limit-coordinator.js';
import { checkDuration, maxDurationMs } from './duration.js';

/**
 * The options every rate-limit coordinator takes, the fleet's (`createRedisRateLimitCoordinator`,
 * `createDurableObjectRateLimitCoordinator`) and the in-process `createMemoryRateLimitCoordinator`,
 * as {@link checkRateLimitOptions} reads them.
 * @example
 * ```ts
 * const given: RateLimitOptions = { headroom: 0.1, windowMs: 60_000, spreadMs: 0 };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @internal
 */
export interface RateLimitOptions {
  /** Share of each limit the coordinated clients (a fleet's, or one process's) leave unused, from 0 to below 1. @default 0.05 */
  readonly headroom?: unknown;
  /** Okta's window, in ms (1 ms to a year). @default 60000 */
  readonly windowMs?: unknown;
  /** Waiters resume spread over this long after the reset (0: all at the reset; else 1 ms to a year). @default windowMs */
  readonly spreadMs?: unknown;
}

/** The longest `timeoutMs` a rate-limit coordinator may declare for each call into it (10 s: it sits in front of a request). @internal */
export const maxCoordinatorTimeoutMs = 10_000;

/**
 * The `timeoutMs` a coordinator whose calls are bounded at `boundMs` on its own (the Redis coordinator's `commandTimeoutMs`, the
 * Durable Object's `timeoutMs`) declares to core: 50 ms more (the bucket's key is hashed before the call), so its own bound, not
 * core's, ends a slow call; at most {@link maxCoordinatorTimeoutMs}, core's longest, which then ends it.
 * @example
 * ```ts
 * coordinatorTimeoutMs(200); // 250
 * coordinatorTimeoutMs(30_000); // 10000
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @internal
 */
export function coordinatorTimeoutMs(boundMs: number): number {
  return Math.min(boundMs + 50, maxCoordinatorTimeoutMs);
}

/**
 * The one check of a rate-limit coordinator's options, for all three (the fleet's two and the
 * in-process one; the Redis one took a `headroom` of `' '`, `'0.5'` or `[0.5]`, which its script read as nil or text, so every
 * `reserve` failed and requests went on uncoordinated with no config error): `headroom` a number
 * from 0 to below 1 (0.05 when not given), `windowMs` a duration of 1 ms to a year (a minute when
 * not given), `spreadMs` 0 or such a duration (`windowMs` when not given), through
 * {@link checkDuration}. Anything else is `refuse`d (the package's own `INVALID_CONFIG`), naming
 * the option.
 *
 * @example
 * ```ts
 * checkRateLimitOptions({ headroom: 0.1 }); // { headroom: 0.1, windowMs: 60000, spreadMs: 60000 }
 * checkRateLimitOptions({ headroom: '0.5' });
 * // throws INVALID_CONFIG: The headroom option must be a share of each limit from 0 to below 1 (…).
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @internal
 */
export function checkRateLimitOptions(
  given: RateLimitOptions,
  refuse: (message: string) => Error = (message) => new OktaAuthError('INVALID_CONFIG', message),
): { headroom: number; windowMs: number; spreadMs: number } {
  const headroom = given.headroom ?? 0.05;
  if (typeof headroom !== 'number' || !(headroom >= 0 && headroom < 1)) {
    throw refuse('The headroom option must be a share of each limit from 0 to below 1 (0.05 leaves 5% of it to other clients of the org).');
  }
  const windowMs = checkDuration(given.windowMs, 'windowMs', 60_000, [1, maxDurationMs], refuse);
  const spreadMs = given.spreadMs === 0 ? 0 : checkDuration(given.spreadMs, 'spreadMs', windowMs, [1, maxDurationMs], refuse);
  return { headroom, windowMs, spreadMs };
}

/**
 * An observation's reset as a time from `now` (what a coordinator stores, so that no
 * process's clock is): whole ms, at most a year either way (the stores' cap on a duration: one
 * dated over a year back, `X-Rate-Limit-Reset: 0`, counts as a year back; one past a year ahead
 * would make a wait past 2^53 ms); `undefined` without a reset or for one that is no finite number.
 * The one clamp of it, for every coordinator (the fleet's had each its own, lined up by hand).
 *
 * @example
 * ```ts
 * resetInMs(Date.now() + 20_000.4, Date.now()); // 20000
 * resetInMs(0, Date.now()); // -31536000000 (a year back)
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 * @internal
 */
export function resetInMs(resetAt: number | undefined, now: number): number | undefined {
  if (resetAt === undefined || !Number.isFinite(resetAt)) return undefined;
  return Math.max(-maxDurationMs, Math.min(Math.round(resetAt - now), maxDurationMs));
}

/** The largest count core's header reader takes from `X-Rate-Limit-Limit`/`-Remaining` (15 digits). */
const maxCount = 999_999_999_999_999;
/** A count as the header reader reads one: a whole number of at most 15 digits, else none. */
const count = (value: unknown): number | undefined => (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= maxCount ? (value as number) : undefined);

/**
 * The one reading of what an answer said about its bucket, made once in `coordinateRateLimits`
 * before any coordinator sees it (its `report` and a direct `observe` call alike), so one answer
 * makes one bucket in every coordinator: `limit` and `remaining` as core's header reader reads
 * `X-Rate-Limit-*` (a whole number of at most 15 digits; anything else, negative, fractional,
 * 2^53, `NaN`, is not said), `remaining` at most `limit`, `resetAt` a finite number or not said;
 * `undefined`, nothing said, when `status` is no HTTP status (a whole number from 100 to 599).
 * A `limit` of 0 stays 0: on a 429 it is Okta's concurrent limit.
 *
 * @example
 * ```ts
 * seenAnswer({ status: 200, limit: 10, remaining: 15, resetAt: 1_800_000_030_000 }); // remaining 10
 * seenAnswer({ status: 200, limit: -1 }); // { status: 200, limit: undefined, … }: an unlimited bucket
 * seenAnswer({ status: 0 }); // undefined
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 * @internal
 */
export function seenAnswer(observation: RateLimitObservation): RateLimitObservation | undefined {
  // A JavaScript caller's `null` says nothing either.
  const { status, limit, remaining, resetAt } = (observation as RateLimitObservation | null) ?? { status: 0 };
  const code = count(status);
  if (code === undefined || code < 100 || code > 599) return undefined;
  const most = count(limit);
  const left = count(remaining);
  return { status: code, limit: most, remaining: most === undefined || left === undefined ? left : Math.min(left, most), resetAt: Number.isFinite(resetAt) ? resetAt : undefined };
}
