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
    return new OktaAuthError('TIMEOUT', 'No answer within the request\'s timeout (timeoutMs): Okta (its token endpoint, discovery document or signing keys) is slow or unreachable.', { cause: reason });
  }
  return new OktaAuthError('ABORTED', 'The operation was aborted.', { cause: reason });
}

/**
 * Sleeps `ms` milliseconds, or rejects with `ABORTED` as soon as the signal
 * fires. @internal
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      if (signal !== undefined) reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
