import { abortableSleep, settleWithin } from '../request/abort.js';
import { checkDuration, maxDurationMs } from '../config/duration.js';
import { emit, failedCall, type OktaLogger } from '../config/logger.js';
import { outageLog } from '../config/outage-log.js';
import { maxCoordinatorTimeoutMs, seenAnswer } from '../config/rate-limit-options.js';
import { brandError, OktaAuthError } from '../errors/errors.js';
import type { RequestAttempt } from '../credential.js';
import { answerClock, parseRateLimit } from '../headers/rate-limit.js';
import { shownPath } from '../secrets/secret.js';
import { rateLimitBucket } from './bucket-key.js';
import { recordCoordinatedWait, recordSpent, type BudgetWaitOptions } from './coordinated-wait.js';
import { spentAnswer } from '../request/rate-limit-verdict.js';

/**
 * Which rate limit a request counts against: the org and its bucket, the request's method class and its path as a
 * template (`GET /api/v1/users`, `GET /api/v1/users/{id}`, `write /api/v1/users/{id}`, `write /oauth2/v1/token`), as
 * Okta's rate-limit table splits its buckets or finer, never two of Okta's in one; scrubbed of the request's secrets (a
 * `next` link is the server's choice and could carry your token), never an id or login.
 *
 * @example
 * ```ts
 * const scope: RateLimitScope = { origin: 'https://acme.okta.com', bucket: 'GET /api/v1/users' };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-global-mgmt/
 */
export interface RateLimitScope {
  /** The org's origin (`https://acme.okta.com`): limits are per org. */
  readonly origin: string;
  /** The bucket: the method class (`GET` for GET and HEAD, else `write`) and the path's template (`GET /api/v1/users/{id}/groups`, `write /oauth2/v1/token`). */
  readonly bucket: string;
  /** The request's path, scrubbed as the bucket (`/api/v1/users/me`): a spent window is its own. Core gives it; none: the bucket's. */
  readonly path?: string | undefined;
}

/**
 * What one answer said about its bucket, with `resetAt` already moved to the local clock
 * (Okta's `X-Rate-Limit-Reset` minus the answer's `Date`, plus local now).
 *
 * @example
 * ```ts
 * const seen: RateLimitObservation = { status: 200, limit: 600, remaining: 12, resetAt: Date.now() + 20_000 };
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export interface RateLimitObservation {
  /** The answer's HTTP status (429: the bucket is exhausted). */
  readonly status: number;
  /** `X-Rate-Limit-Limit`: requests allowed per window; absent when the answer had none. */
  readonly limit?: number | undefined;
  /** `X-Rate-Limit-Remaining`: requests left in this window; absent when the answer had none. */
  readonly remaining?: number | undefined;
  /** Local epoch ms when the window resets. */
  readonly resetAt?: number | undefined;
}

/**
 * A reservation {@link RateLimitCoordinator.reserve} did not take, because Okta's answers said the bucket's
 * window is spent (a `remaining` of 0, or a 429, observed for this window; never a guess) and the wait is past
 * what the call has left: the call fails `RATE_LIMITED` without being sent (Okta would answer 429).
 *
 * @example
 * ```ts
 * const spent: RateLimitSpent = { wait: 48_000, resetIn: 42_000 };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RateLimitSpent {
  /** The wait the reservation would have asked, in ms: the reset's, and the queue's before it. */
  readonly wait: number;
  /** Ms until the window's reset. */
  readonly resetIn: number;
}

/**
 * Shares one rate-limit budget per (org, endpoint bucket) between every client that uses the
 * same coordinator: the fleet slows down before Okta answers 429, and after a 429 the waiters
 * resume spread over the window instead of all at the reset second. Without one (the default),
 * each process reacts to its own 429s only. Three implement it: `createMemoryRateLimitCoordinator`
 * in memory for the clients of one process, `@org/okta-token-store-redis`'s
 * `createRedisRateLimitCoordinator` on Redis for a fleet of processes, and
 * `@org/okta-token-store-durable-object`'s `createDurableObjectRateLimitCoordinator` on a Durable
 * Object for a Cloudflare Worker's isolates; all keep the same rules (one table of budget scenarios,
 * `@org/okta-test-utils/rate-limit-scenarios`, runs against each).
 *
 * Both methods are user code and are bounded by the core (its `timeoutMs`, 250 ms by default); a coordinator that fails
 * or hangs is skipped for that request with a `rate-limit-coordinator` log event. The
 * `rateLimitCoordinator` option takes one wrapped by {@link coordinateRateLimits} (the Redis
 * memory, Redis and Durable Object ones come wrapped), so an app without a coordinator never bundles that machinery.
 *
 * @example
 * ```ts
 * import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
 * import { createRedisRateLimitCoordinator, type RedisClientLike } from '@org/okta-token-store-redis';
 *
 * declare const credential: OktaCredential;
 * declare const client: RedisClientLike; // your connected node-redis or ioredis client
 * const okta = createOktaFetch({ credential, rateLimitCoordinator: createRedisRateLimitCoordinator({ client }) }); // wrapped already
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RateLimitCoordinator {
  /**
   * Before an attempt: milliseconds to wait before sending it (0: send now). Called again after the wait.
   * `maxWaitMs` is what the call has left to wait: a wait past it is not taken, so it keeps no place in the queue;
   * when Okta's answer to this `path` said the window is spent, answer a {@link RateLimitSpent} (the call fails, nothing sent):
   * only that path's (core's buckets never fold two of Okta's, but a bucket you were given may). An answer that is no number of ms above 0
   * (`NaN`, a negative number, a string) is taken as 0: send now. Its failures are logged as
   * `rate-limit-coordinator` events with `operation: 'acquire'`.
   */
  reserve(scope: RateLimitScope, maxWaitMs?: number): Promise<number | RateLimitSpent> | number | RateLimitSpent;
  /**
   * After every answer (one without rate-limit headers says the bucket is not limited). Through
   * {@link coordinateRateLimits}, what it said is read once first, for every coordinator: `limit` and
   * `remaining` whole numbers of at most 15 digits (as the header reader reads them; any other is not
   * said), `remaining` at most `limit`, `resetAt` finite; an answer whose status is no HTTP status is not passed on.
   */
  observe(scope: RateLimitScope, observation: RateLimitObservation): Promise<void> | void;
  /**
   * Optional: how long core waits for each call into it before going on without it, in ms (1 to 10,000, rounded up to a
   * whole ms; else `INVALID_CONFIG`), read once by {@link coordinateRateLimits}. One that bounds its own calls (a store's
   * command timeout) declares a little more, so its own bound, not core's, decides: the Redis and Durable Object
   * coordinators declare theirs plus 50 ms. Read off the coordinator, as a token storage's `timeoutMs` is, not given to
   * `coordinateRateLimits`: the bound is what the coordinator knows of itself, it goes with the coordinator (one wrapped
   * already says its own: wrapped again, it keeps it), and `coordinateRateLimits(coordinator, logger)` keeps its shape.
   * @default 250
   */
  readonly timeoutMs?: number | undefined;
}

/**
 * At most this many reserve rounds per attempt, more only while its waits average at least {@link pollMs}: a cold
 * bucket's callers wait out its probe 250 ms at a time until Okta's answer (after 8 rounds of 50 ms they were sent).
 */
const maxRounds = 8;
/** Past {@link maxRounds}, the least average wait that keeps a coordinator asked: at most 10 asks a second. */
const pollMs = 100;

/**
 * A {@link RateLimitCoordinator} with the core's machinery around it: what the
 * `rateLimitCoordinator` option takes (made by {@link coordinateRateLimits}). The drivers call
 * `wait` before each attempt and `report` after each answer; neither ever throws, and each call
 * into the coordinator settles within its `timeoutMs` (which it says: 250 ms unless the coordinator declared another), or at once on the caller's abort.
 *
 * @example
 * ```ts
 * declare const coordinator: RateLimitCoordinator;
 * const rateLimitCoordinator: CoordinatedRateLimits = coordinateRateLimits(coordinator);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface CoordinatedRateLimits extends RateLimitCoordinator {
  /**
   * Before an attempt (its URL and method, the bucket's; a URL alone is a GET's): waits as long as the coordinator asks, within `maxWaitMs` in total and
   * the caller's signal; a wait that would go past the budget is not taken (before an attempt,
   * Okta decides). Resolves `false` when a call into the coordinator failed or hung, or a wait it
   * asked was not taken (past the budget, or not a number of ms above 0: `NaN`, negative, `'5'`):
   * before the retry of a 429 it took, the drivers then wait the 429 out themselves, as without a
   * coordinator, never resending it at once. `0` is the coordinator's "send now". A wait past the budget whose
   * window Okta said is spent (a {@link RateLimitSpent}) is recorded too: before an attempt, the drivers then fail
   * the call `RATE_LIMITED`, nothing sent (whatever `throwHttpErrors` says: no answer came to hand back).
   */
  wait(attempt: URL | Pick<RequestAttempt, 'url' | 'method'>, options: BudgetWaitOptions): Promise<boolean>;
  /**
   * After an answer to `attempt` (as `wait`'s): tells the coordinator what Okta said (`secrets` lists what the attempt carried,
   * scrubbed from the bucket; `call` is the attempt's call, for the `rate-limit-coordinator` event). Resolves `true` when the coordinator took it, `false` when its call
   * failed or hung: the drivers then wait a 429 out themselves, as without a coordinator.
   */
  report(attempt: URL | Pick<RequestAttempt, 'url' | 'method'>, response: Response, logger: OktaLogger | undefined, secrets?: () => readonly string[], call?: number): Promise<boolean>;
}

/**
 * A spent window's `wait` and `resetIn`, read once inside the bounded call (a throwing getter is a failed call,
 * logged): finite numbers, each at most a year ({@link maxDurationMs}); else `[NaN, NaN]`, a spent window none.
 */
const checkedSpent = (delay: number | RateLimitSpent): number | readonly [number, number] => {
  if (typeof delay !== 'object') return delay;
  const { wait, resetIn } = Object(delay) as RateLimitSpent; // `null` reads as no spent window.
  return Number.isFinite(wait) && Number.isFinite(resetIn) ? [Math.min(wait, maxDurationMs), Math.min(resetIn, maxDurationMs)] : [Number.NaN, Number.NaN];
};

/**
 * Wraps your {@link RateLimitCoordinator} for the `rateLimitCoordinator` option of every client:
 * its calls are bounded (its `timeoutMs`, 250 ms when it declares none; a coordinator that fails or hangs is skipped for that request
 * with a `rate-limit-coordinator` log event; the caller's abort ends a call's wait at once, no event), its waits stay within the retry budget and the
 * caller's signal, and every answer's `X-Rate-Limit-*` headers reach it with the reset moved to
 * the local clock. `createMemoryRateLimitCoordinator`, `createRedisRateLimitCoordinator` and
 * `createDurableObjectRateLimitCoordinator` return one already wrapped. Given a `logger`, the coordinator's own (Redis's
 * `logger` option), its failures go there, bounded per outage (`outageLog`: the first, then at most one event every 30 s),
 * and not to the asking client's logger, which otherwise gets one event per failed call.
 *
 * @example
 * ```ts
 * import { createOktaFetch, coordinateRateLimits, type OktaCredential } from '@org/okta-auth-core';
 *
 * declare const credential: OktaCredential;
 * const rateLimitCoordinator = coordinateRateLimits({
 *   reserve: (scope) => 0, // ms to wait before sending to scope.bucket ('GET /api/v1/users')
 *   observe: (scope, observation) => undefined, // what Okta said about scope.bucket
 *   timeoutMs: 600, // optional: how long each call may take before the request goes on without it (250 ms when not said)
 * });
 * const okta = createOktaFetch({ credential, rateLimitCoordinator });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export function coordinateRateLimits(coordinator: RateLimitCoordinator, logger?: OktaLogger): CoordinatedRateLimits {
  const given = coordinator as Partial<RateLimitCoordinator> | null | undefined;
  if (typeof given?.reserve !== 'function' || typeof given.observe !== 'function') {
    throw new OktaAuthError('INVALID_CONFIG', 'coordinateRateLimits needs your coordinator: an object with reserve(scope) and observe(scope, observation) methods.');
  }
  const timeoutMs = checkDuration(given.timeoutMs, 'timeoutMs', 250, [1, maxCoordinatorTimeoutMs]);
  const outage = logger && outageLog(logger);
  const bounded = async <T>(
    attempt: URL | Pick<RequestAttempt, 'url' | 'method'>,
    { secrets, logger: asking, call, signal }: Pick<BudgetWaitOptions, 'secrets' | 'logger' | 'call'> & Partial<Pick<BudgetWaitOptions, 'signal'>>,
    operation: 'acquire' | 'observe',
    run: (scope: RateLimitScope) => Promise<T> | T,
  ): Promise<T | undefined> => {
    const started = performance.now();
    const listed = secrets?.() ?? [];
    const url = 'url' in attempt ? attempt.url : attempt;
    const scope = { origin: url.origin, bucket: rateLimitBucket(attempt, listed), path: shownPath(url, listed) };
    // The caller's abort ends the wait at once (a rejection): no failure of the coordinator's, so no event; the drivers see the abort (ABORTED).
    const outcome = await settleWithin(() => run(scope), { timeoutMs, signal }).catch(() => undefined);
    if (outcome === undefined) return undefined;
    const event = outcome.ok ? undefined : ({ type: 'rate-limit-coordinator', operation, ...failedCall(outcome), call } as const);
    if (outage) outage(started, event);
    else if (event) emit(asking, event);
    return outcome.ok ? outcome.value : undefined;
  };
  const reserve = coordinator.reserve.bind(coordinator);
  // What an answer said, read once here (`seenAnswer`) for every coordinator, whether core reports it or you call `observe`:
  // the Redis and Durable Object buckets of one answer used to differ (a limit of -1 cold in one, spent in the other).
  const observe = (scope: RateLimitScope, observation: RateLimitObservation): Promise<void> | void => {
    const seen = seenAnswer(observation);
    return seen === undefined ? undefined : coordinator.observe(scope, seen);
  };
  const coordinated: CoordinatedRateLimits = {
    reserve,
    observe,
    timeoutMs,
    async wait(attempt, options) {
      const { maxWaitMs, signal } = options;
      let waited = 0;
      for (let round = 0; (round < maxRounds || waited >= round * pollMs) && signal?.aborted !== true; round++) {
        const left = maxWaitMs - waited;
        const delay = await bounded(attempt, options, 'acquire', async (scope) => checkedSpent(await reserve(scope, left)));
        if (delay === undefined) return false;
        if (typeof delay === 'object') {
          const [wait, resetIn] = delay; // Okta said the window is spent, its wait past what is left: the call fails, nothing sent.
          if (wait > left && resetIn > 0 && resetIn <= wait) recordSpent(options, spentAnswer({ wait, resetIn, left, bucket: rateLimitBucket(attempt, options.secrets?.()) }, options.boundBy ?? 'retry.maxWaitMs'));
          return false;
        }
        if (delay === 0) return true;
        // No wait it meant (NaN, negative, no number) or past the budget (`Infinity` too): not taken; a 429's retry is the driver's.
        if (typeof delay !== 'number' || !(delay > 0) || waited + delay > maxWaitMs) return false;
        options.log?.({ type: 'backoff', waitMs: delay, requestId: undefined, bucket: rateLimitBucket(attempt, options.secrets?.()) }); // Said before it is taken: a held call is in the log.
        await abortableSleep(delay, signal).catch(() => undefined); // An abort ends the wait; the loop sees it, Okta's answer decides.
        waited += delay;
        // Part of a 429's wait, if one is declined later: the driver waits only the rest (`ownRateLimitWait`).
        recordCoordinatedWait(options, waited);
      }
      return true;
    },
    async report(attempt, response, logger, secrets, call) {
      const { headers, status } = response;
      const { limit, remaining, reset } = parseRateLimit(headers);
      const now = Date.now();
      const resetAt = reset === undefined ? undefined : now + reset * 1000 - answerClock(headers, now);
      const told = await bounded(attempt, { secrets, logger, call }, 'observe', async (scope) => {
        await observe(scope, { status, limit, remaining, resetAt });
        return true;
      });
      return told === true;
    },
  };
  // The drivers take only a coordinator wrapped here (its calls bounded), never a look-alike.
  brandError(coordinated, coordinatedBrand);
  return coordinated;
}

/** The brand of a coordinator {@link coordinateRateLimits} wrapped, which `normalizeTransport` requires. @internal */
export const coordinatedBrand = '@org/okta-auth-core/coordinator';
