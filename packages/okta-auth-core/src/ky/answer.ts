/**
 * What the ky driver does with each answer, decided once for its two placements: in the
 * `fetch` that `createOktaKy` gives ky (which also authorizes each attempt: no hooks but
 * `beforeError`, so ky clones no answer and no options) and in the `afterResponse` hook of
 * {@link oktaKyHooks} (for the user's own instance).
 */
import type { OktaCredential, RequestAttempt } from '../credential.js';
import { knownSecrets, type AttemptSecrets, type AttemptTrail } from '../secrets/attempt-secrets.js';
import { attemptLog, type AttemptLog, type OktaLogger } from '../config/logger.js';
import { AttemptTimer } from '../request/abort.js';
import {
  answerState,
  answersCall,
  apiErrorFromParts,
  challengeDecision,
  mayChallenge,
  rateLimitDecision,
  reasons,
  newRetryState,
  recordRateLimitRetry,
  type AttemptPolicy,
  type RetryState,
} from '../request/request-policy.js';
import { isRedirect, redirectError } from '../request/redirect.js';
import { attemptMethod } from '../request/method.js';
import { answerCopy, readErrorText, recordAttempt } from '../errors/answer.js';
import { answerRequestId } from '../errors/printable.js';
import type { BudgetWaitOptions } from '../rate-limit/coordinated-wait.js';
import type { CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import type { InFlightLimit } from '../rate-limit/in-flight-limit.js';
import { ownRateLimitWait } from '../rate-limit/coordinated-wait.js';
import type { NormalizedRetry } from '../config/transport.js';
import { countWait, waitLeft } from '../request/rate-limit-verdict.js';
import { attemptBound, totalLeft, type KyBounds } from './bounds.js';

/**
 * One ky call's state: the same object for its hooks and its fetch. User hooks see it (in
 * `options`), so the attempt's secrets are kept off it ({@link stateSecrets}).
 */
export interface RequestState {
  readonly retry: RetryState;
  /** The attempt in flight: the object the credential's authorize, challenge and explain all get. */
  attempt: RequestAttempt | undefined;
  /** How many attempts were authorized (1 for the first). */
  count: number;
  /** Whether the attempt in flight was logged as sent (its failure then ends with an `error` event). */
  sent?: boolean;
  /** Whether the attempt in flight waits for the credential's `authorize` (its timeout's `TIMEOUT` then says so). */
  authorizing?: boolean;
  /** The call's REDIRECT_BLOCKED: it stays the call's when the caller aborts after it (ky 2.2 then throws the abort's reason). */
  redirected?: Error;
  /**
   * Why the next attempt, if ky sends one, is a retry: a 429's wait, no answer came (a reset
   * connection), or an error answer ky retries itself (a 5xx of a GET): logged by that attempt,
   * so no hook of ours runs on a 2xx.
   */
  reason?: 'rate-limit' | 'network' | 'status' | undefined;
  /** The caller's own signal, if the call has one: ky's timeout ending a wait after it fired is `ABORTED`. */
  readonly signal?: AbortSignal | undefined;
  /** The coordinator's wait before the next attempt was taken already (a 429's retry, {@link judgeAnswer}). */
  reserved?: boolean;
  /**
   * `createOktaKy`: when the attempt under way began (`performance.now()` based, never the wall
   * clock, which NTP may step; again after the coordinator's wait before it), ended by `timeoutMs` or the call's shorter ky `timeout`
   * (`attemptBound`): such a ky timeout encloses its whole `fetch`, judging included, so the coordinator's wait after a 429
   * (outside the attempt's own timer) stays within half of what is left of it ({@link judgeAnswer}).
   */
  begun?: number;
  /** The retries ky made on its own (`createOktaKy` counts them apart from the 429s' and the challenge's). */
  own?: number;
  /** ky's `timeout` and `totalTimeout`, when the call, its instance or an `extend` set them: a `TIMEOUT` names the one that fired (`firedBound`). */
  readonly bounds?: KyBounds | undefined;
  /** When the call began (`performance.now()`), if it has a `totalTimeout`: a retry's waits and a 429's count against what remains of it (`totalLeft`). */
  readonly started?: number | undefined;
  /** `oktaKyHooks`: gives back the slot of the `maxInFlight` limit its attempt in flight holds. */
  release?: (() => void) | undefined;
  /** The call's ky `throwHttpErrors` as ky merged it (`createOktaKy`: the call's, else its instance's), for ky ({@link throwsFor}) and (`oktaKyHooks`) a 429 not retried ({@link judgeAnswer}). */
  readonly throwHttpErrors?: boolean | ((status: number) => boolean) | undefined;
  /** The fetch the call is sent with (`createOktaKy`'s, set by its fetch; your instance's, as the `init` hook got it), none: the global one. Each attempt carries it ({@link RequestAttempt.fetch}). */
  fetch: typeof fetch | undefined;
  /** The answer passed on is a 304 to a conditional GET or HEAD (`answersCall`): the call's, which ky must not throw (`throwsFor`). */
  conditional?: boolean;
}

/** A call's state before its first attempt (`signal`: the caller's, from the call's options or its `Request`; `bounds`: ky's time bounds, if set). */
export function newRequestState(signal?: AbortSignal | null, throwHttpErrors?: RequestState['throwHttpErrors'], bounds?: KyBounds, fetch?: typeof globalThis.fetch): RequestState {
  const started = bounds !== undefined && typeof bounds.totalTimeout === 'number' ? performance.now() : undefined;
  return { retry: newRetryState(), attempt: undefined, count: 0, signal: signal ?? undefined, throwHttpErrors, bounds, started, fetch };
}

/** The call's ky `throwHttpErrors`: the caller's (as ky merged it; none: ky's `true`), but not for the 304 {@link judgeAnswer} passed on as the call's answer (`conditional`): ky throws every answer not `ok` unless told not to. */
export const throwsFor = (state: RequestState) => (status: number): boolean => !(status === 304 && state.conditional === true) && (typeof state.throwHttpErrors === 'function' ? state.throwHttpErrors(status) : state.throwHttpErrors !== false);

/** Each call's trail of attempts, by its state: in no object a user hook can reach. */
const trails = new WeakMap<RequestState, AttemptTrail>();

/**
 * The secrets of the call's attempt in flight (every earlier attempt's with them), listed when
 * called; before the first is authorized, what the client knows then (`knownSecrets`: its last
 * attempt's credential values), given its policy.
 */
export function stateSecrets(state: RequestState | undefined, policy?: AttemptPolicy): AttemptSecrets {
  return (state && trails.get(state)?.last) ?? (() => (policy ? knownSecrets(policy) : []));
}

/** The log of the call's `attempt` (`attemptLog`), its number, secrets and the call's number read off the call's state. */
export function stateLog(logger: OktaLogger | undefined, attempt: RequestAttempt, state: RequestState): AttemptLog | undefined {
  return attemptLog(logger, attempt, state.count, stateSecrets(state), state.retry.call);
}

/** The call's trail of attempts, which each attempt's list joins (`attemptSecrets`). */
export function stateTrail(state: RequestState): AttemptTrail {
  let trail = trails.get(state);
  if (trail === undefined) trails.set(state, (trail = {}));
  return trail;
}

/**
 * A new attempt of the call begins, before it is authorized: it reads no error body yet, so a
 * timeout from now on (while the credential authorizes it, a token request) is its own, not a
 * previous attempt's error answer.
 */
export function beginAttempt(state: RequestState): void {
  readingByState.delete(state);
  state.sent = false;
}

/**
 * The error answer whose body the call's attempt is reading: when ky's own timeout ends the call
 * meanwhile (`createOktaKy` reads it inside ky's fetch), it is that answer's, whose body stalled.
 * Held from the read's start until it ends unaborted or the next attempt begins: never longer.
 */
const readingByState = new WeakMap<RequestState, Response>();

/** The error answer whose body was being read when ky's timeout fired, if any. */
export function stalledAnswer(state: RequestState | undefined): Response | undefined {
  return state && readingByState.get(state);
}

/** What does not change between the calls of one client. */
export interface AnswerContext {
  readonly credential: OktaCredential;
  readonly retry: NormalizedRetry;
  readonly logger: OktaLogger | undefined;
  readonly coordinator: CoordinatedRateLimits | undefined;
  readonly policy: AttemptPolicy;
  /** The longest wait for the coordinator's budget before one attempt: `retry.maxWaitMs`, at most half of `timeoutMs`. */
  readonly maxWaitMs: number;
  /** The attempt's `timeoutMs`: it also bounds reading an error body here (ky's timeout does not bound a hook's read). */
  readonly timeoutMs: number;
  /** The `maxInFlight` option's limit, if any (the wait for one of its slots: `waitBound(retry, timeoutMs, true)`). */
  readonly limit?: InFlightLimit | undefined;
}

/**
 * The key of a call's state in ky's options: an option ky does not know, so ky hands it to its
 * `fetch` with every attempt (and to the hooks in `options`).
 */
export const stateKey = '@org/okta-auth-core:state';

/** The call's state, where the instance (`createOktaKy`) or the `init` hook (`oktaKyHooks`) put it. */
export function stateOf(options: object): RequestState | undefined {
  return (options as Record<string, unknown>)[stateKey] as RequestState | undefined;
}

/** The attempt ky's request is (the same method, URL and signal the credential was given). */
export function attemptOf(request: Request): RequestAttempt {
  return { method: attemptMethod(request.method), url: new URL(request.url), signal: request.signal };
}

/** Retry now or after `delay` ms (ky's `ky.retry` / `ForceRetryError` options). */
interface RetryVerdict {
  readonly delay: number;
  readonly code: string;
}

/**
 * The decision for one answer: `undefined` to pass it on, a {@link RetryVerdict}, or a Response
 * holding at most 64 KiB of an error body (ky reads an error body whole: it gets what
 * `OktaApiError` keeps, the rest is cancelled). Throws for a redirect. `final`: ky would refuse a
 * retry (its limit is spent), so none is asked for and the answer is the call's (the credential's
 * challenge is still asked, for what it learns). A 429 that is not retried is handed to ky as any
 * error answer is: ky throws it (typed `RATE_LIMITED` by the `beforeError` hook) unless the call's
 * `throwHttpErrors` says not to, as the fetch driver hands it back. `ownInstance` (`oktaKyHooks`):
 * ky would retry a 429 it throws itself (its default `statusCodes` list 429), past `retry.limit`,
 * so there one that ky would throw is thrown here.
 */
export function judgeAnswer(request: Request, response: Response, state: RequestState, context: AnswerContext, final?: boolean, ownInstance = false): Promise<RetryVerdict | Response | undefined> | undefined {
  const { logger, coordinator } = context;
  const attempt = state.attempt ?? attemptOf(request);
  // This attempt's (a retry replaces the state's): listed only when this answer needs them.
  const secrets = stateSecrets(state);
  const log = stateLog(logger, attempt, state);
  // An answer came: no retry of this attempt is for the network.
  state.reason = undefined;
  // On your own instance nothing of ours bounds a 2xx body (ky's timeout ends with the headers): the
  // attempt's timeoutMs is what core's own read of it (`readPage`) is bounded by, and names.
  recordAttempt(response, { secrets, attempt, timeoutMs: ownInstance ? context.timeoutMs : undefined, userSignal: undefined });
  const requestId = log && answerRequestId(response);
  log?.({ type: 'response', status: response.status, requestId });
  const reported = coordinator?.report(attempt, response, logger, secrets, state.retry.call);
  if (isRedirect(response)) throw (state.redirected = redirectError(response, attempt.url, secrets()));
  // A 2xx (every warm call) is neither a 429 nor a challenge: passed on at once, without a promise; so is a 304 to a
  // conditional GET or HEAD (the one rule, answersCall), which ky is told not to throw (`throwsFor`).
  if (answersCall(response, attempt.method, request.headers)) {
    if (!response.ok) state.conditional = true;
    return undefined;
  }
  return judgeFailure(request, response, state, context, { attempt, secrets, log, requestId, reported }, final, ownInstance);
}

/** {@link judgeAnswer} for an answer that is not a 2xx (a 429, a challenge, an error), given what it found. */
async function judgeFailure(
  request: Request,
  response: Response,
  state: RequestState,
  context: AnswerContext,
  { attempt, secrets, log, requestId, reported }: { attempt: RequestAttempt; secrets: AttemptSecrets; log: AttemptLog | undefined; requestId: string | undefined; reported: Promise<boolean> | undefined },
  final: boolean | undefined,
  ownInstance: boolean,
): Promise<RetryVerdict | Response | undefined> {
  const { credential, logger, coordinator } = context;
  if (response.status === 429) {
    // Decided even when final: why it is not retried is kept for the error's hint (`rateLimitReason`).
    const wait = rateLimitDecision(response, state.retry, context.retry);
    if (!final && wait !== undefined) {
      state.reason = 'rate-limit';
      log?.({ type: 'backoff', waitMs: wait, requestId });
      // A coordinator that took the 429 spreads the fleet's retries over the window (its wait
      // before the retry, asked now); one that failed to take it or to answer then, or asked a
      // wait it did not take (past the budget), is skipped, and the wait is this client's own.
      // Outside the attempt's timer (createOktaKy's fetch cleared it for the 429), as in the fetch driver: at most half of
      // timeoutMs, and of what remains of a ky bound enclosing the wait (a call's own ky timeout around createOktaKy's
      // fetch, a totalTimeout: ky ends the call then). One past it is not taken, and the client waits the 429 out itself
      // (`wait` resolves false), as for a wait past the budget, counted from the 429: what the coordinator waited before
      // declining is part of it. Halved by the one waitBound (through waitLeft), as every wait before an attempt (whole ms).
      const left = Math.min(context.timeoutMs, state.begun === undefined ? totalLeft(state.bounds, state.started) : attemptBound(state.bounds, Infinity, state.started, state.begun).ms);
      // Within what the call has left of retry.maxWaitMs before this 429's wait is counted (waitLeft), and counted.
      const asked: BudgetWaitOptions = { maxWaitMs: waitLeft(state.retry, context.retry, undefined, left).maxWaitMs, signal: request.signal, logger, secrets, call: state.retry.call, log };
      recordRateLimitRetry(response, state.retry, wait);
      state.reserved = (await reported) === true && (await coordinator?.wait(attempt, asked)) === true;
      countWait(state.retry, asked, wait);
      return { delay: state.reserved ? 0 : ownRateLimitWait(wait, asked), code: 'OKTA_RATE_LIMIT' };
    }
    // As OktaApiError.fromResponse does: an unreadable body still gives the error.
    const { throwHttpErrors: throws = true } = state;
    if (ownInstance && (typeof throws === 'function' ? throws(429) : throws)) throw apiErrorFromParts(response, await errorBody(response, request, state, context), attempt, request, secrets(), credential);
  }
  // Asked even when final: what it learns (a nonce, a refused token dropped) serves the next call.
  if (mayChallenge(response, state.retry, credential) && (await challengeDecision(answerState(attempt, request, response), state.retry, credential, request.signal, context.timeoutMs, secrets)) && !final) {
    log?.({ type: 'retry', reason: 'challenge' });
    return { delay: 0, code: 'OKTA_CHALLENGE' };
  }
  if (response.ok) return undefined;
  const text = await errorBody(response, request, state, context);
  // A status past 599 (HTTP/1.1 allows three digits), or 0 (a browser's opaque answer to `mode: 'no-cors'`),
  // cannot be given to a Response: the answer is the call's error here, as in the fetch driver.
  if (response.status > 599 || response.status < 200) throw apiErrorFromParts(response, text, attempt, request, secrets(), credential);
  // A 304 (one to a request that asked for none: answersCall) has no body: a Response with one would throw a TypeError.
  const kept = answerCopy(response, response.status === 304 ? null : text);
  errorBodies.set(kept, text);
  // Why a 429 was not waited out, for its error's hint.
  reasons.set(kept, reasons.get(response));
  // ky may retry this answer on its own (its retry.statusCodes): the next attempt logs it.
  state.reason = 'status';
  return kept;
}

/**
 * The error body each answer {@link judgeAnswer} returned holds, as read: ky parses a JSON body
 * again for `HTTPError.data` and drops one that does not parse (cut at 64 KiB, malformed), which
 * `OktaApiError` names ("not valid JSON") as the fetch driver does.
 */
export const errorBodies = new WeakMap<Response, string>();

/**
 * At most 64 KiB of an error body, read within the attempt's `timeoutMs`: in the hooks on the
 * user's own instance nothing else bounds this read (ky's timeout ends with the answer's
 * headers), and a stalled error body hung the call for ever. A stall gives the status, its
 * summary saying the body did not arrive within `timeoutMs` (core's one reading, as the fetch
 * driver's), not `TIMEOUT`. The timer follows the caller's own signal (the state's; ky's is the
 * request's), as the fetch driver's attempt timer does: the caller's abort ends the read at once,
 * also of a body that a `fetch` which dropped the signal would never end (small168: until
 * `timeoutMs`, which held a `createOktaKy` call that long).
 */
async function errorBody(response: Response, request: Request, state: RequestState, context: AnswerContext): Promise<string> {
  const timer = new AttemptTimer(state.signal, context.timeoutMs);
  readingByState.set(state, response);
  try {
    return await readErrorText(response, timer.signal);
  } finally {
    timer.clear();
    // Read (or ended by this timer): a later timeout (ky's wait before a retry, its totalTimeout) is
    // not this answer's. Kept only when ky's own timeout aborted the read, for its beforeError hook.
    if (!request.signal.aborted) readingByState.delete(state);
  }
}
