import ky, { isHTTPError, isNetworkError, isTimeoutError, type Hooks, type NormalizedOptions, type Options } from 'ky';
import { OktaApiError } from '../api-error.js';
import type { OktaCredential, RequestAttempt } from '../credential.js';
import { isOktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors.js';
import { emit, loggableUrl } from '../logger.js';
import {
  apiError,
  assertOrigin,
  authorizeAttempt,
  challengeDecision,
  isRedirect,
  newRetryState,
  rateLimitDecision,
  recordRateLimitRetry,
  redirectError,
  type RetryState,
} from '../request-policy.js';
import { maxErrorBodyBytes, readAnswerText, recordAttempt } from '../answer.js';
import { headersOverflow } from '../failure.js';
import { requestSecrets, scrub } from '../secret.js';
import { normalizeTransport, type NormalizedRetry, type OktaTransportOptions } from '../transport.js';

/** Options of {@link oktaKyHooks} and {@link createOktaKy}. */
export interface OktaKyOptions extends Omit<OktaTransportOptions, 'fetch'> {
  /** The credential of one org (`@org/okta-ssws`, `@org/okta-oauth`). */
  readonly credential: OktaCredential;
}

interface RequestState {
  readonly retry: RetryState;
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

function attemptOf(request: Request): RequestAttempt {
  return { method: request.method.toUpperCase(), url: new URL(request.url), signal: request.signal };
}

/**
 * Authorizes one attempt. The headers are set on ky's request in place (no
 * new Request: ky's own request is reused, which is measurably cheaper); only
 * a request that would follow redirects is replaced, by one that will not.
 */
async function authorized(request: Request, credential: OktaCredential, userAgent: string | undefined, state: RequestState): Promise<Request | undefined> {
  const attempt = attemptOf(request);
  assertOrigin(attempt.url, credential.origin);
  const auth = await authorizeAttempt(credential, attempt, userAgent, state.retry);
  for (const [name, value] of Object.entries(auth.headers)) request.headers.set(name, value);
  const form = (request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded') && request.body !== null ? await request.clone().text() : undefined;
  // The one list of this attempt's secrets, as the fetch driver keeps it.
  state.secrets = [...auth.secrets, ...requestSecrets(request.headers, form)];
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
 * {@link OktaApiError} / {@link OktaAuthError} (`beforeError`), with no
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
  const { retry } = normalizeTransport(options);
  return hooksFor(options, retry);
}

function hooksFor(
  options: OktaKyOptions,
  retry: NormalizedRetry,
): Required<Pick<Hooks, 'init' | 'beforeRequest' | 'beforeRetry' | 'afterResponse' | 'beforeError'>> {
  const { credential, logger, userAgent } = options;
  return {
    init: [
      (init) => {
        init.context = { ...(init.context ?? {}), [stateKey]: { retry: newRetryState(), secrets: [] } satisfies RequestState };
      },
    ],
    beforeRequest: [
      async ({ request, options: kyOptions }) => {
        const replaced = await authorized(request, credential, userAgent, stateOf(kyOptions));
        if (logger !== undefined) emit(logger, { type: 'request', method: request.method, url: loggableUrl(new URL(request.url)), attempt: 1, credential: credential.kind });
        return replaced;
      },
    ],
    beforeRetry: [
      async ({ request, options: kyOptions, retryCount }) => {
        const replaced = await authorized(request, credential, userAgent, stateOf(kyOptions));
        if (logger !== undefined) {
          emit(logger, { type: 'request', method: request.method, url: loggableUrl(new URL(request.url)), attempt: retryCount + 1, credential: credential.kind });
        }
        return replaced;
      },
    ],
    afterResponse: [
      async ({ request, options: kyOptions, response, retryCount }) => {
        const state = stateOf(kyOptions);
        const attempt = attemptOf(request);
        const url = loggableUrl(attempt.url);
        recordAttempt(response, { secrets: state.secrets, where: `${attempt.method} ${attempt.url.pathname}`, timeoutMs: undefined, userSignal: undefined });
        const rawRequestId = response.headers.get('x-okta-request-id');
        const requestId = rawRequestId === null ? undefined : scrub(rawRequestId, state.secrets);
        emit(logger, { type: 'response', method: attempt.method, url, attempt: retryCount + 1, status: response.status, requestId });
        // ky cancels the bodies when a hook throws (awaiting a cancel of its tee'd clone would hang).
        if (isRedirect(response)) throw redirectError(response, attempt.url, state.secrets);
        if (response.status === 429) {
          const wait = rateLimitDecision(response, state.retry, retry);
          if (wait === undefined) throw await apiError(response, attempt, state.secrets, credential);
          recordRateLimitRetry(response, state.retry, wait);
          emit(logger, { type: 'backoff', method: attempt.method, url, attempt: retryCount + 1, waitMs: wait, requestId });
          return ky.retry({ delay: wait, code: 'OKTA_RATE_LIMIT' });
        }
        if (await challengeDecision(response, attempt, state.retry, credential.challenge?.bind(credential))) {
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
        const attempt = attemptOf(request);
        const context = kyOptions.context as Record<string, unknown> | undefined;
        const secrets = (context?.[stateKey] as RequestState | undefined)?.secrets ?? [];
        if (isHTTPError(error)) {
          const { response } = error;
          return OktaApiError.fromParts(
            { status: response.status, statusText: response.statusText, headers: response.headers, bodyText: bodyText(error.data) },
            { method: attempt.method, url: attempt.url, secrets, explain: credential.explain?.bind(credential) },
          );
        }
        const where = `${attempt.method} ${attempt.url.pathname}`;
        if (isTimeoutError(error)) return new OktaAuthError('TIMEOUT', `${where} got no answer within the timeout.`);
        const overflow = headersOverflow(error, where);
        if (overflow !== undefined) return overflow;
        if (isNetworkError(error)) {
          return new OktaAuthError('NETWORK_ERROR', `${where} failed before Okta answered (connection refused, reset or DNS failure).`, { cause: error.cause });
        }
        if (request.signal.aborted) return new OktaAuthError('ABORTED', `${where} was aborted.`);
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
  return { retry, timeoutMs, hooks: hooksFor(options, retry) };
}
