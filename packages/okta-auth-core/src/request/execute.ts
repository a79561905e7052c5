import { abortableSleep, AttemptTimer } from './abort.js';
import { attemptForm, attemptSecrets, knownSecrets } from '../secrets/attempt-secrets.js';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { attemptName } from '../errors/failure.js';
import { isThenable } from '../errors/guarded.js';
import { attemptLog, failureEvent, type AttemptLog } from '../config/logger.js';
import {
  answerState,
  answersCall,
  apiError,
  applyAuthorization,
  attemptPolicy,
  challengeDecision,
  invalidRequest,
  mayChallenge,
  newRetryState,
  rateLimitDecision,
  recordRateLimitRetry,
  sendFailure,
  startAttempt,
  type AttemptPolicy,
  waitForUserCode,
} from './request-policy.js';
import { isRedirect, redirectError } from './redirect.js';
import { discardAnswer, recordAttempt } from '../errors/answer.js';
import { answerRequestId } from '../errors/printable.js';
import { ownRateLimitWait, spentWindow } from '../rate-limit/coordinated-wait.js';
import { boundLeft, countWait, waitBound, waitLeft } from './rate-limit-verdict.js';
import type { BudgetWaitOptions } from '../rate-limit/coordinated-wait.js';
import { isResendable, retriedStatuses, statusRetryLimit, statusRetryWaitMs } from './status-retry.js';
import { normalizeTransport, type Transport } from '../config/transport.js';
import type { AttemptContext, BuiltAttempt, ExecuteOptions } from './execute-options.js';

/**
 * Sends one logical request to Okta, attempt by attempt: the fetch driver of the request policy
 * (`request-policy.ts`), under {@link createOktaFetch} and the method packages' token requests.
 * The builder makes a fresh `Request` for every attempt, so a retried token request carries a
 * new client assertion and DPoP proof. Every attempt is checked against the origin, authorized
 * afresh by the credential, given the User-Agent and (on a 429 retry) `X-Okta-Retry-For` and
 * `X-Okta-Retry-Count`. A 429 waits `X-Rate-Limit-Reset` − `Date` + 1 s within the retry budget;
 * a 400/401/403 the credential can fix (DPoP nonce, revoked token) is retried once, an answer handed back
 * as often as the caller's own `challenge` asks (a token request's nonce or clock retry); a 408 or
 * 5xx of `status-retry.ts` (GET, PUT, HEAD, OPTIONS) twice after ky's backoff, when thrown; redirects
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
export async function executeOktaRequest(build: (attempt: AttemptContext) => Promise<BuiltAttempt>, options: ExecuteOptions): Promise<Response> {
  const transport = normalizeTransport(options);
  const { credential, origin } = options;
  if (credential !== undefined && credential.origin !== origin) {
    throw new OktaAuthError('ORIGIN_MISMATCH', `The credential belongs to ${credential.origin}, not to ${origin}: use a credential of that org.`);
  }
  // The builder is bounded by the attempt's timer too: it runs user code (a KMS signer of the client
  // assertion), and one that never settled would hold a token flight for ever. createOktaFetch's
  // builder is its own code and returns at once, so its bundle has none of this.
  const bounded = (attempt: AttemptContext, timer: AttemptTimer): Promise<BuiltAttempt> =>
    waitForUserCode(timer, build(attempt), () => [`Building the request to ${origin} (client authentication, DPoP proof)`, []], options.signal, transport.timeoutMs, () => '');
  return runAttempts(bounded, options, transport, attemptPolicy(origin, credential, options.userAgent, options.secrets, options.fetch), options.signal);
}

/**
 * {@link executeOktaRequest} with the options validated and the policy built once per client
 * (`createOktaFetch`). Internal to core.
 */
export async function runAttempts(
  build: ((attempt: AttemptContext, timer: AttemptTimer) => Promise<BuiltAttempt> | BuiltAttempt) | BuiltAttempt,
  options: Omit<ExecuteOptions, 'origin' | 'signal'>,
  { retry, timeoutMs, limit, logger }: Transport,
  policy: AttemptPolicy,
  userSignal: AbortSignal | undefined,
): Promise<Response> {
  // The credential's origin is the policy's (checked by executeOktaRequest; createOktaFetch takes it from the credential).
  const { credential, rateLimitCoordinator: coordinator } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // The call's retry bookkeeping, and its trail of attempts: an answer may echo an earlier one's token or proof (attempt-secrets.ts).
  const state = newRetryState();
  // retry: false sends each call once (the credential's challenge aside).
  let networkRetried = retry.off;
  // Retries of a passing 5xx or 408 (status-retry.ts), a budget apart from the 429's.
  let statusRetries = 0;
  // The coordinator's wait before this attempt was taken already (a 429's retry, below).
  let reserved = false;
  for (let number = 1; ; number++) {
    const timer = new AttemptTimer(userSignal, timeoutMs);
    // When the attempt's timeoutMs began: each wait before the send takes at most half of what remains of it.
    const begun = performance.now();
    const { signal } = timer;
    // The timer stays armed on the answer returned (it bounds reading the body, and is cleared when that read ends); any other end clears it.
    let armed = false;
    // The attempt's log, from its request event on.
    let log: AttemptLog | undefined;
    // Gives back the attempt's slot of the maxInFlight limit: when its answer's headers came, or it failed, or waits.
    let release: (() => void) | undefined;
    try {
      // createOktaFetch's warm path gives its one attempt itself: no builder to call, nor to wait for.
      // A builder that waits is bounded by the attempt's timer (executeOktaRequest's, given the timer).
      const pending = typeof build === 'function' ? build({ number, signal }, timer) : build;
      const built = isThenable(pending) ? await pending : pending;
      const plain = !(built instanceof Request);
      // A URL and init go to fetch as they are (one Request, undici's); a Request is copied once, with the signal.
      let request: Request | undefined;
      let headers: Headers;
      try {
        if (plain) headers = new Headers(built.init.headers);
        else {
          // The method upper-cased, as every attempt names it (a DPoP proof's htm, errors, logs): fetch
          // upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, and would send a `patch` as is.
          // A Request's method is a token already (the Request refuses any other); startAttempt reads it below.
          request = new Request(built, Object.assign({ method: built.method.toUpperCase(), redirect: 'manual' as const, signal }, policy.cache));
          timer.request = request;
          headers = request.headers;
        }
      } catch (error) {
        throw invalidRequest(error);
      }
      // Authorizing is not transport: what the credential (or user code inside it) throws propagates as itself.
      const method = plain ? (built.init.method ?? 'GET') : built.method;
      const target = plain ? built.url : new URL(built.url);
      // Authorized in two steps around the one wait, the credential's: bounded by the attempt's timer, so a credential that
      // ignores its signal cannot hold the call (named by the one builder, its path scrubbed of what is known before authorizing).
      const attempt = startAttempt(method, signal, policy, state, target, headers, { ms: timeoutMs, since: begun }, policy.fetch);
      const authorizer = policy.credential;
      const credentialValues = applyAuthorization(
        policy,
        headers,
        authorizer && (await waitForUserCode(timer, Promise.resolve(authorizer.authorize(attempt)), () => [attempt, knownSecrets(policy)], userSignal, timeoutMs)),
      );
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      const { url } = attempt;
      // The copy above; for a URL and init, a Request built only when a credential's challenge or explain reads it (its headers).
      const sent = (): Request => (request ??= new Request(url, { method: attempt.method, headers }));
      // Listed when an answer needs them (a non-2xx, a log event, a scrubbed field): what is sent is read now.
      const form = attemptForm(headers, plain ? built.init.body : request?.body, request);
      const secrets = attemptSecrets(headers, isThenable(form) ? await form : form, credentialValues, policy, state);
      // The coordinator's wait, asked once the attempt is authorized (its bucket scrubbed of what it carries), within
      // what the call has left of retry.maxWaitMs (and of the attempt it is made for: waitLeft) and the caller's signal
      // (never throws), then counted: a wait taken restarts the attempt, built and authorized
      // afresh after it (its proof and token new, its own timer; not asked again); after a 429 the coordinator took, it was asked already.
      if (coordinator !== undefined && !reserved) {
        const { maxWaitMs, boundBy } = waitLeft(state, retry, options.within);
        const asked: BudgetWaitOptions = { maxWaitMs, boundBy, signal: userSignal, logger, secrets, call: state.call, log: attemptLog(logger, attempt, number, secrets, state.call) };
        await coordinator.wait(attempt, asked);
        if (userSignal?.aborted) throw sendFailure(undefined, attempt, userSignal, timeoutMs, secrets());
        // Okta said the window is spent and the wait is past what the call has left: RATE_LIMITED, nothing sent (Okta
        // would answer 429), whatever throwHttpErrors says: no answer came to hand back (as a network failure).
        const spent = spentWindow(asked);
        if (spent !== undefined) throw await apiError(spent, attempt, sent, secrets(), credential);
        if (countWait(state, asked) > 0) {
          reserved = true;
          number--;
          continue;
        }
      }
      reserved = false;
      if (limit !== undefined) {
        try {
          release = await limit.acquire({ ...waitBound(retry, boundLeft(timeoutMs, begun), true), holdMs: timeoutMs, signal, what: () => attemptName(attempt, secrets()) });
        } catch (error) {
          // Past the wait's bound: the limit's TIMEOUT; an abort (the caller's, the attempt's timeoutMs) typed as the send's,
          // by its reason (a bound spent before the wait, its timer first: TIMEOUT, as in the ky drivers, never NETWORK_ERROR).
          throw signal.aborted ? sendFailure(signal.reason, attempt, userSignal, timeoutMs, secrets()) : error;
        }
      }
      log = attemptLog(logger, attempt, number, secrets, state.call);
      log?.({ type: 'request', credential: policy.kind });
      let response: Response;
      try {
        // Object.assign, not a spread with keys added: V8 (Node.js 20) leaves its fast path for that shape (about 1 µs).
        const sending = plain ? fetchImpl(url, Object.assign({}, built.init, { method: attempt.method, headers, signal, redirect: 'manual' as const }, policy.cache)) : fetchImpl(sent());
        // The runtime's fetch heeds the signal (its promise rejects on the abort). A fetch option is user code, which may drop
        // it (a wrapper that rebuilds the request): waited for within the attempt's timer, it ends with the timeout or the
        // caller's abort all the same, its reason what a fetch that heeds it rejects with (two promises an attempt, its own only).
        response = await (options.fetch ? timer.within(sending) : sending);
      } catch (error) {
        // fetch(url, init) refuses a malformed init (a GET with a body, a forbidden method) only inside
        // fetch: what a Request refuses too was never sent, and is no network failure. Checked without the
        // caller's signal, which a Request follows until it is collected: one listener per failed send on it.
        if (plain) {
          try {
            new Request(url, { ...built.init, signal: null } as RequestInit);
          } catch (malformed) {
            throw invalidRequest(malformed);
          }
        }
        const failure = sendFailure(error, attempt, userSignal, timeoutMs, secrets());
        // A connection reset before any answer (a stale keep-alive socket, say) is retried once
        // for idempotent methods, as ky does; never for POST, PATCH or DELETE.
        if (failure.code === 'NETWORK_ERROR' && !networkRetried && isResendable(attempt.method)) {
          networkRetried = true;
          log?.({ type: 'retry', reason: 'network' });
          continue;
        }
        throw failure;
      }
      // Checks what the fetch option resolved with, outside the send's try: no NETWORK_ERROR, nor resent.
      recordAttempt(response, { secrets, attempt, timeoutMs, userSignal, log, timer });
      // Okta counts a request in flight while it processes it: its headers end that, not the caller's read of the body.
      release?.();
      // An answer can echo what was sent in any header: scrub before the id reaches a log event.
      const requestId = log && answerRequestId(response);
      log?.({ type: 'response', status: response.status, requestId });
      const reported = coordinator?.report(attempt, response, logger, secrets, state.call);

      if (isRedirect(response)) {
        await discardAnswer(response);
        throw redirectError(response, url, secrets());
      }
      const wait = rateLimitDecision(response, state, retry, options.within);
      if (wait !== undefined) {
        // What the call has left before this 429's wait is counted: the coordinator's wait before the retry stands in for it.
        const left = waitLeft(state, retry, options.within, timeoutMs).maxWaitMs;
        recordRateLimitRetry(response, state, wait);
        log?.({ type: 'backoff', waitMs: wait, requestId });
        await discardAnswer(response);
        timer.clear();
        try {
          // A coordinator that took the 429 spreads the fleet's retries over the window (its wait
          // before the retry, asked now); one that failed to take it or to answer then, or asked a
          // wait it did not take (past the budget), is skipped, and the wait is this client's own,
          // counted from the 429 (what the coordinator waited before declining is part of it).
          const asked: BudgetWaitOptions = { maxWaitMs: left, signal: userSignal, logger, secrets, call: state.call, log };
          reserved = (await reported) === true && (await coordinator?.wait(attempt, asked)) === true;
          countWait(state, asked, wait);
          await abortableSleep(reserved ? 0 : ownRateLimitWait(wait, asked), userSignal);
        } catch {
          throw sendFailure(undefined, attempt, userSignal, timeoutMs, secrets());
        }
        log?.({ type: 'retry', reason: 'rate-limit' });
        continue;
      }
      if (mayChallenge(response, state, credential) && (await challengeDecision(answerState(attempt, sent(), response), state, credential, userSignal, timeoutMs, secrets))) {
        await discardAnswer(response);
        log?.({ type: 'retry', reason: 'challenge' });
        continue;
      }
      // A status past 599 (RFC 9110 §15: invalid) is the call's error whatever throwHttpErrors says, as in the ky drivers,
      // which cannot hand it on (a Response refuses it) without an unbounded error body (core README, "Decisions").
      // So is a status 0 (a browser's opaque answer to `mode: 'no-cors'`), which no Response can be made with either.
      // The one rule of what is an error (answersCall): a 304 to a conditional GET or HEAD is the call's answer.
      if (!answersCall(response, attempt.method, headers) && (options.throwHttpErrors !== false || response.status > 599 || response.status < 200)) {
        // A passing failure (503…) of an idempotent method is sent again after ky's backoff, as createOktaKy lets ky do
        // (never with retry: false, nor an answer handed back, which ky does not retry either: its statuses are below 600,
        // so they come here only with throwHttpErrors on).
        // Its backoff counts in the call's total with the 429s' and the coordinator's waits: one past what is left is not
        // started, and the answer is the call's error, as with no retry left.
        const backoff = statusRetryWaitMs(statusRetries + 1);
        if (!retry.off && statusRetries < statusRetryLimit && retriedStatuses.includes(response.status) && isResendable(attempt.method) && backoff <= waitLeft(state, retry, options.within).maxWaitMs) {
          statusRetries++;
          countWait(state, backoff);
          await discardAnswer(response);
          timer.clear();
          try {
            await abortableSleep(backoff, userSignal);
          } catch {
            throw sendFailure(undefined, attempt, userSignal, timeoutMs, secrets());
          }
          log?.({ type: 'retry', reason: 'status' });
          continue;
        }
        throw await apiError(response, attempt, sent, secrets(), credential);
      }
      // The caller's own challenge of the answer (its body read within the attempt's timer): a retry it asks for is the call's next attempt.
      if (await options.challenge?.(response)) {
        log?.({ type: 'retry', reason: 'challenge' });
        continue;
      }
      armed = timer.handOn(response);
      return response;
    } catch (error) {
      // A typed failure after the request event ends it with an error event (a redirect, a 429 wait
      // aborted included), as the ky driver's beforeError hook does.
      if (isOktaAuthError(error)) log?.(failureEvent(error));
      throw error;
    } finally {
      if (!armed) timer.clear();
      release?.();
    }
  }
}
