import type { AttemptSecrets } from '../secrets/attempt-secrets.js';
import type { RequestAttempt } from '../credential.js';
import { shownPath } from '../secrets/secret.js';

/**
 * An event the core reports to {@link OktaLogger}. Events never carry a
 * secret: URLs are reduced to origin and path, and header values that carry
 * credentials are never included.
 *
 * The events of one call (`request`, `response`, `backoff` (a 429's wait or a coordinator's), `retry`, `error`, through every driver and
 * okta-oauth's token requests) carry its `call` number, and no other call's: group them by it to tell
 * concurrent calls to the same URL apart (which `response` answers which `request`, which retries are
 * whose), as Okta's `X-Okta-Request-Id` cannot (one per attempt, none when no answer came). It counts
 * the calls of this copy of core from 1, so it is unique within one process: across a fleet, join
 * it with the process's own name (host, pid, instance id), which a log pipeline adds anyway. A
 * counter, not a random id: a UUID makes every event 36 characters longer (the bundles weigh the
 * same either way), needs `crypto.randomUUID`, which a browser page lacks outside a secure context,
 * and differs from run to run. It says nothing about the request: no secret, no user. A
 * `rate-limit-coordinator` event carries the number of the call whose attempt asked the coordinator,
 * and a `token-store` event raised while a call's credential got its token (okta-oauth, a Redis storage's own) that call's;
 * `revocation` events and store work outside a call (sign-out, sweeps) carry none.
 * @example
 * ```ts
 * const calls = new Map<number, OktaLogEvent[]>();
 * const logger = (event: OktaLogEvent): void => {
 *   if (event.type === 'backoff') console.log(`call ${event.call}: waiting ${event.waitMs} ms for ${event.url}`);
 *   const call = 'call' in event ? event.call : undefined;
 *   if (call !== undefined) calls.set(call, [...(calls.get(call) ?? []), event]);
 * };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export type OktaLogEvent =
  | {
      /** An attempt is about to be sent. */
      readonly type: 'request';
      /** The HTTP method, upper case. */
      readonly method: string;
      /** The request URL: origin and path (scrubbed of the request's secrets), its query shown as `?…` only. */
      readonly url: string;
      /** Which attempt: 1 for the first, 2 for the first retry, and so on. */
      readonly attempt: number;
      /** Which call the attempt belongs to: the same number on every event of one call (see {@link OktaLogEvent}). */
      readonly call: number;
      /**
       * The credential's `kind` (`ssws`, `service-app`, …; a custom one on one line, at most 64 characters and `…`), never its secret; `none` for a request sent
       * without one (okta-oauth's token, discovery, keys, revocation and other OAuth requests).
       */
      readonly credential: string;
    }
  | {
      /** An answer arrived (any status). */
      readonly type: 'response';
      /** The HTTP method, upper case. */
      readonly method: string;
      /** The request URL: origin and path (scrubbed of the request's secrets), its query shown as `?…` only. */
      readonly url: string;
      /** Which attempt: 1 for the first, 2 for the first retry, and so on. */
      readonly attempt: number;
      /** Which call the attempt belongs to: the same number on every event of one call (see {@link OktaLogEvent}). */
      readonly call: number;
      /** The HTTP status. */
      readonly status: number;
      /** Okta's `X-Okta-Request-Id`, for support cases. */
      readonly requestId: string | undefined;
    }
  | {
      /**
       * The client waits: before retrying a 429 (no `bucket`), or as the rate-limit coordinator asks (`bucket`: each
       * wait it asks and the client takes, before an attempt or before a 429's retry, where the coordinator's wait replaces the 429's).
       */
      readonly type: 'backoff';
      /** The HTTP method, upper case. */
      readonly method: string;
      /** The request URL: origin and path (scrubbed of the request's secrets), its query shown as `?…` only. */
      readonly url: string;
      /** Which attempt: 1 for the first, 2 for the first retry, and so on. */
      readonly attempt: number;
      /** Which call the attempt belongs to: the same number on every event of one call (see {@link OktaLogEvent}). */
      readonly call: number;
      /** How long the client waits before the next attempt, in ms. */
      readonly waitMs: number;
      /** The 429's `X-Okta-Request-Id`, sent back as `X-Okta-Retry-For`; `undefined` on a coordinator's wait. */
      readonly requestId: string | undefined;
      /** A coordinator's wait: the bucket it waited on (`RateLimitScope.bucket`, `/api/v1/users`), scrubbed of the attempt's secrets; absent on a 429's. */
      readonly bucket?: string | undefined;
    }
  | {
      /** The request is sent again. */
      readonly type: 'retry';
      /** The HTTP method, upper case. */
      readonly method: string;
      /** The request URL: origin and path (scrubbed of the request's secrets), its query shown as `?…` only. */
      readonly url: string;
      /** Which attempt: 1 for the first, 2 for the first retry, and so on. */
      readonly attempt: number;
      /** Which call the attempt belongs to: the same number on every event of one call (see {@link OktaLogEvent}). */
      readonly call: number;
      /**
       * Why: a 429, a credential challenge (a DPoP nonce, a revoked token), a reset connection
       * (no answer came), or an answer retried for its status (a 408, 500, 502, 503 or 504 of an
       * idempotent method, not DELETE; through ky, ky's own retry; the `response` event before
       * names it). No wait is given: a 429's is the `backoff` event's, a status retry's is ky's backoff.
       */
      readonly reason: 'rate-limit' | 'challenge' | 'network' | 'status';
    }
  | {
      /** The request failed for good. */
      readonly type: 'error';
      /** The HTTP method, upper case. */
      readonly method: string;
      /** The request URL: origin and path (scrubbed of the request's secrets), its query shown as `?…` only. */
      readonly url: string;
      /** Which attempt: 1 for the first, 2 for the first retry, and so on. */
      readonly attempt: number;
      /** Which call the attempt belongs to: the same number on every event of one call (see {@link OktaLogEvent}). */
      readonly call: number;
      /** The error's `code`. */
      readonly code: string;
      /**
       * The `X-Okta-Request-Id` of the answer the call failed on (the error's `requestId`), for a
       * support case; `undefined` when the call failed with no answer (a timeout, a reset).
       */
      readonly requestId: string | undefined;
    }
  | {
      /** A token store call failed or took too long: the credential went on with its in-process cache. */
      readonly type: 'token-store';
      /**
       * The store call that failed; `dpop-key` for `loadSharedDpopKeyPair`'s load of a fleet's shared DPoP key
       * (@org/okta-token-store-redis): on `error` the process keeps a key of its own, and its own grant, until it restarts.
       */
      readonly operation: 'get' | 'set' | 'delete' | 'single-flight' | 'dpop-key';
      /**
       * How it failed: `corrupt` for an entry that is not a token entry (damaged, tampered with,
       * undecryptable); `token-type` for a well-formed entry of a token type this credential does
       * not use (a Bearer token when DPoP is `required`, a DPoP-bound one without DPoP), written by
       * another credential of the same key; either is a miss.
       */
      readonly outcome: 'error' | 'timeout' | 'corrupt' | 'token-type';
      /**
       * On `error`, the failure's typed `code` (an upper-case word: `STORE_UNAVAILABLE`, `ECONNREFUSED`) and the HTTP `status`
       * it names, when it has them (`STORE_UNAVAILABLE` and 404: a Durable Object namespace bound to another class); never
       * its message, which may quote a key or a value.
       */
      readonly code?: string;
      /** See `code`. */
      readonly status?: number;
      /**
       * The call whose credential read or renewed the token (its `authorize`): a renewal's store calls carry the call
       * that began it (calls joining it wait for it, and its token request is a call of its own), a Redis storage's own
       * `corrupt` event for an entry its single flight reads for it too (okta-oauth hands `singleFlight` the call; it
       * calls `get` with the key alone, so a corrupt entry a plain `get` finds has no call). Absent outside a call's `authorize`
       * (`getAccessToken`, a challenge's drop of a refused token, sign-out's and sweeps' storage calls) and on a shared
       * DPoP key's load (once per process, before any call).
       */
      readonly call?: number | undefined;
    }
  | {
      /**
       * Tokens the client obtained and no process keeps were not all revoked: they stay valid at Okta until they expire.
       * Sent by okta-oauth's user credential for a renewal the user's sign-out left: over a fleet's storage, refused because
       * the user signed out on another process; in a browser tab over `localStorage`, answered by Okta after another tab signed
       * out, or renewed by another tab and found in storage by a sign-out; brought back by a refresh in flight during a sign-out
       * (the answer does not wait for that revocation); or another user's tokens a sign-in's first write under the same key replaced.
       */
      readonly type: 'revocation';
      /** The tokens that may still be valid, in the order revoked: `refresh_token`, `access_token`. No token itself. */
      readonly notRevoked: readonly ('refresh_token' | 'access_token')[];
      /**
       * Why: `error` when Okta refused or gave no answer (each revocation request's own `error` event gives its code and
       * request id); `user-code` when the client's own code threw (a client assertion signer, a `ClientAuth`, a `fetch`):
       * then every token of the renewal is named, as any of them may be alive.
       */
      readonly outcome: 'error' | 'user-code';
    }
  | {
      /** A rate-limit coordinator call failed or took too long: the request went on with the per-process budget (see `suppressed`). */
      readonly type: 'rate-limit-coordinator';
      /** The coordinator call that failed (on `recovered`: the outage's first failure's): `acquire` is a call of its `reserve`. */
      readonly operation: 'acquire' | 'observe';
      /** How it failed; `recovered`: the first call that worked after an outage, 30 s or more after the last event. */
      readonly outcome: 'error' | 'timeout' | 'recovered';
      /** On `error`, the failure's typed `code` and HTTP `status`, when it has them, as a `token-store` event's. */
      readonly code?: string;
      /** See `code`. */
      readonly status?: number;
      /** A coordinator given a `logger` of its own (Redis's) logs there, bounded per outage: the failures left out since its last event (at most one event of any kind every 30 s). */
      readonly suppressed?: number;
      /** The call whose attempt asked (every event the drivers raise); `undefined` when your own code called `wait` or `report` without one. */
      readonly call?: number | undefined;
    }
  | {
      /**
       * okta-oauth's `createMultiOrgCredentials` replaced an org's credential because the tenant given to `get`
       * differs from the one it was made with (a rotated secret; also any other field): the new credential asks
       * for a token of its own. One on every `get` is a field that changes each time (a timestamp): pass only the
       * fields `create` reads. Not sent for an org made again after `idleMs`, `maxOrgs` or `delete`.
       */
      readonly type: 'credential-replaced';
      /** The org, as its origin (`https://acme.okta.com`). */
      readonly origin: string;
    };

/**
 * Receives each {@link OktaLogEvent}: request, response, backoff, retry and error events (the same through every
 * driver), and token-store, revocation, rate-limit-coordinator and credential-replaced events: plug in your logger or metrics. It is called synchronously, on the request's path, and never awaited: keep it quick (buffer the
 * event and hand slow work, such as a network sink, off), as the time it takes delays the request and everything
 * else the process does. Exceptions it throws are ignored, and so is what a Promise it returns rejects with (an
 * `async` logger): neither fails the request nor is left unhandled.
 *
 * @example
 * ```ts
 * declare const metrics: { increment(name: string, by: number): void };
 * const okta = createOktaFetch({
 *   credential,
 *   logger: (event) => { if (event.type === 'backoff') metrics.increment('okta.backoff', event.waitMs); },
 * });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export type OktaLogger = (event: OktaLogEvent) => void;

/** Origin and path only (scrubbed of the attempt's secrets): a query can carry search filters with personal data. */
function loggableUrl(url: URL, secrets: readonly string[]): string {
  return `${url.origin}${shownPath(url, secrets)}${url.search && '?…'}`;
}

const ignore = (): void => undefined;

/**
 * Calls the logger, ignoring anything it throws and what a Promise it returns (an `async` logger)
 * rejects with: `=> void` accepts an async function, whose rejection left alone would be unhandled,
 * which ends a Node.js process. The logger is called at once, never awaited.
 */
export function emit(logger: OktaLogger | undefined, event: OktaLogEvent): void {
  if (logger === undefined) return;
  try {
    const call: (event: OktaLogEvent) => unknown = logger;
    Promise.resolve(call(event)).catch(ignore);
  } catch {
    // A broken logger must not break the request.
  }
}

/**
 * How a call into a store or coordinator failed, for its `token-store` or `rate-limit-coordinator` event: the one
 * reading of a failure's typed `code` (an upper-case word) and HTTP `status` (100 to 599), when it has them; never its
 * message, which may quote a key or a value.
 *
 * @example
 * ```ts
 * failedCall({ reason: 'error', error: Object.assign(new Error('…'), { code: 'STORE_UNAVAILABLE', status: 404 }) });
 * // { outcome: 'error', code: 'STORE_UNAVAILABLE', status: 404 }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export function failedCall(failed: { readonly reason: 'timeout' } | { readonly reason: 'error'; readonly error: unknown }): { outcome: 'error' | 'timeout'; code?: string; status?: number } {
  if (failed.reason === 'timeout') return { outcome: 'timeout' };
  try {
    const { code, status } = Object(failed.error) as { code?: unknown; status?: unknown };
    return { outcome: 'error', ...(typeof code === 'string' && /^[A-Z][A-Z\d_]{0,63}$/.test(code) && { code }), ...(typeof status === 'number' && status > 99 && status < 600 && { status: status | 0 }) };
  } catch {
    return { outcome: 'error' };
  }
}

/**
 * The `error` event that ends a failed call's log: the error's `code` and the request id of the answer it failed on
 * (`OktaApiError`'s, a method package's error's), the one build of it for every driver and for `logFailure`'s callers.
 *
 * @example
 * ```ts
 * declare const log: AttemptLog | undefined;
 * declare const error: OktaAuthError;
 * log?.(failureEvent(error)); // { type: 'error', code: 'API_ERROR', requestId: 'XyZ…' }
 * ```
 * @see https://developer.okta.com/docs/api/#response-headers
 */
export function failureEvent({ code, requestId }: { readonly code: string; readonly requestId?: string | undefined }): Record<string, unknown> {
  return { type: 'error', code, requestId };
}

/** What one attempt logs: an event without the call's number and the attempt's method, URL and number, which {@link attemptLog} adds. */
export type AttemptLog = (event: Record<string, unknown>) => void;

/**
 * The log of one attempt, the same in both drivers: each event with the call's number (`call`,
 * its `RetryState`'s), the attempt's method, URL (origin and path, scrubbed of the attempt's
 * `secrets`) and number. Without a logger there is none, so no event (nor its URL, nor the secret list) is built.
 */
export function attemptLog(logger: OktaLogger | undefined, attempt: RequestAttempt, number: number, secrets: AttemptSecrets, call: number): AttemptLog | undefined {
  return (
    logger &&
    ((event) => {
      emit(logger, { ...event, call, method: attempt.method, url: loggableUrl(attempt.url, secrets()), attempt: number } as OktaLogEvent);
    })
  );
}
