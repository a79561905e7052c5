import type { BudgetWaitOptions, RateLimitSpent } from './rate-limit-coordinator.js';

/**
 * A spent window a coordinated wait met ({@link spentWindow}): the reservation's, what the call had
 * `left` to wait then, and the bucket (scrubbed). @internal
 */
export interface SpentWait extends RateLimitSpent {
  readonly left: number;
  readonly bucket: string;
}

/** The spent window each wait met, by its options. */
const spentByOptions = new WeakMap<BudgetWaitOptions, SpentWait>();

/**
 * Records that a coordinated wait met a window Okta said is spent, its wait past what the call has left. @internal
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * recordSpent(options, { wait: 48_000, resetIn: 42_000, left: 30_000, bucket: '/api/v1/users' });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function recordSpent(options: BudgetWaitOptions, spent: SpentWait): void {
  spentByOptions.set(options, spent);
}

/**
 * The spent window a coordinated wait given `options` met, if any: the drivers then fail the call
 * `RATE_LIMITED` without sending it (`spentError`). @internal
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * spentWindow(options)?.resetIn; // 42_000
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const spentWindow = (options: BudgetWaitOptions): SpentWait | undefined => spentByOptions.get(options);

/** What each {@link BudgetWaitOptions} given to a wrapped coordinator's `wait` was waited, by the options object. */
const waitedByOptions = new WeakMap<BudgetWaitOptions, number>();

/**
 * Records what a coordinated wait took so far (`coordinateRateLimits`' `wait`), for
 * {@link ownRateLimitWait}. In a module of its own: the drivers read it without bundling the
 * coordinator machinery. @internal
 *
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * recordCoordinatedWait(options, 2_000);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function recordCoordinatedWait(options: BudgetWaitOptions, waitedMs: number): void {
  waitedByOptions.set(options, waitedMs);
}

/**
 * What is left of a 429's wait (`wait` ms) for the client to wait itself, once the coordinator
 * declined the wait before the retry (`wait` resolved false) given `options`: what it waited
 * before declining is part of the 429's wait, never added to it (both drivers). A coordinator of
 * your own that records nothing waited nothing. @internal
 *
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * ownRateLimitWait(31_000, options); // 21_000 after a coordinated 10 s
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function ownRateLimitWait(wait: number, options: BudgetWaitOptions): number {
  return Math.max(0, wait - coordinatedWaitMs(options));
}

/**
 * What a coordinated wait given `options` took, in ms (0: none, or a coordinator of your own). @internal
 *
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * coordinatedWaitMs(options); // 10_000 after a coordinated 10 s
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function coordinatedWaitMs(options: BudgetWaitOptions): number {
  return waitedByOptions.get(options) ?? 0;
}
