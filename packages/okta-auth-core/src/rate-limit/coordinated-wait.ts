import type { BudgetWaitOptions } from './rate-limit-coordinator.js';

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
