import { abortableSleep } from './abort.js';
import type { OktaCredential } from './credential.js';
import { OktaAuthError } from './errors.js';
import { emit, loggableUrl, type OktaLogEvent } from './logger.js';
import {
  answerState,
  apiError,
  attemptSecrets,
  authorizeAttempt,
  challengeDecision,
  invalidRequest,
  isRedirect,
  newRetryState,
  rateLimitDecision,
  recordRateLimitRetry,
  redirectError,
  sendFailure,
  type AttemptPolicy,
} from './request-policy.js';
import { recordAttempt } from './answer.js';
import { reportBudget, waitForBudget } from './rate-limit-coordinator.js';
import { scrub } from './secret.js';
import { normalizeTransport, type OktaTransportOptions } from './transport.js';

/** What {@link executeOktaRequest} passes to the request builder. */
export interface AttemptContext {
  /** 1 for the first attempt, then 2, 3, … */
  readonly number: number;
  /** Fires on the caller's abort or this attempt's timeout. */
  readonly signal: AbortSignal;
}

/** Options of {@link executeOktaRequest}. */
export interface ExecuteOptions extends OktaTransportOptions {
  /** The only origin requests may go to (the credential's, when there is one). */
  readonly origin: string;
  /** Authorizes every attempt; omit for calls that carry their own authentication (a token request). */
  readonly credential?: OktaCredential | undefined;
  /** Aborts the whole request, waits included. */
  readonly signal?: AbortSignal | undefined;
  /** Throw {@link OktaApiError} for a final non-2xx answer. @default true */
  readonly throwHttpErrors?: boolean | undefined;
  /**
   * Values the built request carries that must never reach an error or a log event (a client
   * assertion or refresh token in a form body). Credential-bearing headers are found on their own.
   */
  readonly secrets?: (() => Iterable<string>) | undefined;
}

/** Methods that may be sent twice (RFC 9110 §9.2.2). */
const idempotent = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

function attemptSignal(userSignal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return userSignal === undefined ? timeout : AbortSignal.any([userSignal, timeout]);
}

/**
 * Sends one logical request to Okta, attempt by attempt: the fetch driver of the request policy
 * (`request-policy.ts`), under {@link createOktaFetch} and the method packages' token requests.
 * The builder makes a fresh `Request` for every attempt, so a retried token request carries a
 * new client assertion and DPoP proof. Every attempt is checked against the origin, authorized
 * afresh by the credential, given the User-Agent and (on a 429 retry) `X-Okta-Retry-For` and
 * `X-Okta-Retry-Count`. A 429 waits `X-Rate-Limit-Reset` − `Date` + 1 s within the retry budget;
 * a 400/401/403 the credential can fix (DPoP nonce, revoked token) is retried once; redirects
 * are refused; a failure to get an answer is typed; what the credential throws reaches the
 * caller as itself. Internal (`@org/okta-auth-core/internal`).
 *
 * @example
 * ```ts
 * const origin = 'https://acme.okta.com';
 * const form = () => new URLSearchParams({ grant_type: 'client_credentials' });
 * const response = await executeOktaRequest(
 *   async () => new Request(`${origin}/oauth2/v1/token`, { method: 'POST', body: form() }),
 *   { origin, throwHttpErrors: false },
 * );
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-client-based/
 */
export async function executeOktaRequest(
  build: (attempt: AttemptContext) => Promise<Request>,
  options: ExecuteOptions,
): Promise<Response> {
  const { retry, timeoutMs } = normalizeTransport(options);
  const { credential, logger, signal: userSignal } = options;
  if (credential !== undefined && credential.origin !== options.origin) {
    throw new OktaAuthError('ORIGIN_MISMATCH', `The credential belongs to ${credential.origin}, not to ${options.origin}: use a credential of that org.`);
  }
  const policy: AttemptPolicy = { origin: options.origin, credential, userAgent: options.userAgent, secrets: options.secrets };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const state = newRetryState();
  let networkRetried = false;
  // Optional call: without a logger, no event (nor its URL string) is even built.
  const log = logger === undefined ? undefined : (event: OktaLogEvent): void => {
    emit(logger, event);
  };
  for (let number = 1; ; number++) {
    const signal = attemptSignal(userSignal, timeoutMs);
    const built = await build({ number, signal });
    // Authorizing is not transport: what the credential (or user code inside it) throws propagates as itself.
    const authorized = await authorizeAttempt(built, signal, policy, state);
    const { attempt } = authorized;
    const { url } = attempt;
    const headers = new Headers(built.headers);
    for (const [name, value] of Object.entries(authorized.headers)) headers.set(name, value);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    let request: Request;
    try {
      request = new Request(built, { headers, redirect: 'manual', signal });
    } catch (error) {
      throw invalidRequest(error);
    }
    const secrets = await attemptSecrets(request, authorized, policy);
    // The wait counts against this attempt's timeoutMs, so at most half of it (never throws).
    await waitForBudget(options.rateLimitCoordinator, url, { maxWaitMs: Math.min(retry.maxWaitMs, timeoutMs / 2), signal: userSignal, logger });
    log?.({ type: 'request', method: attempt.method, url: loggableUrl(url), attempt: number, credential: credential?.kind ?? 'none' });
    let response: Response;
    try {
      response = await fetchImpl(request);
    } catch (error) {
      const failure = sendFailure(error, attempt, userSignal, timeoutMs);
      // A connection reset before any answer (a stale keep-alive socket, say) is retried once
      // for idempotent methods, as ky does; never for POST.
      if (failure.code === 'NETWORK_ERROR' && !networkRetried && idempotent.has(attempt.method)) {
        networkRetried = true;
        log?.({ type: 'retry', method: attempt.method, url: loggableUrl(url), attempt: number, reason: 'network' });
        continue;
      }
      log?.({ type: 'error', method: attempt.method, url: loggableUrl(url), attempt: number, code: failure.code });
      throw failure;
    }
    recordAttempt(response, { secrets, where: `${attempt.method} ${url.pathname}`, timeoutMs, userSignal });
    // An answer can echo what was sent in any header: scrub before the id reaches a log event.
    const rawRequestId = response.headers.get('x-okta-request-id');
    const requestId = rawRequestId === null ? undefined : scrub(rawRequestId, secrets);
    log?.({ type: 'response', method: attempt.method, url: loggableUrl(url), attempt: number, status: response.status, requestId });
    const reported = reportBudget(options.rateLimitCoordinator, url, response, logger);

    if (isRedirect(response)) {
      await response.body?.cancel();
      throw redirectError(response, url, secrets);
    }
    const wait = rateLimitDecision(response, state, retry);
    if (wait !== undefined) {
      recordRateLimitRetry(response, state, wait);
      log?.({ type: 'backoff', method: attempt.method, url: loggableUrl(url), attempt: number, waitMs: wait, requestId });
      await response.body?.cancel();
      try {
        // A coordinator spreads the fleet's retries over the window (the next attempt asks it).
        await reported;
        await abortableSleep(options.rateLimitCoordinator === undefined ? wait : 0, userSignal);
      } catch {
        throw sendFailure(undefined, attempt, userSignal, timeoutMs);
      }
      log?.({ type: 'retry', method: attempt.method, url: loggableUrl(url), attempt: number, reason: 'rate-limit' });
      continue;
    }
    if (await challengeDecision(answerState(attempt, request, response), state, credential)) {
      await response.body?.cancel();
      log?.({ type: 'retry', method: attempt.method, url: loggableUrl(url), attempt: number, reason: 'challenge' });
      continue;
    }
    if (!response.ok && options.throwHttpErrors !== false) {
      const error = await apiError(response, attempt, request, secrets, credential);
      log?.({ type: 'error', method: attempt.method, url: loggableUrl(url), attempt: number, code: error.code });
      throw error;
    }
    return response;
  }
}
