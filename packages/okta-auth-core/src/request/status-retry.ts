/**
 * The one rule of what is sent again on its own, without Okta saying so (a 429 and the credential's
 * challenge are the request policy's): which answers and which methods, in both drivers.
 * `createOktaKy` gives the lists to ky's retry; the fetch driver (`execute.ts`) reads them itself,
 * with ky's default budget (2) and backoff. Internal to core.
 */

/**
 * The statuses retried for an idempotent method: ky's defaults but 413 and 429 (a 429 is the
 * request policy's, after Okta's reset; a 413 is no passing failure).
 * @example
 * ```ts
 * retriedStatuses.includes(503); // true
 * ```
 * @see https://github.com/sindresorhus/ky#retry
 */
export const retriedStatuses: readonly number[] = [408, 500, 502, 503, 504];

/**
 * The methods sent again after a retried status or a connection reset: ky's idempotent methods
 * (RFC 9110 §9.2.2) but DELETE, which is not idempotent at Okta (a user's first DELETE
 * deactivates, a second deletes for good). Lower case, as ky takes them (`fetch` cannot send TRACE).
 * @example
 * ```ts
 * retriedMethods.includes('put'); // true
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 */
export const retriedMethods: readonly string[] = ['get', 'put', 'head', 'options', 'trace'];

/**
 * The fetch driver's budget of status retries per call (ky's default `retry.limit`), apart from
 * the 429 retries (`retry.limit`) and the challenge's.
 * @example
 * ```ts
 * const more = statusRetryLimit > 1;
 * ```
 * @see https://github.com/sindresorhus/ky#retry
 */
export const statusRetryLimit = 2;

/**
 * Whether an attempt of `method` (upper case, as the attempt names it) may be sent again on its own.
 * @example
 * ```ts
 * isResendable('DELETE'); // false
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 */
export function isResendable(method: string): boolean {
  return retriedMethods.includes(method.toLowerCase());
}

/**
 * The wait before the `n`th retry (from 1): ky's default backoff, 0.3 s × 2^(n−1), without jitter, at most 5 s
 * (ky's `backoffLimit` in `createOktaKy` until waitsum142). The fetch driver's before each status retry, and
 * `createOktaKy`'s before each of ky's own retries (unless a base instance sets its own `delay`): counted in the
 * call's total of `retry.maxWaitMs`, one past what is left not started (`waitLeft`, `countWait`).
 * @example
 * ```ts
 * statusRetryWaitMs(2); // 600
 * ```
 * @see https://github.com/sindresorhus/ky#retry
 */
export function statusRetryWaitMs(n: number): number {
  return Math.min(300 * 2 ** (n - 1), 5_000);
}
