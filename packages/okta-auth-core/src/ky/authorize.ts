/**
 * One ky attempt authorized by the request policy, for its two placements: inside the `fetch`
 * that `createOktaKy` gives ky (see `answer.ts`), and in the `beforeRequest`/`beforeRetry` hooks
 * of {@link oktaKyHooks} (for the user's own instance, whose fetch we do not own).
 */
import { attemptForm, attemptSecrets } from '../secrets/attempt-secrets.js';
import { apiErrorFromParts, applyAuthorization, sendFailure, startAttempt } from '../request/request-policy.js';
import type { RequestAttempt } from '../credential.js';
import { attemptName } from '../errors/failure.js';
import { countWait, waitBound, waitLeft } from '../request/rate-limit-verdict.js';
import { spentWindow } from '../rate-limit/coordinated-wait.js';
import type { BudgetWaitOptions } from '../rate-limit/coordinated-wait.js';
import { attemptBound } from './bounds.js';
import { beginAttempt, stateLog, stateSecrets, stateTrail, type AnswerContext, type RequestState } from './answer.js';

/**
 * Authorizes one attempt. The headers are set on ky's request in place (no new Request: ky's own
 * request is reused, which is measurably cheaper); only a request that would follow redirects (or,
 * in a browser, use its HTTP cache) is replaced, by one that will not (returned). What the
 * credential throws propagates as itself, as in the fetch driver. With a coordinator not asked yet,
 * it stops once authorized (the bucket is scrubbed of what the attempt carries), giving back the attempt:
 * {@link coordinatedKyAttempt} asks it, outside the attempt's timer. The wait for a slot of the `maxInFlight` limit counts against the
 * attempt (held in `state.release` until the answer's headers): its bound is the smallest of `timeoutMs` and
 * the call's ky `timeout` and `totalTimeout`, the wait taking at most half of what remains of it (`attemptBound`).
 */
async function authorizeKyAttempt(request: Request, state: RequestState, context: AnswerContext, signal: AbortSignal, begun: number): Promise<Request | undefined | RequestAttempt> {
  const { policy, coordinator, logger } = context;
  // A retry of the attempt before, logged as the fetch driver does (a challenge's, when it was decided).
  if (state.reason && state.attempt) stateLog(logger, state.attempt, state)?.({ type: 'retry', reason: state.reason });
  state.reason = undefined;
  // The slot of an attempt before (oktaKyHooks: one that got no answer) is given back before waiting for another.
  state.release?.();
  beginAttempt(state);
  // The headers are set on ky's request itself.
  // Authorized in two steps around the one wait, the credential's (no async layer of its own per attempt).
  const { method } = request;
  const started = startAttempt(method, signal, policy, state.retry, new URL(request.url), request.headers, { ...attemptBound(state.bounds, context.timeoutMs, state.started, begun), since: begun }, state.fetch);
  const { credential } = policy;
  state.authorizing = true;
  const credentialValues = applyAuthorization(policy, request.headers, credential && (await credential.authorize(started)));
  state.authorizing = false;
  state.attempt = started;
  state.count += 1;
  const form = attemptForm(request.headers, request.body, request);
  // The call's list from now on: this attempt's secrets and every earlier one's.
  attemptSecrets(request.headers, form && (await form), credentialValues, policy, stateTrail(state));
  return coordinator !== undefined && state.reserved !== true ? started : admitKyAttempt(request, state, context, started, signal, begun);
}

/**
 * The rest of an authorized attempt (`started`): the slot of the `maxInFlight` limit, the `request` event, the Request ky
 * sends. `begun`: when the attempt's timer (timeoutMs, and in createOktaKy's fetch ky's timeout) began.
 */
async function admitKyAttempt(request: Request, state: RequestState, context: AnswerContext, started: RequestAttempt, signal: AbortSignal, begun: number): Promise<Request | undefined> {
  const { policy, logger, limit } = context;
  state.reserved = false;
  if (limit !== undefined) {
    const { ms, name } = attemptBound(state.bounds, context.timeoutMs, state.started, begun);
    try {
      state.release = await limit.acquire({ ...waitBound(context.retry, ms, true, name), holdMs: context.timeoutMs, signal, what: () => attemptName(started, stateSecrets(state)()) });
    } catch (error) {
      // Past the wait's bound: the limit's TIMEOUT; an abort typed as the send's, as in the fetch driver.
      throw signal.aborted ? sendFailure(undefined, started, state.signal, context.timeoutMs, stateSecrets(state)()) : error;
    }
  }
  stateLog(logger, started, state)?.({ type: 'request', credential: policy.kind });
  // Sent: a failure from now on ends with an error event, and a retry without an answer is for the network.
  state.sent = true;
  state.reason = 'network';
  // Not from (or into) a cache either, a browser's or a patched fetch's (`AttemptPolicy.cache`); and with the method the
  // attempt names (ky upper-cases only its own list: a `propfind` would go out as is, under a proof for PROPFIND).
  return request.redirect === 'manual' && (policy.cache === undefined || request.cache === 'no-store') && started.method === request.method
    ? undefined
    : new Request(request, Object.assign({ method: started.method, redirect: 'manual' as const }, policy.cache));
}

/**
 * One ky attempt, in both placements: authorized within the attempt's timer (`within` runs each step
 * under one; `again`: the restart after a wait, under a timer of its own), then with a coordinator not asked yet, its wait outside that timer, within what the call has left of
 * `retry.maxWaitMs` and half of what is `left` of the ky bound enclosing it (`waitLeft`: a `totalTimeout`, in createOktaKy a call's own ky `timeout`; the wait counted, `countWait`), and `signal` (ky's for the call: the caller's abort, a `totalTimeout`), the caller's abort ending it
 * as `ABORTED` before anything is sent; a wait taken restarts the attempt (authorized afresh: its token
 * and DPoP proof made after the wait, the coordinator not asked again), as the fetch driver does.
 */
export async function coordinatedKyAttempt(
  request: Request,
  state: RequestState,
  context: AnswerContext,
  signal: AbortSignal,
  within: (step: (signal: AbortSignal, begun: number) => Promise<Request | undefined | RequestAttempt>, again?: boolean) => Promise<Request | undefined | RequestAttempt>,
  left: () => number,
): Promise<Request | undefined> {
  const sent = await within((attemptSignal, begun) => authorizeKyAttempt(request, state, context, attemptSignal, begun));
  if (sent === undefined || sent instanceof Request) return sent;
  const started = sent;
  const secrets = stateSecrets(state);
  const { maxWaitMs, boundBy } = waitLeft(state.retry, context.retry, undefined, left());
  const asked: BudgetWaitOptions = { maxWaitMs, boundBy, signal, logger: context.logger, secrets, call: started.call, log: stateLog(context.logger, started, state) };
  await context.coordinator?.wait(started, asked);
  if (signal.aborted) throw sendFailure(undefined, started, state.signal, context.timeoutMs, secrets());
  // A window Okta said is spent, the wait past what is left: RATE_LIMITED, nothing sent, as in the fetch driver (whatever throwHttpErrors says).
  const spent = spentWindow(asked);
  if (spent !== undefined) throw apiErrorFromParts(spent, '', started, request, secrets(), context.credential);
  state.reserved = true;
  if (countWait(state.retry, asked) === 0) return within((attemptSignal, begun) => admitKyAttempt(request, state, context, started, attemptSignal, begun)) as Promise<Request | undefined>;
  state.count -= 1;
  return within((attemptSignal, begun) => authorizeKyAttempt(request, state, context, attemptSignal, begun), true) as Promise<Request | undefined>;
}
