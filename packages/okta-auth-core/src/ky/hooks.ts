import ky, { isHTTPError, isNetworkError, isTimeoutError, type Hooks, type NormalizedOptions, type Options } from 'ky';
import type { OktaCredential, RequestAttempt } from '../credential.js';
import { isOktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors.js';
import { emit, loggableUrl } from '../logger.js';
import {
  answerState,
  apiError,
  apiErrorFromParts,
  attemptPolicy,
  attemptSecrets,
  authorizeAttempt,
  challengeDecision,
  isRedirect,
  newRetryState,
  rateLimitDecision,
  recordRateLimitRetry,
  redirectError,
  sendFailure,
  type AttemptPolicy,
  type RetryState,
} from '../request-policy.js';
import { maxErrorBodyBytes, readAnswerText, recordAttempt } from '../answer.js';
import { reportBudget, waitForBudget } from '../rate-limit-coordinator.js';
import { scrub } from '../secret.js';
import { normalizeTransport, type NormalizedRetry, type OktaTransportOptions } from '../transport.js';

/** Options of {@link oktaKyHooks} and {@link createOktaKy}. */
export interface OktaKyOptions extends Omit<OktaTransportOptions, 'fetch'> {
  /** The credential of one org (`@org/okta-ssws`, `@org/okta-oauth`). */
  readonly credential: OktaCredential;
}

interface RequestState {
  readonly retry: RetryState;
  /** The attempt in flight: the object the credential's authorize, challenge and explain all get. */
  attempt: RequestAttempt | undefined;
  secrets: string[];
}

const stateKey = '@org/okta-auth-core:state';

function stateOf(options: Readonly<NormalizedOptions> | Options): RequestState {
  const context: Record<string, unknown> | undefined = options.context;
  const state = context?.[stateKey] as RequestState | undefined;
  if (state === undefined) {
    throw new OktaAuthError('INVALID_CONFIG', 'The okta-auth ky hooks must be installed together (use every hook returned by oktaKyHooks).');
  }
  return state;
}

/** The shared rate-limit budget, asked before each send as the fetch driver does. */
interface Budget {
  readonly coordinator: OktaTransportOptions['rateLimitCoordinator'];
  readonly maxWaitMs: number;
  readonly logger: OktaTransportOptions['logger'];
}

/** The attempt ky's request is (the same method, URL and signal the credential was given). */
function attemptOf(request: Request): RequestAttempt {
  return { method: request.method.toUpperCase(), url: new URL(request.url), signal: request.signal };
}

/**
 * Authorizes one attempt by the request policy. The headers are set on ky's request in place (no
 * new Request: ky's own request is reused, which is measurably cheaper); only a request that
 * would follow redirects is replaced, by one that will not. What the credential throws
 * propagates as itself, as in the fetch driver.
 */
async function authorized(request: Request, policy: AttemptPolicy, state: RequestState, budget: Budget): Promise<Request | undefined> {
  const auth = await authorizeAttempt(request, request.signal, policy, state.retry);
  for (const [name, value] of Object.entries(auth.headers)) request.headers.set(name, value);
  state.attempt = auth.attempt;
  state.secrets = await attemptSecrets(request, auth, policy);
  // As the fetch driver: the coordinator's wait counts against the attempt, at most half of it (never throws).
  await waitForBudget(budget.coordinator, auth.attempt.url, { maxWaitMs: budget.maxWaitMs, signal: request.signal, logger: budget.logger });
  return request.redirect === 'manual' ? undefined : new Request(request, { redirect: 'manual' });
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (data === undefined) return '';
  try {
    return JSON.stringify(data);
  } catch {
    return '';
  }
}

/**
 * The okta-auth request policy as ky 2 hooks, to add to your own ky
 * instance: each attempt authorized afresh (`beforeRequest`, `beforeRetry`),
 * credentials never sent to another origin or on a redirect, 429s retried
 * through ky's retry machinery after Okta's `X-Rate-Limit-Reset` − `Date`
 * + 1 s (`afterResponse` → `ky.retry`), one retry when the credential can
 * answer a challenge (DPoP nonce, revoked token), and errors turned into
 * `OktaApiError` / {@link OktaAuthError} (`beforeError`), with no
 * request object (and so no header) inside.
 *
 * Give your instance a `retry.limit` of at least the 429 limit + 1.
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import { oktaKyHooks } from '@org/okta-auth-core/ky';
 *
 * import { sswsCredentialFromEnv } from '@org/okta-ssws';
 *
 * const credential = sswsCredentialFromEnv();
 * const api = ky.create({ baseUrl: 'https://acme.okta.com/', retry: { limit: 3 }, hooks: oktaKyHooks({ credential }) });
 * const users = await api.get('api/v1/users').json();
 * ```
 * @see https://github.com/sindresorhus/ky#hooks
 */
export function oktaKyHooks(options: OktaKyOptions): Required<Pick<Hooks, 'init' | 'beforeRequest' | 'beforeRetry' | 'afterResponse' | 'beforeError'>> {
  if (!isOktaCredential(options.credential)) {
    throw new OktaAuthError('INVALID_CONFIG', 'oktaKyHooks needs a credential, such as createSswsCredential(…) from @org/okta-ssws.');
  }
  const { retry, timeoutMs } = normalizeTransport(options);
  return hooksFor(options, retry, timeoutMs);
}

function hooksFor(
  options: OktaKyOptions,
  retry: NormalizedRetry,
  timeoutMs: number,
): Required<Pick<Hooks, 'init' | 'beforeRequest' | 'beforeRetry' | 'afterResponse' | 'beforeError'>> {
  const { credential, logger, userAgent, rateLimitCoordinator: coordinator } = options;
  const policy = attemptPolicy(credential.origin, credential, userAgent);
  const budget: Budget = { coordinator, maxWaitMs: Math.min(retry.maxWaitMs, timeoutMs / 2), logger };
  return {
    init: [
      (init) => {
        init.context = { ...(init.context ?? {}), [stateKey]: { retry: newRetryState(), attempt: undefined, secrets: [] } satisfies RequestState };
      },
    ],
    beforeRequest: [
      async ({ request, options: kyOptions }) => {
        const replaced = await authorized(request, policy, stateOf(kyOptions), budget);
        if (logger !== undefined) emit(logger, { type: 'request', method: request.method, url: loggableUrl(new URL(request.url)), attempt: 1, credential: credential.kind });
        return replaced;
      },
    ],
    beforeRetry: [
      async ({ request, options: kyOptions, retryCount }) => {
        const replaced = await authorized(request, policy, stateOf(kyOptions), budget);
        if (logger !== undefined) {
          emit(logger, { type: 'request', method: request.method, url: loggableUrl(new URL(request.url)), attempt: retryCount + 1, credential: credential.kind });
        }
        return replaced;
      },
    ],
    afterResponse: [
      async ({ request, options: kyOptions, response, retryCount }) => {
        const state = stateOf(kyOptions);
        const attempt = state.attempt ?? attemptOf(request);
        const url = loggableUrl(attempt.url);
        recordAttempt(response, { secrets: state.secrets, where: `${attempt.method} ${attempt.url.pathname}`, timeoutMs: undefined, userSignal: undefined });
        const rawRequestId = response.headers.get('x-okta-request-id');
        const requestId = rawRequestId === null ? undefined : scrub(rawRequestId, state.secrets);
        emit(logger, { type: 'response', method: attempt.method, url, attempt: retryCount + 1, status: response.status, requestId });
        const reported = reportBudget(coordinator, attempt.url, response, logger);
        // ky cancels the bodies when a hook throws (awaiting a cancel of its tee'd clone would hang).
        if (isRedirect(response)) throw redirectError(response, attempt.url, state.secrets);
        if (response.status === 429) {
          const wait = rateLimitDecision(response, state.retry, retry);
          if (wait === undefined) throw await apiError(response, attempt, request, state.secrets, credential);
          recordRateLimitRetry(response, state.retry, wait);
          emit(logger, { type: 'backoff', method: attempt.method, url, attempt: retryCount + 1, waitMs: wait, requestId });
          // A coordinator spreads the fleet's retries over the window (the next attempt asks it).
          await reported;
          return ky.retry({ delay: coordinator === undefined ? wait : 0, code: 'OKTA_RATE_LIMIT' });
        }
        if (await challengeDecision(answerState(attempt, request, response), state.retry, credential)) {
          emit(logger, { type: 'retry', method: attempt.method, url, attempt: retryCount + 1, reason: 'challenge' });
          return ky.retry({ delay: 0, code: 'OKTA_CHALLENGE' });
        }
        if (response.ok) return undefined;
        // ky reads an error body whole: hand it at most what OktaApiError keeps (64 KiB), the rest cancelled.
        const { text } = await readAnswerText(response, maxErrorBodyBytes);
        return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      },
    ],
    beforeError: [
      ({ error, request, options: kyOptions }) => {
        if (error instanceof OktaAuthError) return error;
        const context = kyOptions.context as Record<string, unknown> | undefined;
        const state = context?.[stateKey] as RequestState | undefined;
        const secrets = state?.secrets ?? [];
        const attempt = state?.attempt ?? attemptOf(request);
        if (isHTTPError(error)) {
          return apiErrorFromParts(error.response, bodyText(error.data), attempt, error.request, secrets, credential);
        }
        // The one classification of a failure to get an answer; anything else (what the
        // credential or user code threw) reaches the caller as itself.
        if (isNetworkError(error)) return sendFailure(error.cause, attempt, undefined, undefined);
        // ky's TimeoutError holds the request (its headers): it is never kept as a cause.
        if (isTimeoutError(error)) return sendFailure(new DOMException('ky timeout', 'TimeoutError'), attempt, undefined, undefined);
        if (request.signal.aborted) return sendFailure(error, attempt, request.signal, undefined);
        return error;
      },
    ],
  };
}

/** Validates the options once and returns the normalized retry budget with the hooks. */
export function preparedHooks(options: OktaKyOptions): { retry: NormalizedRetry; timeoutMs: number; hooks: ReturnType<typeof hooksFor> } {
  if (!isOktaCredential(options.credential)) {
    throw new OktaAuthError('INVALID_CONFIG', 'createOktaKy needs a credential, such as createSswsCredential(…) from @org/okta-ssws.');
  }
  const { retry, timeoutMs } = normalizeTransport(options);
  return { retry, timeoutMs, hooks: hooksFor(options, retry, timeoutMs) };
}
