import type { OktaLogger } from '@org/okta-auth-core';
import { emit, failedCall, settleWithin } from '@org/okta-auth-core/internal';

/** How long one call into a token store may take before it counts as failed. @internal */
export const defaultStoreTimeoutMs = 1000;

/** What happened to one bounded store call. @internal */
export type StoreOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: 'error' | 'timeout' };

/**
 * Runs one call into user code (a token store), bounded by core's one bounded wait
 * (`settleWithin`): it settles within `timeoutMs` whatever the store does (a hung promise
 * counts as `timeout`, a throw or rejection as `error`), and rejects with `ABORTED`/`TIMEOUT`
 * as soon as the caller's signal fires. Failures are reported to the logger (with the `call` the
 * store call was made for, when one was), never thrown.
 * @internal
 */
export async function boundedStoreCall<T>(
  operation: 'get' | 'set' | 'delete' | 'single-flight',
  run: () => Promise<T>,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined; readonly logger?: OktaLogger | undefined; readonly call?: number | undefined },
): Promise<StoreOutcome<T>> {
  const outcome = await settleWithin(run, options);
  if (outcome.ok) return outcome;
  emit(options.logger, { type: 'token-store', operation, ...failedCall(outcome), call: options.call });
  return { ok: false, reason: outcome.reason };
}
