/**
 * The one rule of a 429's retry ({@link rateLimitDecision}), the one bound of every wait before an
 * attempt ({@link waitBound}, over what an attempt's bound has left, {@link boundLeft} and {@link halfLeft}),
 * and the bound of each attempt a driver began, for a token request a credential makes for it inside
 * `authorize` (okta-oauth's client-credentials grant, a user's refresh): that request's 429 wait must fit
 * in what the attempt can spare, or the attempt's timer cuts the wait off as a `TIMEOUT` that says nothing
 * of the rate limit.
 */
import type { RequestAttempt } from '../credential.js';
import type { NormalizedRetry } from '../config/transport.js';
import type { BoundName, SlotBoundName } from '../errors/failure.js';
import { sharedRecords } from '../errors/errors.js';
import { parseRateLimit, rateLimitWait } from '../headers/rate-limit.js';
import { coordinatedWaitMs } from '../rate-limit/coordinated-wait.js';
import type { BudgetWaitOptions } from '../rate-limit/coordinated-wait.js';
import type { RetryState } from './request-policy.js';

/**
 * The bound of one attempt, begun at `since` (`performance.now()` based): `timeoutMs`, or through
 * the ky drivers a call's shorter ky bound (`attemptBound`), what remained of it then. @internal
 */
export interface AttemptDeadline {
  readonly ms: number;
  readonly since: number;
  /** The bound's name, `timeoutMs` when none. */
  readonly name?: BoundName | undefined;
}

/** Each attempt a driver of any copy of core began (`startAttempt`), to its bound: the one registry of the realm (`sharedRecords`). */
export const deadlines = sharedRecords().deadlines as WeakMap<RequestAttempt, AttemptDeadline>;

/**
 * The bound of the attempt a credential's `authorize` was given (`undefined` for one no driver of any
 * copy of core began: your own call), for a token request made for it (`ExecuteOptions.within`).
 *
 * @example
 * ```ts
 * declare const attempt: RequestAttempt; // authorize(attempt)'s
 * const within = attemptDeadline(attempt); // { ms: 30000, name: 'timeoutMs', since: … } in createOktaFetch
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @internal
 */
export const attemptDeadline = (attempt: RequestAttempt): AttemptDeadline | undefined => deadlines.get(attempt);

/**
 * What remains of a bound of `ms` begun at `since` (`performance.now()` based), in whole ms and
 * none below 0: the one remainder of every driver's bounds (an attempt's `timeoutMs` since the
 * attempt began, a ky call's `totalTimeout` since the call began), which a wait before an attempt
 * halves ({@link waitBound}), so the attempt keeps the rest.
 *
 * @example
 * ```ts
 * boundLeft(4_000, performance.now() - 2_500); // about 1500
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-concurrency
 * @internal
 */
export function boundLeft(ms: number, since: number): number {
  return Math.max(0, Math.floor(ms - performance.now() + since));
}

/**
 * Half of what `bound` (an attempt's, `attemptDeadline`: `ms` begun at `since`) has left now, and of `ms`, in whole ms
 * (floored: never past it); `Infinity` for neither: the most a wait made within that bound may take, so the attempt keeps
 * the rest. The one halving of {@link waitBound} (every wait before an attempt, `waitLeft`'s), and okta-oauth's check of
 * whether a bound could take a token request's 429 wait (token-cache/flights.ts). @internal
 *
 * @example
 * ```ts
 * halfLeft({ ms: 4_000, since: performance.now() - 2_000 }); // about 1000
 * halfLeft(undefined, 3_001); // 1500
 * halfLeft(undefined); // Infinity: no bound
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const halfLeft = (bound: { readonly ms: number; readonly since: number } | undefined, ms = Infinity): number =>
  Math.floor(Math.min(ms, bound ? boundLeft(bound.ms, bound.since) : Infinity) / 2);

/**
 * The longest wait before one attempt, in every driver: for a rate-limit coordinator's budget, and
 * (`slot`) for a slot of the `maxInFlight` limit. The wait counts against what remains of the
 * attempt's bound when it begins (`ms`: {@link boundLeft} of `timeoutMs`; through the ky drivers, a
 * call's shorter ky `timeout` or `totalTimeout` in its place, `name` naming it: `attemptBound`; a
 * request made for an attempt, `bound`, that attempt's, read now: `waitLeft`), so `retry.maxWaitMs`
 * at most half of it ({@link halfLeft}, in whole ms: floored, never past it); a slot's wait with
 * `retry: false` (no waiting budget of its own), half of it. With it, `boundBy`: the setting that
 * bounds the wait (the smaller, both when equal), all a slot's `TIMEOUT` tells the caller to raise,
 * so the advice never names a setting that would change nothing (`retry.maxWaitMs` under `retry:
 * false` or the default, 65 s against half of 30 s). A coordinator's wait ends in no error: only
 * its `maxWaitMs` is read.
 *
 * @example
 * ```ts
 * const { retry, timeoutMs } = normalizeTransport({ retry: false, timeoutMs: 10_000 });
 * waitBound(retry, timeoutMs).maxWaitMs; // 0
 * waitBound(retry, timeoutMs, true); // { maxWaitMs: 5000, boundBy: 'timeoutMs' }
 * waitBound(retry, 2_001, true, "ky's timeout"); // { maxWaitMs: 1000, boundBy: "ky's timeout" }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @see https://developer.okta.com/docs/reference/rl2-concurrency
 * @internal
 */
export function waitBound(retry: Pick<NormalizedRetry, 'maxWaitMs' | 'off'>, ms: number, slot?: boolean, name: BoundName = 'timeoutMs', bound?: { readonly ms: number; readonly since: number }): { maxWaitMs: number; boundBy: SlotBoundName } {
  const own = slot && retry.off ? ms : retry.maxWaitMs;
  const half = halfLeft(bound, ms);
  return { maxWaitMs: Math.min(own, half), boundBy: own < half ? 'retry.maxWaitMs' : own > half ? name : `retry.maxWaitMs and ${name}` };
}

/**
 * The most a call may still wait before its next attempt, in every driver: the one rule of a 429's wait
 * ({@link rateLimitDecision}) and of a rate-limit coordinator's, before an attempt or a 429's retry. What remains of
 * `retry.maxWaitMs` once the call's waits so far are counted (`state.waitedMs`: its 429s' and its coordinator's,
 * {@link countWait}); for a request made for an attempt (`within`: a token request in a credential's `authorize`),
 * at most half of what remains of that attempt's bound, and of `ms` (a bound the wait counts against too), by the
 * one {@link waitBound}, whose `boundBy` names the setting to raise; okta-oauth's caller that joined a token request
 * asks again only if its own bound could take that request's 429 wait, by this rule (token-cache/flights.ts). @internal
 *
 * @example
 * ```ts
 * declare const state: RetryState;
 * waitLeft(state, { limit: 2, maxWaitMs: 65_000 }).maxWaitMs; // 65000 less what the call waited
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const waitLeft = (state: Pick<RetryState, 'waitedMs'>, retry: Pick<NormalizedRetry, 'maxWaitMs'>, within?: AttemptDeadline, ms = Infinity): ReturnType<typeof waitBound> =>
  waitBound({ maxWaitMs: retry.maxWaitMs - state.waitedMs }, ms, false, within?.name, within);

/**
 * Counts a wait in the call's total (`state.waitedMs`, which {@link waitLeft} reads): what a coordinator waited given
 * `asked`, past `counted` (a 429's wait, counted already: what the coordinator waited before its retry is part of it),
 * or a backoff of `asked` ms the client takes itself (a 5xx or 408 retry's, in both drivers). @internal
 *
 * @example
 * ```ts
 * declare const state: RetryState;
 * declare const asked: BudgetWaitOptions;
 * countWait(state, asked); // after `await coordinator.wait(url, asked)`
 * countWait(state, 300); // before a backoff of 300 ms
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function countWait(state: Pick<RetryState, 'waitedMs'>, asked: BudgetWaitOptions | number, counted = 0): number {
  const waited = typeof asked === 'number' ? asked : coordinatedWaitMs(asked);
  // Never NaN (a wait that is no number counts as none): past it, no wait would be refused.
  state.waitedMs += Math.max(0, waited - counted) || 0;
  return waited;
}

/**
 * Why each 429 a driver did not wait out was not, by the answer ({@link rateLimitDecision}): {@link rateLimitReason}, and
 * the hint of its `RATE_LIMITED` (createOktaKy's fetch puts it on the Response it gives ky in the answer's place).
 */
export const reasons = new WeakMap<Response, string | undefined>();

/**
 * The one rule of a 429's retry, in every driver: the wait in ms, or `undefined` for any other status and for a 429
 * not retried, whose reason is kept by the answer (`reasons`: the `RATE_LIMITED` error's advice, naming the setting
 * to raise, as a slot's `TIMEOUT` does). A request made for an attempt (`within`: a token request in a credential's
 * `authorize`, `ExecuteOptions.within`) waits only within half of what remains of that attempt's bound too, which its
 * advice then names (`raise timeoutMs`).
 */
export function rateLimitDecision(response: Response, state: RetryState, retry: NormalizedRetry, within?: AttemptDeadline): number | undefined {
  if (response.status !== 429) return undefined;
  const wait = rateLimitWait(response.headers) ?? 1000 * 2 ** state.rateLimitRetries;
  // What remains of retry.maxWaitMs; made for an attempt (a token request in its authorize), at most half of what
  // remains of that attempt's bound too, as a coordinator's wait (waitLeft; without one, no bound: Infinity).
  const { maxWaitMs, boundBy } = waitLeft(state, retry, within);
  const why = retry.off
    ? 'not retried (retry: false)'
    : state.rateLimitRetries >= retry.limit
      ? // Okta's concurrent limit says a limit of 0: more retries only send more calls into it (page152).
        `not retried: retry.limit (${retry.limit}) spent; ${parseRateLimit(response.headers).limit === 0 ? "Okta's concurrent limit: cap calls with maxInFlight: createInFlightLimit(n)" : 'raise retry.limit'}`
      : wait > maxWaitMs
        ? `not waited for: ${pastBudget(wait, maxWaitMs, boundBy)}`
        : undefined;
  if (why === undefined) return wait;
  reasons.set(response, why);
}

/** Why a wait of `wait` ms was not taken: past the `left` ms left of `boundBy`, the setting to raise. */
const pastBudget = (wait: number, left: number, boundBy: string): string => `its wait of ${wait} ms for the reset is past the ${left} ms left of ${boundBy}; raise ${boundBy}`;

/** A window Okta's answers said is spent: the reservation's wait, ms to the reset, what the call had `left`, the bucket (scrubbed). @internal */
export interface SpentWait {
  readonly wait: number;
  readonly resetIn: number;
  readonly left: number;
  readonly bucket: string;
}

/**
 * The 429 standing in for Okta's when a coordinated wait met a window Okta's answers said is spent, its wait
 * past what the call has `left` of `boundBy`: the drivers fail the call with it, nothing sent, whatever `throwHttpErrors`
 * says (no answer came to hand back), through core's one `OktaApiError` (`RATE_LIMITED`), its hint kept by `reasons` as a
 * 429 not waited out ({@link rateLimitDecision}). Its `X-Rate-Limit-Remaining` is 0 and its `X-Rate-Limit-Reset` the
 * window's, in this machine's clock (the coordinator keeps no answer's `Date`): the error's `rateLimit`. No
 * `X-Okta-Request-Id`: no request was made, and the coordinators keep counts, not the id of the answer that spent the
 * window (another process's, in a shared store). Made by `coordinateRateLimits` only, so an app without a coordinator
 * does not bundle it. @internal
 *
 * @example
 * ```ts
 * const answer = spentAnswer({ wait: 48_000, resetIn: 41_500, left: 10_000, bucket: 'GET /api/v1/users' }, 'retry.maxWaitMs');
 * rateLimitReason(answer); // "nothing was sent: the org's budget for GET /api/v1/users is spent until its reset in 42 s; …"
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function spentAnswer(spent: SpentWait, boundBy: string): Response {
  const answer = new Response(null, {
    status: 429,
    statusText: 'Too Many Requests',
    headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': `${Math.ceil((Date.now() + spent.resetIn) / 1000)}` },
  });
  reasons.set(answer, `nothing was sent: the org's budget for ${spent.bucket} is spent until its reset in ${Math.ceil(spent.resetIn / 1000)} s; ${pastBudget(spent.wait, spent.left, boundBy)}`);
  return answer;
}

/**
 * Why a 429 the fetch driver handed back (`throwHttpErrors: false`) was not waited out, in core's own `RATE_LIMITED`'s words
 * ({@link rateLimitDecision}), for a method package's own (okta-oauth's); `undefined` for any other answer. Internal.
 *
 * @example
 * ```ts
 * const response = await executeOktaRequest(build, { origin, throwHttpErrors: false });
 * if (response.status === 429) console.log(`rate limited: ${rateLimitReason(response)}`);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const rateLimitReason = (response: Response): string | undefined => reasons.get(response);
