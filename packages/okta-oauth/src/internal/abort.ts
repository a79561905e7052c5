import { OktaAuthError } from '@org/okta-auth-core';

/**
 * Waits for a shared promise on behalf of one caller: the caller's signal
 * abandons its wait (`ABORTED`) without cancelling the shared work, so one
 * impatient caller never fails the others waiting on the same single flight.
 * @internal
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return shared;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The core error for a fired signal: `TIMEOUT` when it fired because an attempt's
 * `timeoutMs` ran out (its reason is a `TimeoutError`), `ABORTED` when the caller aborted.
 * @internal
 */
export function abortError(signal: AbortSignal): OktaAuthError<'ABORTED' | 'TIMEOUT'> {
  const reason: unknown = signal.reason;
  if (typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError') {
    return new OktaAuthError('TIMEOUT', 'No access token within the request\'s timeout (timeoutMs): the token endpoint is slow or unreachable.', { cause: reason });
  }
  return new OktaAuthError('ABORTED', 'The operation was aborted.', { cause: reason });
}

/** The longest delay setTimeout honours. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Sleeps `ms` milliseconds (at most about 24.8 days), or rejects with `ABORTED` as soon as the signal
 * fires. @internal
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      if (signal !== undefined) reject(abortError(signal));
    };
    // setTimeout fires at once for more than 2^31 - 1 ms: never let a long wait become none.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, maxTimerMs));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs user code (an `onTokens` callback, a storage `get`/`set`/`remove`) and waits for it at
 * most until the caller's signal fires or `timeoutMs` passes: `TIMEOUT` (or `ABORTED`) naming
 * `what`, so a callback that never settles cannot wedge a credential. The user code's own
 * error reaches the caller as itself; a hung call is abandoned, not cancelled.
 * @internal
 */
export function boundUserCode<T>(what: string, run: () => T | PromiseLike<T>, options: { readonly signal?: AbortSignal | undefined; readonly timeoutMs: number }): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
  const work = (async () => run())();
  work.catch(() => undefined);
  return waitFor(work, signal).catch((error: unknown) => {
    // Only the wait's own abort is rewritten; the user code's errors pass as themselves.
    if (!(signal.aborted && error instanceof OktaAuthError && error.cause === signal.reason)) throw error;
    const caller = options.signal;
    if (caller?.aborted === true && (caller.reason as { name?: unknown } | undefined)?.name !== 'TimeoutError') throw abortError(caller);
    const within = timeout.aborted ? `${options.timeoutMs} ms (timeoutMs)` : "the request's timeout (timeoutMs)";
    throw new OktaAuthError('TIMEOUT', `${what} did not settle within ${within}: it was abandoned.`, { cause: signal.reason });
  });
}
