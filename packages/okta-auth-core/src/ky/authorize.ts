/**
 * One ky attempt authorized by the request policy, for its two placements: inside the `fetch`
 * that `createOktaKy` gives ky (see `answer.ts`), and in the `beforeRequest`/`beforeRetry` hooks
 * of {@link oktaKyHooks} (for the user's own instance, whose fetch we do not own).
 */
import { attemptForm, attemptSecrets } from '../secrets/attempt-secrets.js';
import { applyAuthorization, sendFailure, startAttempt } from '../request/request-policy.js';
import { attemptName } from '../errors/failure.js';
import { waitBound } from '../config/transport.js';
import { attemptBound } from './bounds.js';
import { beginAttempt, stateLog, stateSecrets, stateTrail, type AnswerContext, type RequestState } from './answer.js';

/**
 * Authorizes one attempt. The headers are set on ky's request in place (no new Request: ky's own
 * request is reused, which is measurably cheaper); only a request that would follow redirects (or,
 * in a browser, use its HTTP cache) is replaced, by one that will not (returned). What the
 * credential throws propagates as itself, as in the fetch driver. As there, the coordinator's
 * wait counts against the attempt, at most half of what remains of it (never throws), and so does the wait for a
 * slot of the `maxInFlight` limit (held in `state.release` until the answer's headers); the
 * attempt's bound is the smallest of `timeoutMs` and the call's ky `timeout` and `totalTimeout`,
 * each wait taking at most half of what remains of it when the wait begins (`attemptBound`).
 */
export async function authorizeKyAttempt(request: Request, state: RequestState, context: AnswerContext, signal = request.signal): Promise<Request | undefined> {
  const { policy, coordinator, logger } = context;
  // When the attempt's timeoutMs (its timer is armed just before) and ky's timeout began.
  const begun = performance.now();
  // A retry of the attempt before, logged as the fetch driver does (a challenge's, when it was decided).
  if (state.reason && state.attempt) stateLog(logger, state.attempt, state)?.({ type: 'retry', reason: state.reason });
  state.reason = undefined;
  // The slot of an attempt before (oktaKyHooks: one that got no answer) is given back before waiting for another.
  state.release?.();
  beginAttempt(state);
  // The headers are set on ky's request itself.
  // Authorized in two steps around the one wait, the credential's (no async layer of its own per attempt).
  const { method } = request;
  const started = startAttempt(method, signal, policy, state.retry, new URL(request.url), request.headers, { ...attemptBound(state.bounds, context.timeoutMs, state.started, begun), since: begun });
  const { credential } = policy;
  const credentialValues = applyAuthorization(policy, request.headers, credential && (await credential.authorize(started)));
  state.attempt = started;
  state.count += 1;
  const form = attemptForm(request.headers, request.body, request);
  // The call's list from now on: this attempt's secrets and every earlier one's.
  attemptSecrets(request.headers, form && (await form), credentialValues, policy, stateTrail(state));
  // The call's own ky timeout or totalTimeout (state.bounds, where set) bounds both waits as timeoutMs does:
  // ky's timeout does not cover oktaKyHooks' beforeRequest hooks, and in createOktaKy's fetch it would end
  // the wait as its own TIMEOUT, naming no wait. What remains of each when the wait begins, before every
  // attempt (the first too): the attempt keeps the rest. Worked out only where there is a wait.
  if (coordinator !== undefined && state.reserved !== true) {
    await coordinator.wait(started.url, { maxWaitMs: waitBound(context.retry, attemptBound(state.bounds, context.timeoutMs, state.started, begun).ms).maxWaitMs, signal, logger, secrets: stateSecrets(state), call: started.call });
  }
  state.reserved = false;
  const { limit } = context;
  if (limit !== undefined) {
    const { ms, name } = attemptBound(state.bounds, context.timeoutMs, state.started, begun);
    try {
      state.release = await limit.acquire({ ...waitBound(context.retry, ms, true, name), holdMs: context.timeoutMs, signal, what: () => attemptName(started, stateSecrets(state)()) });
    } catch (error) {
      // Past the wait's bound: the limit's TIMEOUT; an abort typed as the send's, as in the fetch driver.
      throw signal.aborted ? sendFailure(undefined, started, state.signal, context.timeoutMs, stateSecrets(state)()) : error;
    }
  }
  stateLog(logger, started, state)?.({ type: 'request', credential: context.credential.kind });
  // Sent: a failure from now on ends with an error event, and a retry without an answer is for the network.
  state.sent = true;
  state.reason = 'network';
  // In a browser, not from (or into) its HTTP cache either (`AttemptPolicy.cache`); and with the method the
  // attempt names (ky upper-cases only its own list: a `propfind` would go out as is, under a proof for PROPFIND).
  return request.redirect === 'manual' && (policy.cache === undefined || request.cache === 'no-store') && method === started.method
    ? undefined
    : new Request(request, Object.assign({ method: started.method, redirect: 'manual' as const }, policy.cache));
}
