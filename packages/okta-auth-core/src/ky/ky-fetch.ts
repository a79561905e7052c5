/**
 * The `fetch` `createOktaKy` gives ky: each attempt is authorized, sent and judged in it, so the
 * instance needs no `init`, `beforeRequest`, `beforeRetry` or `afterResponse` hook (ky clones its
 * options per call for an `init` hook and every answer per `afterResponse` hook).
 */
import { ForceRetryError, isHTTPError, isNetworkError, isTimeoutError, NetworkError, type RetryOptions } from 'ky';
import { abortableSleep, AttemptTimer, followCall } from '../request/abort.js';
import { guarded } from '../errors/guarded.js';
import { isOktaAuthError } from '../errors/errors.js';
import { knownSecrets } from '../secrets/attempt-secrets.js';
import { malformedAnswer } from '../errors/failure.js';
import { waitForUserCode } from '../request/request-policy.js';
import { coordinatedKyAttempt } from './authorize.js';
import { isResendable, retriedStatuses, statusRetryWaitMs } from '../request/status-retry.js';
import { countWait, waitLeft } from '../request/rate-limit-verdict.js';
import type { NormalizedRetry } from '../config/transport.js';
import { attemptBound } from './bounds.js';
import { attemptOf, judgeAnswer, newRequestState, stateKey, stateOf, stateSecrets, type AnswerContext, type RequestState } from './answer.js';

/**
 * What an abort rejects with into ky: the signal's reason, or a bare `Error` for one that is no
 * `Error` (`abort('…')`), which ky would hand the caller as it is, past the `beforeError` hook,
 * the one typing of an abort (`ABORTED`, the signal's reason its `cause`: the bare `Error` is dropped there),
 * or whose prototype, `name` or `message` (which ky reads) cannot be read (`guarded`: the one guarded read of what user code gave).
 */
const abortedWith = ({ reason }: AbortSignal): unknown => (guarded(() => reason instanceof Error && [reason.name, reason.message]) ? reason : new Error());

/** The signal ky is given for each caller's signal ({@link typedSignal}): one per signal, however many calls share it. */
const typedSignals = new WeakMap<AbortSignal, AbortSignal>();

/**
 * The signal ky is given in place of the caller's (`signal`, kept in the call's state for the typing): it fires with
 * the caller's, its reason {@link abortedWith}'s, so what ky's own wait (a 429's: ky's `delay` rejects with the reason)
 * or a fetch (the user's, under `oktaKyHooks`) rejects with is an `Error`, which ky hands the `beforeError` hook, the
 * one typing of an abort (a non-`Error` ky hands the caller as it is). Held by the caller's signal, as its own are,
 * through {@link followCall}'s one listener.
 */
export function typedSignal(signal: AbortSignal): AbortSignal {
  let typed = typedSignals.get(signal);
  if (typed === undefined) typedSignals.set(signal, (typed = followCall({ controller: new AbortController() }, signal, abortedWith)));
  return typed;
}

/**
 * What a send that failed rejects with into ky, in both placements: an abort (the signal's: the attempt's timer, the
 * caller's, ky's), its reason ({@link abortedWith}: an aborted fetch rejects with it, except in WebKit, an AbortError of
 * its own); any other `Error` ky's `NetworkError` of ky's `request` (no credential in createOktaKy's), the failure its
 * `cause`, which ky retries (idempotent methods) and the `beforeError` hook types `NETWORK_ERROR`, as the fetch driver
 * does: ky's own list of runtime messages misses Bun's (`ECONNRESET: The socket connection was closed…`) and Deno's `NotCapable`.
 */
export const networkFailure =
  (request: Request, signal: AbortSignal) =>
  (error: unknown): never => {
    // One that cannot be read (a revoked Proxy) is a network failure too, as in the fetch driver: its cause dropped there;
    // one of ours (a fetch that rejects with an okta-auth error, of any copy of core: its brand) passes as itself, never resent, as the fetch driver does.
    throw signal.aborted ? abortedWith(signal) : guarded(() => !(error instanceof Error) || isOktaAuthError(error)) ? error : new NetworkError(request, { cause: error as Error });
  };

/** The call each failure to get an answer came from (ky's `NetworkError` holds it as its `cause`). */
const failedCalls = new WeakMap<object, RequestState>();

/**
 * ky's `shouldRetry` for `createOktaKy`: ky's own retries (network failures, 408/5xx) counted per
 * call apart from ours (a 429's and the challenge's, which skip it), at most `own`; under that, the
 * base instance's `shouldRetry` if any, else ky's own rules. One ky limit then serves both budgets.
 * A retry it grants waits its backoff here (ky's, of its number among ky's own retries, from 1: the base instance's
 * `delay`, else ky's default, and its `jitter`, at most 5 s; ky's own `delay` is 0), as the fetch driver does: counted in the
 * call's total of `retry.maxWaitMs` (`limits`) with its 429s' and coordinator's waits, one past what is left
 * not started (no retry: the answer, or the failure, is the call's), ended by the caller's signal (else ky's:
 * the caller's abort, a `totalTimeout`), rejecting with its reason as ky's wait did ({@link abortedWith}). `theirs`: the base instance's retry settings.
 */
export function ownRetries(own: number, { shouldRetry: next, delay = statusRetryWaitMs, jitter }: RetryOptions, limits: NormalizedRetry): NonNullable<RetryOptions['shouldRetry']> {
  return async (retry) => {
    const { error } = retry;
    // A timed-out attempt may have reached Okta: never resent (as in the fetch driver), whatever
    // the base instance's retryOnTimeout or shouldRetry says (ky asks this before its own rules).
    if (isTimeoutError(error)) return false;
    const answered = isHTTPError(error) ? error : undefined;
    // Only ky's own failures are ky's to retry: an error answer (HTTPError) or no answer (NetworkError).
    // What core ended the call with (a 429 past retry.limit, a redirect, an answer that is not HTTP/1.1)
    // or what the credential threw is final, whatever the base instance's shouldRetry says.
    if (!answered && !isNetworkError(error)) return false;
    // A 429 handed to ky is one core did not retry (its budget is retry.limit's): the call's answer.
    if (answered?.response.status === 429) return false;
    const state = answered ? stateOf(answered.options) : failedCalls.get(error.cause as object);
    if (state && (state.own = (state.own ?? 0) + 1) > own) return false;
    const verdict = await next?.(retry);
    // No retry: the base's no, or ky's own rule (its statusCodes, core's list; no Retry-After is read: afterStatusCodes is empty)
    // for any answer but an exact true (ky acts on true or false only: a 1, 'yes' or null is its own rules).
    if (verdict === false || (verdict !== true && answered && !retriedStatuses.includes(answered.response.status))) return false;
    // ky's backoff, as ky works it out, numbered by ky's own retries (the 429s' and the challenge's are not its), as the
    // fetch driver numbers its status retries. As ky: a delay that is no number of ms from 0 (NaN, a missing return) is 0,
    // a jitter that is none is the delay.
    const ms = delay(state?.own ?? retry.retryCount);
    const base = ms >= 0 ? ms : 0;
    const jittered = jitter === true ? Math.random() * base : jitter ? jitter(base) : base;
    const wait = Math.min(jittered >= 0 && jittered < Infinity ? jittered : base, 5_000);
    if (state) {
      if (wait > waitLeft(state.retry, limits).maxWaitMs) return false;
      countWait(state.retry, wait);
    }
    // The caller's own signal, if any (ky's attempt Request is, after the first, its clone, whose signal undici follows by a weak
    // reference: nodejs/undici#4068); else ky's, which a totalTimeout also fires (ky's race around shouldRetry ends the call then).
    const signal = state?.signal ?? (error as unknown as { request: Request }).request.signal;
    await abortableSleep(wait, signal).catch(() => {
      throw abortedWith(signal);
    });
    return true;
  };
}

/**
 * What authorizing threw, keyed by the plain `Error` it travels in through ky when ky would take
 * it for a failed connection (a `TypeError` such as `fetch failed` from a credential's own vault
 * call) and retry it as one: authorizing is not transport. The `beforeError` hook hands the
 * caller the original ({@link authorizeFailure}).
 */
const carried = new WeakMap<Error, Error>();

/** The error authorizing threw, if `error` carries one through ky. */
export function authorizeFailure(error: Error): Error | undefined {
  return carried.get(error);
}

function carry(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'TypeError') return error;
  const carrier = new Error('Authorizing failed (see cause).', { cause: error });
  carried.set(carrier, error);
  return carrier;
}

/**
 * Sends with `fetchImpl` (none: the global fetch, looked up at call time): authorizes the attempt (within the attempt's `timeoutMs`, as the fetch
 * driver does, whatever ky's `timeout` says), then judges the answer. A 429 or challenge retry is ky's own
 * (`ForceRetryError`, as `ky.retry` does from a hook): its wait is outside ky's timeout, it
 * counts against ky's retry limit, ky's and the base instance's `beforeRetry` hooks run, and the
 * next attempt is authorized afresh here. The call's state comes as an option (`stateKey`),
 * which the instance adds to every call. The instance turns ky's own `timeout` off (a call's or an
 * `extend`'s may set one, which then encloses this fetch): the attempt's own timer (core's one, as the
 * fetch driver's) follows ky's signal and the caller's own, runs outside the coordinator's wait before the attempt (armed
 * again after it) and stays armed on the answer returned, so `timeoutMs` also bounds reading a 2xx body, until that read ends. `limit`: the instance's
 * ky `retry.limit` (every budget's sum, {@link ownRetries}): past it, an answer is final.
 */
export function oktaKyFetch(fetchImpl: ((input: Request, init?: RequestInit) => Promise<Response>) | undefined, context: AnswerContext, timeoutMs: number, limit: number): typeof fetch {
  return async (input, init) => {
    // Every call through the instance carries a state; without one, each attempt is its own call.
    const state = (init as { [stateKey]?: RequestState } | undefined)?.[stateKey] ?? newRequestState();
    // The transport each attempt carries (RequestAttempt.fetch): the instance's, none for the global one.
    state.fetch = fetchImpl as typeof fetch | undefined;
    // The other options ky hands fetch (usually none), without the state: no object when there are none.
    let rest: Record<string, unknown> | undefined;
    for (const key in init) if (key !== stateKey) (rest ??= {})[key] = (init as Record<string, unknown>)[key];
    const kyRequest = input as Request;
    let request = kyRequest;
    // The attempt's timer (timeoutMs: the instance turns ky's own timeout off) follows ky's signal, which is this
    // call's alone (see followCall), and the caller's own, if any, as the fetch driver's: a retry's Request is ky's
    // clone, whose signal undici follows by a weak reference (nodejs/undici#4068), lost to a garbage collection.
    // It bounds authorizing too (user code: a vault call), as in the other drivers.
    let timer!: AttemptTimer;
    // Armed when the attempt begins, and again after the coordinator's wait (which runs outside it); `begun`: then
    // (on the monotonic clock, as every bound), the call's shorter ky timeout, if any, counting from this fetch.
    const arm = () => {
      followCall((timer = new AttemptTimer(state.signal, timeoutMs)), kyRequest.signal);
      return (state.begun = performance.now());
    };
    let begun = arm();
    // Armed on the answer returned (it bounds reading the body, until that read ends); any other end clears it.
    let armed = false;
    try {
      try {
        // The coordinator's wait: ky's signal (the caller's abort, a totalTimeout), and what is left of a call's ky timeout or totalTimeout.
        request =
          (await coordinatedKyAttempt(
            request,
            state,
            context,
            kyRequest.signal,
            (step, again) => {
              if (again) {
                timer.clear();
                begun = arm();
              }
              return waitForUserCode(timer, step(timer.signal, begun), () => [attemptOf(kyRequest), knownSecrets(context.policy)], state.signal, timeoutMs, () => (state.authorizing ? 'authorize' : ''));
            },
            () => attemptBound(state.bounds, Infinity, state.started, begun).ms,
          )) ?? request;
      } catch (error) {
        throw carry(error);
      }
      timer.request = request;
      // What it resolves with is checked by judgeAnswer (recordAttempt), as in the fetch driver; a fetch given (user code,
      // which may drop the signal) waited for within the attempt's timer, as there, the global one (the runtime's) as it is.
      const sendInit = Object.assign({}, rest, { signal: timer.signal });
      const response = await (fetchImpl ? timer.within(fetchImpl(request, sendInit)) : fetch(request, sendInit)).catch((caught: unknown) => {
        if (guarded(() => caught instanceof Object)) failedCalls.set(caught as object, state);
        // An answer that is not HTTP/1.1 is typed here, as the fetch driver types it: ky would retry it as a reset connection.
        throw malformedAnswer(caught, state.attempt ?? attemptOf(request), stateSecrets(state)()) ?? networkFailure(kyRequest, timer.signal)(caught);
      });
      // The answer's headers end the attempt's hold on the maxInFlight limit (Okta processed it).
      state.release?.();
      // A 429's waits (the coordinator's before its retry) run outside the attempt's timer, as in the fetch driver;
      // its body is discarded, or read as an error body within a timeoutMs of its own (errorBody).
      if ((response as Response | undefined)?.status === 429) timer.clear();
      let verdict: Awaited<ReturnType<typeof judgeAnswer>>;
      try {
        // A 2xx is judged without a promise (no await: none to wait for).
        const judged = judgeAnswer(request, response, state, context, state.count > limit);
        verdict = judged && (await judged);
      } catch (error) {
        // `?.`: what the fetch option resolved with may be no Response (judgeAnswer refused it).
        void (response as Response | undefined)?.body?.cancel().catch(() => undefined);
        throw error;
      }
      // A verdict's own Response (an error body already read and cut) needs no timer.
      if (verdict instanceof Response) return verdict;
      if (verdict === undefined) {
        armed = timer.handOn(response);
        return response;
      }
      await response.body?.cancel();
      throw new ForceRetryError(verdict);
    } finally {
      if (!armed) timer.clear();
      // No answer (a failure to send, authorizing or the slot's wait threw): the slot, if taken, given back.
      state.release?.();
    }
  };
}

/**
 * Refuses ky's own retry (a failed send, a 408 or 5xx: no `ForceRetryError` of ours, a 429's or the challenge's) of a method
 * no driver resends ({@link isResendable}: a DELETE above all, which Okta may have acted on; a second deletes the user the
 * first deactivated), whatever your instance's `retry.methods` say: `oktaKyHooks`' `beforeRetry` throws the failure ky
 * would have retried, which the `beforeError` hook then types (`NETWORK_ERROR`, the 5xx's `OktaApiError`). The backstop, after
 * ky's wait: the `init` hook's `shouldRetry` refuses the same before it, unless an `init` hook of yours after ours replaced `retry`.
 */
export function refuseOwnResend(request: Request, error: Error | undefined): void {
  if (error !== undefined && !(error instanceof ForceRetryError) && !isResendable(request.method)) throw error;
}
