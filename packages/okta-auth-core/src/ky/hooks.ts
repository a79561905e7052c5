import ky, { isHTTPError, isNetworkError, isTimeoutError, type Hooks, type NormalizedOptions, type Options } from 'ky';
import type { OktaCredential } from '../credential.js';
import { isOktaCredential } from '../credential.js';
import { OktaAuthError } from '../errors.js';
import { emit, loggableUrl } from '../logger.js';
import { apiErrorFromParts, attemptPolicy, attemptSecrets, authorizeAttempt, newRetryState, sendFailure, type AttemptPolicy } from '../request-policy.js';
import { waitForBudget } from '../rate-limit-coordinator.js';
import { normalizeTransport, type NormalizedRetry, type OktaTransportOptions } from '../transport.js';
import { attemptOf, judgeAnswer, stateKey, type AnswerContext, type RequestState } from './answer.js';

/** Options of {@link oktaKyHooks} and {@link createOktaKy}. */
export interface OktaKyOptions extends Omit<OktaTransportOptions, 'fetch'> {
  /** The credential of one org (`@org/okta-ssws`, `@org/okta-oauth`). */
  readonly credential: OktaCredential;
}

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
  state.count += 1;
  state.secrets = await attemptSecrets(request, auth, policy);
  // As the fetch driver: the coordinator's wait counts against the attempt, at most half of it (never throws).
  if (budget.coordinator !== undefined) await waitForBudget(budget.coordinator, auth.attempt.url, { maxWaitMs: budget.maxWaitMs, signal: request.signal, logger: budget.logger });
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
  return hooksFor(options, retry, timeoutMs).hooks;
}

type OktaKyHooks = Required<Pick<Hooks, 'init' | 'beforeRequest' | 'beforeRetry' | 'afterResponse' | 'beforeError'>>;

function hooksFor(options: OktaKyOptions, retry: NormalizedRetry, timeoutMs: number): { hooks: OktaKyHooks; context: AnswerContext } {
  const { credential, logger, userAgent, rateLimitCoordinator: coordinator } = options;
  const policy = attemptPolicy(credential.origin, credential, userAgent);
  const budget: Budget = { coordinator, maxWaitMs: Math.min(retry.maxWaitMs, timeoutMs / 2), logger };
  const context: AnswerContext = { credential, retry, logger, coordinator };
  const authorizeHook = async ({ request, options: kyOptions }: { request: Request; options: NormalizedOptions }): Promise<Request | undefined> => {
    const state = stateOf(kyOptions);
    const replaced = await authorized(request, policy, state, budget);
    if (logger !== undefined) emit(logger, { type: 'request', method: request.method, url: loggableUrl(new URL(request.url)), attempt: state.count, credential: credential.kind });
    return replaced;
  };
  const hooks: OktaKyHooks = {
    init: [
      (init) => {
        const state: RequestState = { retry: newRetryState(), attempt: undefined, secrets: [], count: 0 };
        // ky hands init hooks a per-call copy of the options (and of `context`): set in place.
        (init.context ??= {})[stateKey] = state;
        // Also where ky hands it to its fetch (an option ky does not know goes to fetch as is).
        (init as Record<string, unknown>)[stateKey] = state;
      },
    ],
    beforeRequest: [authorizeHook],
    beforeRetry: [authorizeHook],
    afterResponse: [
      async ({ request, options: kyOptions, response }) => {
        const verdict = await judgeAnswer(request, response, stateOf(kyOptions), context);
        // ky cancels the bodies when a hook throws or retries (awaiting a cancel of its tee'd clone would hang).
        return verdict === undefined || verdict instanceof Response ? verdict : ky.retry(verdict);
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
  return { hooks, context };
}

/** Validates the options once and returns the normalized retry budget with the hooks. */
export function preparedHooks(options: OktaKyOptions): { retry: NormalizedRetry; timeoutMs: number } & ReturnType<typeof hooksFor> {
  if (!isOktaCredential(options.credential)) {
    throw new OktaAuthError('INVALID_CONFIG', 'createOktaKy needs a credential, such as createSswsCredential(…) from @org/okta-ssws.');
  }
  const { retry, timeoutMs } = normalizeTransport(options);
  return { retry, timeoutMs, ...hooksFor(options, retry, timeoutMs) };
}
