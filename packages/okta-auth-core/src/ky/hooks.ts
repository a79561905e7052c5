import ky, { type AfterResponseHook, isHTTPError, isNetworkError, type BeforeErrorHook, type NormalizedOptions } from 'ky';
import type { OktaKyHooks } from './hook-lists.js';
import { isOktaCredential, type OktaCredential, type RequestAttempt } from '../credential.js';
import { stalledErrorBody } from '../errors/answer.js';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { knownSecrets } from '../secrets/attempt-secrets.js';
import { failureEvent } from '../config/logger.js';
import { AttemptTimer, followCall, keepWithBody, waitFor } from '../request/abort.js';
import { apiErrorFromParts, attemptPolicy, sendFailure, waitForUserCode, type AttemptPolicy } from '../request/request-policy.js';
import { normalizeTransport, type NormalizedRetry, type OktaTransportOptions } from '../config/transport.js';
import { waitBound } from '../request/rate-limit-verdict.js';
import { attemptOf, errorBodies, judgeAnswer, newRequestState, stalledAnswer, stateKey, stateLog, stateOf, stateSecrets, throwsFor, type AnswerContext, type RequestState } from './answer.js';
import { coordinatedKyAttempt } from './authorize.js';
import { authorizeFailure, networkFailure, refuseOwnResend, typedSignal } from './ky-fetch.js';
import { isResendable } from '../request/status-retry.js';
import { firedBound, ownInstanceBounds, totalLeft } from './bounds.js';
import { ownHooks, slotGuardedHooks } from './slot-guard.js';

/**
 * Options of {@link oktaKyHooks} and {@link createOktaKy}: the credential of one org, and the
 * transport options of every driver (`retry`, `timeoutMs`, `logger`, `userAgent`,
 * `rateLimitCoordinator`) but `fetch` (ky's own; `createOktaKy` takes one in `CreateOktaKyOptions`).
 *
 * @example
 * ```ts
 * import ky from 'ky';
 * import { oktaKyHooks, type OktaKyOptions } from '@org/okta-auth-core/ky';
 * import { createSswsCredential } from '@org/okta-ssws';
 *
 * declare const token: string; // your API token
 * const options: OktaKyOptions = {
 *   credential: createSswsCredential({ orgUrl: 'https://acme.okta.com', token }),
 *   retry: { limit: 2, maxWaitMs: 30_000 },
 *   timeoutMs: 10_000,
 * };
 * const okta = ky.create({ baseUrl: 'https://acme.okta.com/', retry: { limit: 4 }, hooks: oktaKyHooks(options) });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface OktaKyOptions extends Omit<OktaTransportOptions, 'fetch'> {
  /** The credential of one org (`@org/okta-ssws`, `@org/okta-oauth`). */
  readonly credential: OktaCredential;
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
 * The one `beforeError` hook of both placements: ky's errors become `OktaApiError` /
 * {@link OktaAuthError}, with no request object (and so no header) inside; what the credential
 * or user code threw reaches the caller as itself.
 */
function typedErrors({ credential, logger, policy, timeoutMs }: AnswerContext): BeforeErrorHook {
  return ({ error, request, options: kyOptions }) => {
    const state = stateOf(kyOptions);
    // The call ends: the slot of the maxInFlight limit its last attempt held, if any, given back.
    state?.release?.();
    const typed = typedError(error, request, state, credential, timeoutMs, policy);
    // A typed failure of an attempt logged as sent ends with an error event, as in the fetch driver.
    if (state?.sent && state.attempt && isOktaAuthError(typed)) stateLog(logger, state.attempt, state)?.(failureEvent(typed));
    return typed;
  };
}

/** What the caller gets for what ky threw: the typing of the hook above (`timeoutMs`: the attempt's, named when ky's bound that fired is the same). */
function typedError(error: Error, request: Request, state: RequestState | undefined, credential: OktaCredential, timeoutMs: number, policy: AttemptPolicy): Error {
  // An okta-auth error reaches the caller as itself through callerAbort below (transportFailure), unless it is the caller's abort reason: ABORTED.
  const thrown = state?.redirected ?? authorizeFailure(error);
  if (thrown !== undefined) return thrown;
  // Before the call's first attempt was authorized (ky's timeout while the credential authorizes): what is known.
  const secrets = stateSecrets(state, policy)();
  const attempt = state?.attempt ?? attemptOf(request);
  if (isHTTPError(error)) {
    // The body as core read it (ky's data drops a JSON body that does not parse), else ky's.
    return apiErrorFromParts(error.response, errorBodies.get(error.response) ?? bodyText(error.data), attempt, error.request, secrets, credential);
  }
  // The one classification of a failure to get an answer; anything else (what the
  // credential or user code threw) reaches the caller as itself.
  if (isNetworkError(error)) return sendFailure(error.cause, attempt, undefined, undefined, secrets);
  // ky's TimeoutError holds the request (its headers): it is never kept as a cause. While an error
  // answer's body was read, the answer came: its status, and that its body did not arrive. By its name: also
  // the attempt timer's reason (a DOMException; createOktaKy's fetch, a 2xx body), which ky 2.2's isTimeoutError refuses.
  if (error.name === 'TimeoutError') {
    const answer = stalledAnswer(state);
    // A wait ky's timeout ended after the caller aborted (user code that ignored the signal) is the caller's: ABORTED.
    return answer ? apiErrorFromParts(answer, stalledErrorBody, attempt, request, secrets, credential) : sendFailure(new DOMException('ky timeout', 'TimeoutError'), attempt, state?.signal, firedBound(state?.bounds, state?.started, timeoutMs), secrets);
  }
  return callerAbort(state, request, attempt, secrets, error) ?? error;
}

/**
 * The one reading of the caller's abort in both placements' hooks: `ABORTED` (`error` its send's failure), or none. The caller's
 * own signal (the state's) first: ky's current Request is its clone, whose signal undici follows by a weak reference
 * (nodejs/undici#4068), lost to a garbage collection; else ky's (a signal of the input Request).
 */
function callerAbort(state: RequestState | undefined, request: Request, attempt: RequestAttempt, secrets: readonly string[], error?: unknown): OktaAuthError<string> | undefined {
  const signal = state?.signal?.aborted ? state.signal : request.signal;
  return signal.aborted ? sendFailure(error, attempt, signal, undefined, secrets) : undefined;
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
 * Give your instance a `retry.limit` of at least the 429 limit + 1. ky's own
 * retries (network failures, 5xx and 408 answers of idempotent methods) are
 * your instance's, whatever `retry` says here, and share its one limit with
 * ours (a call's own `retry` too): past it, the answer is the call's typed
 * error. ky's wait for a 503's `Retry-After` or `X-Rate-Limit-Reset` is capped
 * at `retry.maxWaitMs` and half of `timeoutMs`. With `retry: false`, give it
 * `retry: { limit: 1, methods: [] }` for one attempt per call (the 1 is the
 * credential's challenge retry). ky's default methods include DELETE, which is
 * not idempotent at Okta: the hooks refuse ky's own resend of a DELETE, POST or PATCH at once, before ky's wait (the call's typed error; your `retry.shouldRetry` is asked of the other methods only).
 * `timeoutMs` bounds authorizing each attempt (a token request, a vault call), not the attempt:
 * your instance's ky `timeout` (10 s by default) and `totalTimeout` bound what ky sends and reads,
 * and a `TIMEOUT` names the one that fired. Give it `timeout: timeoutMs` for one bound.
 *
 * One set per instance: a second (an `extend` adding another set, the same set twice, a set on a
 * `createOktaKy` instance) is `INVALID_CONFIG` when a call starts; for another credential, make
 * another instance. A `beforeRetry` hook of yours that returns a `Request` ends ky's `beforeRetry`
 * hooks: place it after ours, or ours does not authorize that attempt.
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
export function oktaKyHooks(options: OktaKyOptions): OktaKyHooks {
  return hooksFor(preparedClient(options, 'oktaKyHooks'));
}

/**
 * The Request ky sends, held by the call's state while in flight (off the state itself, which
 * user hooks see: it is authorized), then by the body of the 2xx answer passed on, for as long as
 * that body is reachable ({@link keepWithBody}, as both drivers do), and ky's own by our
 * replacement that follows it: undici follows a Request's signal (the caller's, through ky's) by
 * a weak reference, so once a garbage collection took the Request, the caller's abort no longer
 * reached the body (nodejs/node#55428), also when the caller kept the body alone. A retry's
 * Request is ky's clone, whose controller undici holds by nothing (nodejs/undici#4068): not fixed
 * here (replacing it from beforeRetry would end the user's beforeRetry hooks). ky 2.2 sends a Request of
 * its own made from ours: the `init` hook's fetch puts it in ours' place, holding ours.
 */
const sentRequests = new WeakMap<object, Request>();

/** The one refusal of hooks not installed together: installed without one of them, or a call that removed one. */
function hooksApart(): OktaAuthError<'INVALID_CONFIG'> {
  return new OktaAuthError('INVALID_CONFIG', 'The okta-auth ky hooks must be installed together (use every hook returned by oktaKyHooks; a call may add hooks, not remove them).');
}

/**
 * The one refusal of a second okta-auth authorization on one instance (another `oktaKyHooks` set, the
 * same set twice, a set on a `createOktaKy` instance or its base): ky's `extend` joins hook lists,
 * and the sets would share the call's one state, so one credential's header would go out under the
 * other's `maxInFlight` slot and retry state.
 */
function oneSetOnly(): OktaAuthError<'INVALID_CONFIG'> {
  return new OktaAuthError(
    'INVALID_CONFIG',
    'One set of okta-auth ky hooks per ky instance (oktaKyHooks given twice, or to a createOktaKy instance: extend joins hook lists). To use another credential, make another instance with ky.create(…) or createOktaKy, not extend.',
  );
}

function hooksFor({ context, beforeError }: ReturnType<typeof preparedClient>): OktaKyHooks {
  const required = (options: Readonly<NormalizedOptions>): RequestState => {
    const state = stateOf(options);
    if (state === undefined) {
      throw hooksApart();
    }
    return state;
  };
  const authorizeHook = async ({ request, options, error }: { request: Request; options: NormalizedOptions; error?: Error }): Promise<Request | undefined> => {
    refuseOwnResend(request, error);
    // ky's timeout starts after the beforeRequest/beforeRetry hooks: authorizing (user code) is bounded
    // by timeoutMs here, as in createOktaKy's fetch and in the fetch driver. The request's
    // signal is ky's for this call (the caller's own is behind it): followed as in createOktaKy's fetch.
    // The coordinator's wait runs between two timers, within retry.maxWaitMs and half of what remains of ky's totalTimeout.
    const state = required(options);
    const sent = await coordinatedKyAttempt(
      request,
      state,
      context,
      request.signal,
      async (step) => {
        const timer = new AttemptTimer(undefined, context.timeoutMs);
        followCall(timer, request.signal);
        try {
          return await waitForUserCode(timer, step(timer.signal, performance.now()), () => [attemptOf(request), knownSecrets(context.policy)], request.signal, context.timeoutMs, () => (state.authorizing ? 'authorize' : ''));
        } finally {
          timer.clear();
        }
      },
      () => totalLeft(state.bounds, state.started),
    );
    // The caller aborted, and ky's Request does not show it (a retry's: ky's clone, whose signal a collection cut off), so
    // it would go out: ABORTED, nothing sent. A Request that shows it is handed to the fetch, which refuses it, as in the other drivers.
    const aborted = !request.signal.aborted && callerAbort(state, request, state.attempt ?? attemptOf(request), stateSecrets(state, context.policy)());
    if (aborted) throw aborted;
    // ky sends the Request its hooks end with: its own, or our replacement refusing redirects,
    // which follows ky's (held by it).
    if (sent !== undefined) sentRequests.set(sent, request);
    sentRequests.set(state, sent ?? request);
    return sent;
  };
  const afterResponse: AfterResponseHook = async ({ request, options, response, retryCount }) => {
    const state = required(options);
    // The answer's headers end the attempt's hold on the maxInFlight limit (Okta processed it).
    state.release?.();
    // A retry ky sent after the caller's abort (its Request ky's clone, whose signal a garbage collection cut off): ABORTED, not its answer.
    const aborted = callerAbort(state, request, state.attempt ?? attemptOf(request), stateSecrets(state, context.policy)());
    if (aborted) throw aborted;
    // Past your instance's retry.limit, ky would throw the ForceRetryError we asked for: this answer is final.
    const verdict = await judgeAnswer(request, response, state, context, retryCount >= options.retry.limit, true);
    if (verdict === undefined) {
      // The answer passed on is this one (ky's clone; ky cancels the other), bounded: its body holds the Request sent.
      keepWithBody(response, sentRequests.get(state));
      return response;
    }
    // ky cancels the bodies when a hook throws or retries (awaiting a cancel of its tee'd clone would hang).
    return verdict instanceof Response ? verdict : ky.retry(verdict);
  };
  ownHooks(authorizeHook, beforeError);
  return {
    init: [
      (init) => {
        // The call's state is there already: another okta-auth set's init, or createOktaKy's call, put it (one credential per instance).
        if (stateOf(init) !== undefined) throw oneSetOnly();
        // ky 2 lets a call remove hooks (`hooks: { beforeError: undefined }`): without ours the call would go
        // unauthorized, or its error be ky's HTTPError, whose request holds the credential. Four lookups per call.
        const hooks = init.hooks;
        if (!hooks?.beforeRequest?.includes(authorizeHook) || !hooks.beforeRetry?.includes(authorizeHook) || !hooks.afterResponse?.includes(afterResponse) || !hooks.beforeError?.includes(beforeError)) {
          throw hooksApart();
        }
        // ky hands init hooks a per-call copy of the options: set in place (ky hands an option it does not know to the hooks, in
        // `options`, and to its fetch; its throwHttpErrors then throws no 304 judgeAnswer passes on as the call's answer: throwsFor).
        // ky's timeout and totalTimeout, which ky hands no beforeError hook: a TIMEOUT names the one that fired.
        const state = newRequestState(init.signal, init.throwHttpErrors, ownInstanceBounds(init), init.fetch as typeof fetch | undefined);
        Object.assign(init, { [stateKey]: state, throwHttpErrors: throwsFor(state) });
        // ky given the caller's signal typed (its waits and your fetch reject with an Error), the state the caller's own.
        if (init.signal instanceof AbortSignal) init.signal = typedSignal(init.signal);
        // Your fetch (else the global one): a failed send ky's NetworkError, retried and typed on every runtime; the Request ky 2.2 makes of ours (its signal ky's) takes ours' place, holding it, for the answer's body. Yours waited for until ky's signal fires (the caller's abort, ky's timeouts): one that drops it cannot hold the call.
        const send = init.fetch;
        init.fetch = (request: Request, options?: RequestInit) => {
          const held = sentRequests.get(state);
          if (held && held !== request) sentRequests.set(request, held).set(state, request);
          return (send ? waitFor(send(request, options), request.signal) : fetch(request, options)).catch(networkFailure(request, request.signal));
        };
        // Your beforeRetry/beforeError hooks can end the call with none of ours after them: the slot given back there too.
        if (context.limit !== undefined) init.hooks = slotGuardedHooks(hooks);
        // ky waits out a 503's (or 413's) Retry-After, else its X-Rate-Limit-Reset (on every Okta answer: the rate-limit window's), outside its timeout and unbounded: at most maxWaitMs here.
        // ky asks shouldRetry before it waits (our 429's and challenge's retries skip it): the sent attempt's method (a Request input's too; none: refused) refused at once if no driver resends it, else yours asked. refuseOwnResend (beforeRetry) stays the backstop, should an init hook after ours replace retry. A shouldRetry that is no function (a JavaScript caller's) left as it is, for ky to refuse when the call starts.
        const retry = typeof init.retry === 'number' ? { limit: init.retry } : init.retry;
        const own: unknown = retry?.shouldRetry;
        init.retry = { ...retry, maxRetryAfter: Math.min(retry?.maxRetryAfter ?? Infinity, context.maxWaitMs), shouldRetry: own === undefined || typeof own === 'function' ? (s) => isResendable(sentRequests.get(state)?.method ?? '') && retry?.shouldRetry?.(s) : (own as never) };
      },
    ],
    beforeRequest: [authorizeHook],
    beforeRetry: [authorizeHook],
    afterResponse: [afterResponse],
    beforeError: [beforeError],
  };
}

/**
 * Validates the options once (`by` names the function called, in the error): the normalized
 * retry budget and timeout, the per-client {@link AnswerContext} and the `beforeError` hook.
 */
export function preparedClient(options: OktaKyOptions, by: 'createOktaKy' | 'oktaKyHooks'): { retry: NormalizedRetry; timeoutMs: number; context: AnswerContext; beforeError: BeforeErrorHook } {
  // `?? {}`: a JavaScript caller's missing options get the message below, not a TypeError.
  const { credential, userAgent, rateLimitCoordinator: coordinator } = (options as OktaKyOptions | undefined) ?? ({} as Partial<OktaKyOptions>);
  if (!isOktaCredential(credential)) {
    throw new OktaAuthError('INVALID_CONFIG', `${by} needs a credential, such as createSswsCredential(…) from @org/okta-ssws.`);
  }
  const { retry, timeoutMs, limit, logger } = normalizeTransport(options);
  const policy = attemptPolicy(credential.origin, credential, userAgent);
  const context: AnswerContext = { credential, retry, logger, coordinator, limit, policy, maxWaitMs: waitBound(retry, timeoutMs).maxWaitMs, timeoutMs };
  // createOktaKy's ky timeout is timeoutMs; on the user's own instance it is the instance's (the init hook records it).
  return { retry, timeoutMs, context, beforeError: typedErrors(context) };
}
