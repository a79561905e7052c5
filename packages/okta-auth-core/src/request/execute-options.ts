/**
 * The shapes of `executeOktaRequest`'s call (`execute.ts`, the fetch driver): what its request
 * builder gets and returns, and its options. Types only.
 */
import type { OktaCredential } from '../credential.js';
import type { OktaTransportOptions } from '../config/transport.js';
import type { AttemptDeadline } from './rate-limit-verdict.js';

/** What `executeOktaRequest` passes to the request builder. */
export interface AttemptContext {
  /** 1 for the first attempt, then 2, 3, … */
  readonly number: number;
  /** Fires on the caller's abort or this attempt's timeout. */
  readonly signal: AbortSignal;
}

/**
 * What a request builder returns for one attempt: a `Request` (copied with the attempt's signal
 * and `redirect: 'manual'`), or a URL and an init whose body is none, a string or a form, sent as
 * `fetch(url, init)` without building a `Request` (`createOktaFetch`'s warm path).
 */
export type BuiltAttempt =
  | Request
  | { readonly url: URL; readonly init: Omit<RequestInit, 'body' | 'headers'> & { readonly body?: string | URLSearchParams | null; readonly headers?: RequestInit['headers'] | undefined } };

/** Options of `executeOktaRequest`. */
export interface ExecuteOptions extends OktaTransportOptions {
  /** The only origin requests may go to (the credential's, when there is one). */
  readonly origin: string;
  /** Authorizes every attempt; omit for calls that carry their own authentication (a token request). */
  readonly credential?: OktaCredential | undefined;
  /** Aborts the whole request, waits included. */
  readonly signal?: AbortSignal | undefined;
  /** Throw `OktaApiError` for a final non-2xx answer (`false`: returned, but for a status past 599 or under 200, always thrown). @default true */
  readonly throwHttpErrors?: boolean | undefined;
  /**
   * Values the built request carries that must never reach an error or a log event (a client
   * assertion or refresh token in a form body). Credential-bearing headers are found on their own.
   */
  readonly secrets?: (() => Iterable<string>) | undefined;
  /**
   * The caller's own challenge of each answer the loop hands back (after its own retries: a 429, a
   * credential's challenge), as a credential's `challenge` is of a 400, 401 or 403: `true` sends the
   * request again, the call's next attempt (its number, its trail of secrets, its 429 budget),
   * logged as a challenge is (`retry`, reason `challenge`). For an answer only its body tells to
   * retry: a token request's `use_dpop_nonce` or clock-skew retry, whose bounds are the caller's. It
   * reads the body within the attempt's `timeoutMs`; a typed error it throws ends the attempt's log,
   * as the loop's own do. Omit it for a request read after it is returned.
   */
  readonly challenge?: ((response: Response) => Promise<boolean>) | undefined;
  /**
   * The bound of the attempt this request is made for (`attemptDeadline` of the attempt a credential's
   * `authorize` was given: a token request): a 429's wait is taken only within half of what remains of
   * it (and `retry.maxWaitMs`), else the answer is handed back at once, its reason naming that bound.
   */
  readonly within?: AttemptDeadline | undefined;
}
