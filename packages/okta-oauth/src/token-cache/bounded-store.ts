import type { OktaLogEvent, OktaLogger } from '@org/okta-auth-core';
import { abortError } from '../internal/abort.js';

/** How long one call into a token store may take before it counts as failed. @internal */
export const defaultStoreTimeoutMs = 1000;

/** Reports an event to the user's logger; a throwing logger is ignored (as core's requests do). @internal */
export function logEvent(logger: OktaLogger | undefined, event: OktaLogEvent): void {
  try {
    logger?.(event);
  } catch {
    // A broken logger must not break the request.
  }
}

/** What happened to one bounded store call. @internal */
export type StoreOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: 'error' | 'timeout' };

/**
 * Runs one call into user code (a token store), bounded: it settles within `timeoutMs`
 * whatever the store does (a hung promise counts as `timeout`, a throw or rejection as
 * `error`), and rejects with `ABORTED`/`TIMEOUT` as soon as the caller's signal fires. The
 * store's own late answer is ignored. Failures are reported to the logger, never thrown.
 * @internal
 */
export function boundedStoreCall<T>(
  operation: 'get' | 'set' | 'delete' | 'single-flight',
  run: () => Promise<T>,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined; readonly logger?: OktaLogger | undefined },
): Promise<StoreOutcome<T>> {
  const { signal, timeoutMs, logger } = options;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise<StoreOutcome<T>>((resolve, reject) => {
    let done = false;
    const finish = (outcome: StoreOutcome<T>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (!outcome.ok) logEvent(logger, { type: 'token-store', operation, outcome: outcome.reason });
      resolve(outcome);
    };
    const onAbort = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (signal !== undefined) reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      finish({ ok: false, reason: 'timeout' });
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(run());
    } catch {
      finish({ ok: false, reason: 'error' });
      return;
    }
    pending.then(
      (value) => {
        finish({ ok: true, value });
      },
      () => {
        finish({ ok: false, reason: 'error' });
      },
    );
  });
}
