/**
 * An event the core reports to {@link OktaLogger}. Events never carry a
 * secret: URLs are reduced to origin and path, and header values that carry
 * credentials are never included.
 */
export type OktaLogEvent =
  | { readonly type: 'request'; readonly method: string; readonly url: string; readonly attempt: number; readonly credential: string }
  | { readonly type: 'response'; readonly method: string; readonly url: string; readonly attempt: number; readonly status: number; readonly requestId: string | undefined }
  | {
      readonly type: 'backoff';
      readonly method: string;
      readonly url: string;
      readonly attempt: number;
      /** How long the client waits before the next attempt, in ms. */
      readonly waitMs: number;
      /** The 429's `X-Okta-Request-Id`, sent back as `X-Okta-Retry-For`. */
      readonly requestId: string | undefined;
    }
  | { readonly type: 'retry'; readonly method: string; readonly url: string; readonly attempt: number; readonly reason: 'rate-limit' | 'challenge' | 'network' }
  | { readonly type: 'error'; readonly method: string; readonly url: string; readonly attempt: number; readonly code: string }
  | {
      /** A token store call failed or took too long: the credential went on with its in-process cache. */
      readonly type: 'token-store';
      readonly operation: 'get' | 'set' | 'delete' | 'single-flight';
      readonly outcome: 'error' | 'timeout' | 'corrupt';
    }
  | {
      /** A rate-limit coordinator call failed or took too long: the request went on with the per-process budget. */
      readonly type: 'rate-limit-coordinator';
      readonly operation: 'acquire' | 'observe';
      readonly outcome: 'error' | 'timeout';
    };

/**
 * Receives request, response, backoff and retry events: plug in your logger
 * or metrics. It is called synchronously; exceptions it throws are ignored.
 *
 * @example
 * ```ts
 * const okta = createOktaFetch({
 *   credential,
 *   logger: (event) => { if (event.type === 'backoff') metrics.increment('okta.backoff', event.waitMs); },
 * });
 * ```
 */
export type OktaLogger = (event: OktaLogEvent) => void;

/** Origin and path only: a query can carry search filters with personal data. */
export function loggableUrl(url: URL): string {
  return `${url.origin}${url.pathname}${url.search === '' ? '' : '?…'}`;
}

/** Calls the logger, swallowing anything it throws. */
export function emit(logger: OktaLogger | undefined, event: OktaLogEvent): void {
  if (logger === undefined) return;
  try {
    logger(event);
  } catch {
    // A broken logger must not break the request.
  }
}
