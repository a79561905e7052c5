import { abortableSleep, settleWithin } from './abort.js';
import { emit, type OktaLogger } from './logger.js';
import { answerClock, parseRateLimit } from './rate-limit.js';

/**
 * Which rate limit a request counts against: the org and Okta's endpoint bucket
 * (`/api/v1/users`, `/oauth2/v1/token`, …), approximated from the path.
 *
 * @example
 * ```ts
 * const scope: RateLimitScope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-buckets/
 */
export interface RateLimitScope {
  /** The org's origin (`https://acme.okta.com`): limits are per org. */
  readonly origin: string;
  /** Okta's endpoint bucket, approximated from the path (`/api/v1/users`, `/oauth2/v1/token`). */
  readonly bucket: string;
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
 * Shares one rate-limit budget per (org, endpoint bucket) between every client that uses the
 * same coordinator: the fleet slows down before Okta answers 429, and after a 429 the waiters
 * resume spread over the window instead of all at the reset second. Without one (the default),
 * each process reacts to its own 429s only. `@org/okta-token-store-redis` implements it on
 * Redis for a fleet of processes.
 *
 * Both methods are user code and are bounded by the core (250 ms); a coordinator that fails
 * or hangs is skipped for that request with a `rate-limit-coordinator` log event.
 *
 * @example
 * ```ts
 * import { createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
 * import { createRedisRateLimitCoordinator, type RedisClientLike } from '@org/okta-token-store-redis';
 *
 * declare const credential: OktaCredential;
 * declare const client: RedisClientLike; // your connected node-redis or ioredis client
 * const okta = createOktaFetch({ credential, rateLimitCoordinator: createRedisRateLimitCoordinator({ client }) });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface RateLimitCoordinator {
  /** Before an attempt: milliseconds to wait before sending it (0: send now). Called again after the wait. */
  reserve(scope: RateLimitScope): Promise<number> | number;
  /** After every answer (one without rate-limit headers says the bucket is not limited). */
  observe(scope: RateLimitScope, observation: RateLimitObservation): Promise<void> | void;
}

/** How long the core waits for a coordinator call before going on without it. */
const coordinatorTimeoutMs = 250;
/** At most this many reserve rounds per attempt. */
const maxRounds = 8;

/** The bucket of a path, as Okta groups its limits (`/api/v1/users/00u1/groups` → `/api/v1/users`). @internal */
export function rateLimitBucket(url: URL): string {
  const api = /^\/api\/v1\/[^/]+/.exec(url.pathname);
  return api?.[0] ?? url.pathname;
}

async function bounded<T>(run: () => Promise<T> | T, logger: OktaLogger | undefined, operation: 'acquire' | 'observe'): Promise<T | undefined> {
  const outcome = await settleWithin(run, { timeoutMs: coordinatorTimeoutMs });
  if (outcome.ok) return outcome.value;
  emit(logger, { type: 'rate-limit-coordinator', operation, outcome: outcome.reason });
  return undefined;
}

/**
 * Before an attempt: waits as long as the coordinator asks, within `maxWaitMs` in total and
 * the caller's signal; a wait that would go past the budget is not taken (Okta decides).
 * Never throws. @internal
 */
export async function waitForBudget(
  coordinator: RateLimitCoordinator | undefined,
  url: URL,
  options: { readonly maxWaitMs: number; readonly signal: AbortSignal | undefined; readonly logger: OktaLogger | undefined },
): Promise<void> {
  if (coordinator === undefined) return;
  const scope = { origin: url.origin, bucket: rateLimitBucket(url) };
  let waited = 0;
  for (let round = 0; round < maxRounds && options.signal?.aborted !== true; round++) {
    const delay = await bounded(() => coordinator.reserve(scope), options.logger, 'acquire');
    if (delay === undefined || !Number.isFinite(delay) || delay <= 0 || waited + delay > options.maxWaitMs) return;
    // An abort ends the wait; the loop sees it and Okta's answer to the request decides.
    await abortableSleep(delay, options.signal).catch(() => undefined);
    waited += delay;
  }
}

/**
 * After an answer: tells the coordinator what Okta said. Awaited only before a 429's retry;
 * never throws, settles within 250 ms. @internal
 */
export async function reportBudget(coordinator: RateLimitCoordinator | undefined, url: URL, response: Response, logger: OktaLogger | undefined): Promise<void> {
  if (coordinator === undefined) return;
  const info = parseRateLimit(response.headers);
  const now = Date.now();
  const resetAt = info.reset === undefined ? undefined : now + info.reset * 1000 - answerClock(response.headers, now);
  const observation: RateLimitObservation = { status: response.status, limit: info.limit, remaining: info.remaining, resetAt };
  await bounded(() => coordinator.observe({ origin: url.origin, bucket: rateLimitBucket(url) }, observation), logger, 'observe');
}
