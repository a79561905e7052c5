/**
 * Which of ky's time bounds ended a call, for the `TIMEOUT` message: ky's `TimeoutError` does not
 * say whether its `timeout` (per attempt) or its `totalTimeout` (the whole call) fired, and ky hands
 * neither option to a `beforeError` hook. Only a call, instance or `extend` that sets one records it.
 */
import type { TimeoutBound } from '../errors/failure.js';
import { OktaAuthError } from '../errors/errors.js';
import { boundLeft } from '../request/rate-limit-verdict.js';

/** ky's `timeout` and `totalTimeout` of a call as ky merged them (a `timeout` of `undefined` here: `createOktaKy`'s `timeoutMs`). */
export interface KyBounds {
  readonly timeout?: number | false | undefined;
  readonly totalTimeout?: number | false | undefined;
}

/**
 * The one check of ky's `timeout` or `totalTimeout` wherever given: `false`, none (`undefined`: ky's
 * default; ky 2.2 refuses `null` with an untyped `TypeError`, so it is refused here) or ms from 0 to ky's most (2^31 − 1). Else `INVALID_CONFIG` (the value not
 * shown): ky's timers take NaN, a negative number or a string as 0 ms, and ky throws a `RangeError`
 * past its most, which no TIMEOUT or wait bound would name.
 */
export function checkKyBound(value: unknown, key: 'timeout' | 'totalTimeout'): void {
  if (value !== undefined && value !== false && !(typeof value === 'number' && value >= 0 && value <= 2_147_483_647)) {
    throw new OktaAuthError('INVALID_CONFIG', `ky's ${key} option must be false or a number of milliseconds from 0 to 2147483647.`);
  }
}

/** ky's own `timeout` when a merged `timeout: undefined` leaves none (ky's default). */
const kyDefaultTimeout = 10_000;

/**
 * The bounds once `options` (a call's, an `extend`'s) are merged over `inherited`: `undefined`
 * when `options` sets neither (the common case: nothing new). ky merges a key given as
 * `undefined` as such, and then takes its default `timeout`. A key `options` hands back as
 * `parent` (the instance's options: `extend((parent) => ({ ...parent }))`) has it is not new:
 * `inherited` says already where it came from (the instance's `timeout` is `timeoutMs`'s, at most
 * 2^31 − 1, which is not `timeoutMs` past that).
 */
export function mergedBounds(inherited: KyBounds | undefined, options: object, parent?: KyBounds): KyBounds | undefined {
  const setsTimeout = changes(options, parent, 'timeout');
  const setsTotal = changes(options, parent, 'totalTimeout');
  if (!setsTimeout && !setsTotal) return inherited;
  const given = options as KyBounds;
  checkKyBound(given.timeout, 'timeout');
  checkKyBound(given.totalTimeout, 'totalTimeout');
  return {
    timeout: setsTimeout ? (given.timeout ?? kyDefaultTimeout) : inherited?.timeout,
    totalTimeout: setsTotal ? given.totalTimeout : inherited?.totalTimeout,
  };
}

/**
 * Whether `options` (a call's, an `extend`'s) gives `key` (`undefined` too: ky then takes its
 * default), other than `inherited`'s own handed back (an `extend` function's `{ ...parent }`): the
 * one test of what an `extend` changes, for its `retry`, `hooks` and `fetch` and its time bounds.
 */
export function changes(options: object, inherited: object | undefined, key: string): boolean {
  return key in options && (inherited === undefined || (options as Record<string, unknown>)[key] !== (inherited as Record<string, unknown>)[key]);
}

/**
 * The bounds of the options ky hands an `init` hook (`oktaKyHooks` on your own instance: ky's
 * timeout is the instance's, its default 10 s): one shared object for ky's defaults.
 */
export function ownInstanceBounds(options: KyBounds): KyBounds {
  checkKyBound(options.timeout, 'timeout');
  checkKyBound(options.totalTimeout, 'totalTimeout');
  return options.timeout === undefined && options.totalTimeout === undefined ? ownDefaults : { timeout: options.timeout ?? kyDefaultTimeout, totalTimeout: options.totalTimeout };
}

const ownDefaults: KyBounds = { timeout: kyDefaultTimeout };

/**
 * The bound of a call's attempt that the waits before it count against (`waitBound`): `timeoutMs`,
 * or the call's ky `timeout` or `totalTimeout` where shorter (ky's `timeout` does not cover
 * `oktaKyHooks`' `beforeRequest` hooks), named as {@link firedBound} names it (a ky `timeout` the
 * same as `timeoutMs` is `timeoutMs`; a `totalTimeout` the same as either is ky's `totalTimeout`).
 * With `started` (when the call began, `performance.now()` based, as ky's), what remains of the
 * `totalTimeout` in its place (ky ends the call then, whatever the wait), and with `begun` (when
 * the attempt began), what remains of the attempt's own: whole ms, none below 0 ({@link boundLeft}),
 * worked out when each wait begins, before the first attempt as before a retry.
 *
 * @example
 * ```ts
 * attemptBound({ totalTimeout: 4_000 }, 30_000); // { ms: 4000, name: "ky's totalTimeout" }
 * attemptBound({ totalTimeout: 4_000 }, 30_000, performance.now() - 3_000); // about { ms: 1000, name: "ky's totalTimeout" }
 * ```
 * @see https://github.com/sindresorhus/ky#totaltimeout
 */
export function attemptBound(bounds: KyBounds = {}, timeoutMs: number, started?: number, begun?: number): TimeoutBound {
  const { timeout, totalTimeout } = bounds;
  const kys = typeof timeout === 'number' && timeout < timeoutMs;
  const ms = kys ? timeout : timeoutMs;
  const own = begun === undefined ? ms : boundLeft(ms, begun);
  const left = started === undefined ? totalTimeout : totalLeft(bounds, started);
  return typeof left === 'number' && left <= own ? { ms: left, name: "ky's totalTimeout" } : { ms: own, name: kys ? "ky's timeout" : 'timeoutMs' };
}

/**
 * What remains of a call's ky `totalTimeout` since `started` (`performance.now()` based, as ky's),
 * in whole ms and none below 0 ({@link boundLeft}); `Infinity` without one (none set, or no start
 * recorded). What a wait of the call's counts against ({@link attemptBound} before each attempt,
 * the coordinator's wait after a 429).
 *
 * @example
 * ```ts
 * totalLeft({ totalTimeout: 4_000 }, performance.now() - 3_000); // about 1000
 * totalLeft({ timeout: 2_000 }, performance.now()); // Infinity
 * ```
 * @see https://github.com/sindresorhus/ky#totaltimeout
 */
export function totalLeft({ totalTimeout }: KyBounds = {}, started?: number): number {
  return typeof totalTimeout !== 'number' || started === undefined ? Infinity : boundLeft(totalTimeout, started);
}

/**
 * The bound that fired when ky's `TimeoutError` ended a call: `timeoutMs` (a number) when the call
 * has no bounds of its own; ky's `totalTimeout` when the attempt's bound could not fire before it
 * (none, or not shorter) or the call has run that long (`started`, `performance.now()` based, as
 * ky's), to within 50 ms: Node.js arms ky's timer on the event loop's clock, which lags
 * `performance.now()` by the work of the loop's turn, so a total timer fires before the call has
 * run `totalTimeout` by that clock (seen on a loaded CI machine); else ky's `timeout`.
 */
export function firedBound(bounds: KyBounds | undefined, started: number | undefined, timeoutMs: number): TimeoutBound | number {
  if (bounds === undefined) return timeoutMs;
  const { timeout, totalTimeout } = bounds;
  const attempt = timeout ?? timeoutMs;
  if (typeof totalTimeout === 'number' && (typeof attempt !== 'number' || totalTimeout <= attempt || (started !== undefined && performance.now() - started > totalTimeout - 50))) {
    return { ms: totalTimeout, name: "ky's totalTimeout" };
  }
  // ky's timeout off: what fired is the attempt's own timeoutMs (also when ky's is the same number: `{ ...parent }`).
  return typeof timeout === 'number' && timeout !== timeoutMs ? { ms: timeout, name: "ky's timeout" } : timeoutMs;
}
