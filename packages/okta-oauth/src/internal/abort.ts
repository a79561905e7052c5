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

/** The core `ABORTED` error for a fired signal. @internal */
export function abortError(signal: AbortSignal): OktaAuthError {
  return new OktaAuthError('ABORTED', 'The operation was aborted.', { cause: signal.reason });
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
