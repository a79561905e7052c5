import type { OktaLogger } from '../config/logger.js';

/**
 * What the drivers pass to a wrapped coordinator's `wait` (`CoordinatedRateLimits.wait`), and what the
 * records below are kept by.
 * @example
 * ```ts
 * declare const coordinator: CoordinatedRateLimits;
 * const options: BudgetWaitOptions = { maxWaitMs: 5_000, signal: AbortSignal.timeout(10_000), logger: undefined };
 * const reserved = await coordinator.wait(new URL('https://acme.okta.com/api/v1/users'), options);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface BudgetWaitOptions {
  /** The most to wait in total before this attempt. */
  readonly maxWaitMs: number;
  /** The setting that bounds `maxWaitMs` (`retry.maxWaitMs`, `timeoutMs`, …), named by a spent window's `RATE_LIMITED`. @default 'retry.maxWaitMs' */
  readonly boundBy?: string | undefined;
  /** The caller's signal: it ends the wait (Okta's answer then decides). */
  readonly signal: AbortSignal | undefined;
  /** Receives a `rate-limit-coordinator` event when a call fails or hangs. */
  readonly logger: OktaLogger | undefined;
  /** Lists what the attempt carries (its credentials), scrubbed from the bucket's path. */
  readonly secrets?: (() => readonly string[]) | undefined;
  /** The call the attempt belongs to (its `RequestAttempt`'s): the `call` of the `rate-limit-coordinator` event. */
  readonly call?: number | undefined;
  /**
   * The attempt's log (the drivers give it): before each wait taken, it gets a `backoff` event with the `bucket` waited
   * on and the wait's `waitMs` (the attempt's method, URL, number and `call` added by it, as on a 429's `backoff`).
   */
  readonly log?: ((event: { readonly type: 'backoff'; readonly waitMs: number; readonly requestId: undefined; readonly bucket: string }) => void) | undefined;
}

/** The answer standing in for Okta's 429 (`spentAnswer`) of each wait that met a window Okta said is spent, by its options. */
const spentByOptions = new WeakMap<BudgetWaitOptions, Response>();

/**
 * Records that a coordinated wait met a window Okta said is spent, its wait past what the call has left:
 * `answer` is the 429 the drivers fail the call with, nothing sent (`spentAnswer`). @internal
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * recordSpent(options, spentAnswer({ wait: 48_000, resetIn: 42_000, left: 30_000, bucket: '/api/v1/users' }, 'retry.maxWaitMs'));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function recordSpent(options: BudgetWaitOptions, answer: Response): void {
  spentByOptions.set(options, answer);
}

/**
 * The 429 a coordinated wait given `options` met (a window Okta said is spent), if any: the drivers then
 * fail the call `RATE_LIMITED` with it, without sending (core's one `OktaApiError`, its hint kept by `reasons`). @internal
 * @example
 * ```ts
 * declare const options: BudgetWaitOptions;
 * spentWindow(options)?.status; // 429
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const spentWindow = (options: BudgetWaitOptions): Response | undefined => spentByOptions.get(options);

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
