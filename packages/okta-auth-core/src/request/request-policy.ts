/**
 * The one request policy that the fetch driver (`execute.ts`) and the ky driver (`ky/hooks.ts`)
 * apply, decided here and nowhere else: the origin check (once per attempt), per-attempt
 * authorization (whose secrets `attempt-secrets.ts` lists), Okta's 429 waits (`rate-limit-verdict.ts`), the credential's
 * challenge retry and explanation (given one {@link AnswerState}), redirect refusal (`redirect.ts`), and the
 * classification of failures: a failure to get an answer is typed (`NETWORK_ERROR`, `TIMEOUT`,
 * `ABORTED`), an error the credential or user code throws reaches the caller as itself.
 * The drivers only decide how to wait and resend.
 */
import { AttemptTimer } from './abort.js';
import { OktaApiError } from '../errors/api-error.js';
import type { AnswerState, AuthorizationHeaders, OktaCredential, RequestAttempt } from '../credential.js';
import { OktaAuthError } from '../errors/errors.js';
import { transportFailure, type TimeoutBound } from '../errors/failure.js';
import { printable } from '../errors/printable.js';
import { deadlines, reasons, type AttemptDeadline } from './rate-limit-verdict.js';
import type { AttemptSecrets, AttemptTrail } from '../secrets/attempt-secrets.js';
import { isBrowser, runtimeToken } from '../config/runtime-globals.js';
import { oktaUserAgent } from '../config/user-agent.js';
import { attemptMethod } from './method.js';
import { assertOrigin } from './origin-check.js';

/** What the policy needs to know about the caller, the same for both drivers (built once per client by {@link attemptPolicy}). */
export interface AttemptPolicy {
  /** The one origin requests may go to: the credential's, when there is one. */
  readonly origin: string;
  /** The credential's `kind` as log events and messages show it (cleaned by `printable`, at most 64 characters); `none` without one. */
  readonly kind: string;
  /** Authorizes every attempt; absent for calls that carry their own authentication (a token request). */
  readonly credential: OktaCredential | undefined;
  /** The User-Agent value, built once (the runtime does not change). */
  readonly ua: string;
  /** In a browser the User-Agent goes in `X-Okta-User-Agent-Extended` and no retry headers are sent. */
  readonly browser: boolean;
  /** Values the request carries that the policy cannot find on its own (a client assertion in a form). */
  readonly secrets?: (() => Iterable<string>) | undefined;
  /**
   * `{ cache: 'no-store' }` for every attempt, on every runtime but workerd: a call with credentials
   * is never answered from a cache nor kept in one. In a browser, its HTTP cache (Chromium keeps a
   * 301 without cache headers for good, and would refuse every later call of that URL as a
   * redirect without asking Okta); on a server, a patched fetch's (Next.js's data cache, under
   * `fetchCache = 'default-cache'` or Next.js 14's default in GET route handlers, keeps answers,
   * tokens among them, in `.next/cache/fetch-cache` for a year, whatever Okta's `Cache-Control`,
   * and could answer an SSWS or Bearer GET stale). Node.js 20.19 and later, Bun, Deno, Chromium,
   * Firefox, WebKit and the edge sandbox accept it; workerd refuses it before its 2024-11-11
   * compatibility date and has no such cache of its own (none there).
   */
  readonly cache: { readonly cache: 'no-store' } | undefined;
  /** The client's `fetch` option, if it has one: each attempt carries it ({@link RequestAttempt.fetch}), the credential's transport for the attempt's token request. */
  readonly fetch?: typeof fetch | undefined;
}

/** The one `cache` option of every attempt ({@link AttemptPolicy.cache}). */
const noStore = { cache: 'no-store' } as const;

/** The policy of one client: what every attempt needs that does not change between attempts. */
export function attemptPolicy(origin: string, credential: OktaCredential | undefined, userAgent: string | undefined, secrets?: () => Iterable<string>, fetch?: typeof globalThis.fetch): AttemptPolicy {
  const browser = isBrowser();
  return { origin, kind: credential ? printable(credential.kind, [], 64) : 'none', credential, ua: oktaUserAgent(userAgent), browser, secrets, cache: runtimeToken() === 'workerd' ? undefined : noStore, fetch };
}

/**
 * Per-request retry bookkeeping, carried from one attempt to the next; in the fetch driver, the
 * call's trail of its attempts' secrets too (`last`), which a ky call keeps apart (`stateTrail`).
 */
export interface RetryState extends AttemptTrail {
  rateLimitRetries: number;
  waitedMs: number;
  challenged: boolean;
  /** `X-Okta-Request-Id` of the first 429, sent as `X-Okta-Retry-For`. */
  retryFor: string | undefined;
  /** The call's number, on each of its log events (`OktaLogEvent`'s `call`). */
  readonly call: number;
}

/** The calls started so far (both drivers): the one count the log keeps across calls, no state of any call. */
let calls = 0;

/** A call's retry state, before its first attempt: one per call, in both drivers, numbered for the log. */
export function newRetryState(): RetryState {
  return { rateLimitRetries: 0, waitedMs: 0, challenged: false, retryFor: undefined, call: ++calls };
}

/** Sets the headers every attempt carries besides authorization. */
function setBaseHeaders(headers: Headers, policy: AttemptPolicy, state: RetryState): void {
  headers.set(policy.browser ? 'x-okta-user-agent-extended' : 'user-agent', policy.ua);
  // In browsers, headers outside Okta's CORS allow-list would fail the preflight of the retry itself.
  if (state.rateLimitRetries > 0 && !policy.browser) {
    if (state.retryFor !== undefined) headers.set('x-okta-retry-for', state.retryFor);
    headers.set('x-okta-retry-count', String(state.rateLimitRetries));
  }
}

/**
 * The first step of every attempt, in both drivers: the one origin check, the attempt the
 * credential is asked about (carrying `fetch`, the client's transport: the policy's, a ky call's own), and the base headers, set on the attempt's `headers`. The driver then
 * waits for the credential's `authorize(attempt)` (the one promise of authorizing: whatever it
 * throws, a vault that is down, a throwing `onTokens`, propagates as itself, for authorizing is
 * not transport) and hands what it gave to {@link applyAuthorization}.
 */
export function startAttempt(method: unknown, signal: AbortSignal, policy: AttemptPolicy, state: RetryState, url: URL, headers: Headers, bound: AttemptDeadline, fetch: typeof globalThis.fetch | undefined): RequestAttempt {
  assertOrigin(url, policy.origin);
  const attempt: RequestAttempt = { method: attemptMethod(method), url, signal, call: state.call, fetch };
  deadlines.set(attempt, bound);
  setBaseHeaders(headers, policy, state);
  return attempt;
}

/**
 * The second step of every attempt (after {@link startAttempt}): what the credential gave (`auth`, none
 * without a credential), each header checked to be sendable, then set as is (any name: the credential is
 * code the caller trusts with its secret), and an `authorization` string required. Returns the values set
 * (whatever the headers' names), for `attemptSecrets` (`attempt-secrets.ts`).
 */
export function applyAuthorization(policy: AttemptPolicy, headers: Headers, auth: AuthorizationHeaders | undefined): readonly string[] {
  const { credential } = policy;
  const credentialValues: string[] = [];
  if (credential === undefined) return credentialValues;
  // for…in with Object.hasOwn is Object.entries without its arrays (one per header, per attempt).
  for (const name in auth) {
    if (!Object.hasOwn(auth, name)) continue;
    const value = auth[name] as unknown;
    assertHeaderValue(policy.kind, name, value);
    try {
      headers.set(name, value);
    } catch (error) {
      // A header name the runtime refuses: typed, as any request that cannot be built.
      throw invalidRequest(error);
    }
    credentialValues.push(value);
  }
  // None (undefined, `{}`) would send the call unauthenticated, and Okta's 403 blame Okta, not the credential.
  assertHeaderValue(policy.kind, 'authorization', auth?.authorization);
  return credentialValues;
}

/**
 * Waits for user code an attempt depends on (a credential's `authorize` or `challenge`: what `waited` names when the
 * timer fires; a request builder's client authentication, a KMS signer, a ky step past authorizing: empty) at most until `timer` fires
 * (`AttemptTimer.within`), `where` giving what waited (asked only then): the attempt and its secrets (its failure then named
 * by `attemptName`, with the attempt's `origin`), or a text of no one org. Code that ignored the signal, or rejected
 * with its reason (the timeout's, the caller's abort), fails the call as a send without an answer
 * would (`TIMEOUT`, `ABORTED`: `transportFailure`, the one typing, told what waited), in every driver, a `TIMEOUT` saying the
 * credential's `what` did not settle and nothing was sent (resent, after a challenge); anything else it threw reaches the caller as
 * itself. Once settled, the timer (armed on to bound a body) holds nothing of it.
 */
export async function waitForUserCode<T>(timer: AttemptTimer, work: Promise<T>, where: () => readonly [string | RequestAttempt, readonly string[]], userSignal: AbortSignal | undefined, timeoutMs: number, waited = (): string => 'authorize'): Promise<T> {
  try {
    return await timer.within(work);
  } catch (error) {
    const { signal } = timer;
    if (!signal.aborted || error !== signal.reason) throw error;
    // The one typing of a transport failure, told what it waited on.
    const [at, secrets] = where();
    throw transportFailure(error, at, userSignal, timeoutMs, false, secrets, waited());
  } finally {
    timer.controller.stop = undefined;
  }
}

/**
 * Refuses, before anything is sent, a header value that cannot go on the wire (a line break,
 * a control or non-ASCII character: a damaged or tampered stored token), and an `authorization`
 * that is none (a custom credential's `authorize` that resolved `undefined` or `{}`). The value is never
 * quoted: it is a credential. Without this, fetch fails as `NETWORK_ERROR` with the token in
 * its `cause`, and ky with a raw `TypeError` that quotes it.
 */
function assertHeaderValue(kind: string, name: string, value: unknown): asserts value is string {
  if (typeof value === 'string' && /^[\t\x20-\x7E]*$/.test(value)) return;
  const header = /^[A-Za-z0-9-]{1,40}$/.test(name) ? `"${name}"` : 'a';
  throw new OktaAuthError(
    'INVALID_CONFIG',
    `The ${kind} credential gave ${header} header value that cannot be sent (none, a line break, a control or a non-ASCII character, or not a string): its authorize(attempt) must resolve { authorization: string }, or its stored token is damaged. Nothing was sent; sign in again or restore an intact token.`,
  );
}

export { rateLimitDecision, rateLimitReason, reasons } from './rate-limit-verdict.js';

/** Records a 429 retry in the state. */
export function recordRateLimitRetry(response: Response, state: RetryState, wait: number): void {
  state.rateLimitRetries += 1;
  state.waitedMs += wait;
  state.retryFor ??= response.headers.get('x-okta-request-id') ?? undefined;
}

/**
 * The one rule of which answers are the call's answer rather than its error, in every driver: a 2xx, and a 304 to a GET
 * or HEAD that asked for one (`If-None-Match`, `If-Modified-Since`: RFC 9110 §15.4.5, a 304 answers only a conditional
 * GET or HEAD; Okta's users carry an `ETag`). A 304 to a request that asked for none (a proxy's) stays an error, never an empty success.
 */
export function answersCall(response: Response, method: string, headers: Headers): boolean {
  return response.ok || (response.status === 304 && (method === 'GET' || method === 'HEAD') && (headers.has('if-none-match') || headers.has('if-modified-since')));
}

/** The state the credential's `challenge` and `explain` get for one answer. */
export function answerState(attempt: RequestAttempt, request: Request, response: Response, errorCode?: string): AnswerState {
  return { attempt, request, response, errorCode };
}

/** Whether {@link challengeDecision} would ask the credential at all (cheap, so a 2xx builds no state for it). */
export function mayChallenge(response: Response, retry: RetryState, credential: OktaCredential | undefined): boolean {
  const { status } = response;
  return !retry.challenged && credential?.challenge !== undefined && (status === 400 || status === 401 || status === 403);
}

/**
 * Asks the credential, once per request, whether a fresh attempt may fix this failure (a 400, 401
 * or 403). Its `challenge` is user code: waited for at most `timeoutMs` (its own timer, following
 * the caller's `userSignal`), then `TIMEOUT` (`ABORTED` when the caller aborted), as authorizing is.
 */
export async function challengeDecision(
  state: AnswerState,
  retry: RetryState,
  credential: OktaCredential | undefined,
  userSignal: AbortSignal | undefined,
  timeoutMs: number,
  secrets: AttemptSecrets,
): Promise<boolean> {
  if (!mayChallenge(state.response, retry, credential) || credential?.challenge === undefined) return false;
  const timer = new AttemptTimer(userSignal, timeoutMs);
  let again: boolean;
  try {
    again = await waitForUserCode(timer, credential.challenge(state), () => [state.attempt, secrets()], userSignal, timeoutMs, () => 'challenge');
  } finally {
    timer.clear();
  }
  if (again) retry.challenged = true;
  return again;
}

/**
 * The one classification of a failure to get an answer (what fetch threw, or what ky wrapped
 * it in: give its `cause`): `ABORTED` when the caller's signal fired, `TIMEOUT`, `INVALID_RESPONSE`
 * for oversized headers or an answer that is not HTTP/1.1, `NETWORK_ERROR` otherwise. Only for the send itself: never for what
 * authorizing threw.
 */
export function sendFailure(error: unknown, attempt: RequestAttempt, userSignal: AbortSignal | undefined, timeoutMs: number | TimeoutBound | undefined, secrets: readonly string[]): OktaAuthError<string> {
  return transportFailure(error, attempt, userSignal, timeoutMs, false, secrets);
}

/**
 * A request the runtime refuses to build (a header value with a line break, say): typed, and
 * without the runtime's message, which quotes the offending value (possibly a secret).
 */
export function invalidRequest(error: unknown): unknown {
  if (!(error instanceof TypeError)) return error;
  return new OktaAuthError('INVALID_CONFIG', 'The request could not be built: a header value has a line break or another character that cannot be sent, or an option is malformed. Nothing was sent.');
}

/**
 * What the core's `OktaApiError` asks the credential for this answer's hint (the request as sent built only then, when the driver has none);
 * for a 429 not waited for, why instead (what {@link rateLimitDecision} kept; no credential explains a 429).
 */
function hintFor(credential: OktaCredential | undefined, attempt: RequestAttempt, request: Request | (() => Request), response: Response): ((errorCode: string | undefined) => string | undefined) | undefined {
  const reason = reasons.get(response);
  if (reason !== undefined) return () => reason;
  if (credential?.explain === undefined) return undefined;
  return (errorCode) => credential.explain?.(answerState(attempt, typeof request === 'function' ? request() : request, response, errorCode));
}

/** Converts a final non-2xx response into {@link OktaApiError}, with the credential's hint for this very answer. */
export function apiError(
  response: Response,
  attempt: RequestAttempt,
  request: Request | (() => Request),
  secrets: Iterable<string>,
  credential: OktaCredential | undefined,
): Promise<OktaApiError> {
  return OktaApiError.fromResponse(response, { method: attempt.method, url: attempt.url, secrets, explain: hintFor(credential, attempt, request, response) });
}

/** {@link apiError} for an answer whose body a driver already read (ky's `HTTPError.data`). */
export function apiErrorFromParts(
  response: Response,
  bodyText: string,
  attempt: RequestAttempt,
  request: Request,
  secrets: Iterable<string>,
  credential: OktaCredential | undefined,
): OktaApiError {
  return OktaApiError.fromParts(
    { status: response.status, statusText: response.statusText, headers: response.headers, bodyText },
    { method: attempt.method, url: attempt.url, secrets, explain: hintFor(credential, attempt, request, response) },
  );
}
