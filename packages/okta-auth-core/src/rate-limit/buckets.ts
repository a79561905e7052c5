/**
 * The rate-limit buckets of the coordinators that keep them in memory: one budget per (org, endpoint
 * bucket), the rules `@org/okta-token-store-redis`'s scripts keep in a Redis hash. The one TypeScript
 * port of those rules, for `createMemoryRateLimitCoordinator` (one process) and the Durable Object's
 * `OktaTokenStoreObject` (a Worker's isolates); one table of scenarios
 * (`@org/okta-test-utils/rate-limit-scenarios`) runs against all three. A bucket lives in memory
 * only (a restarted process or object starts it cold: one probe, then Okta's next answer says the
 * limit); an answer's reset arrives as a time from now, added to the buckets' own clock. Every method
 * is synchronous, so each is one step. At most `limit` buckets: expired ones go first (a scan a second at most), then a
 * new bucket is refused ({@link BucketsFull}). @internal
 */

import { sha256Base64url } from '../encoding/base64url.js';
import { ExpiringMap } from './expiring-map.js';
import type { RateLimitScope, RateLimitSpent } from './rate-limit-coordinator.js';

interface Bucket {
  limit?: number;
  reset?: number;
  used: number;
  waiters: number;
  /**
   * The path key ({@link spentPathKey}) of the answer of this window that said it is spent (remaining 0, or a 429): Okta would
   * refuse a request to that path until the reset. Only that path's (core's bucket keys never fold two of Okta's buckets
   * since bucket164; before, `/api/v1/users/*` was one, and a key of yours may still fold some).
   */
  spent?: string | undefined;
  unlimited?: boolean;
  /** Until when a cold bucket's probe is out (a second): its other callers wait until then or its answer. */
  probe?: number;
  /** Until when a concurrent-limit 429 pauses the bucket, and the slots given out meanwhile. */
  pause?: number;
  pslot: number;
  /** When the bucket is forgotten (as the Redis key's expiry). */
  expires: number;
}

/**
 * What one answer said, as a bucket takes it: the reset as a time from now. @internal
 * @example
 * ```ts
 * const seen: BucketObservation = { status: 200, limit: 600, remaining: 12, resetIn: 20_000 };
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export interface BucketObservation {
  readonly status: number;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** The window's reset, in ms from now. */
  readonly resetIn: number | undefined;
}

/**
 * A scope's path as a bucket keeps it next to its spent flag: a SHA-256 (43 characters however long the path) of the store's
 * key prefix, the org and the scope's `path` (else its `bucket`), as the bucket keys are made: never the path's own SHA-256,
 * which anyone reading the store could match against guessed logins. One knowing the org and prefix still can (see SECURITY.md).
 * The Redis scripts keep the same. @internal
 * @example
 * ```ts
 * const p = await spentPathKey({ origin: 'https://acme.okta.com', bucket: 'GET /api/v1/users/{id}', path: '/api/v1/users/00u1' }, 'okta:');
 * ```
 * @see https://developer.okta.com/docs/reference/rl-buckets/
 */
export const spentPathKey = (scope: RateLimitScope, keyPrefix = ''): Promise<string> => sha256Base64url(`${keyPrefix}${scope.origin} ${scope.path ?? scope.bucket}`);

/**
 * Most buckets one {@link RateLimitBuckets} holds by default (the memory coordinator's and the Durable Object's `maxBuckets`):
 * `createMultiOrgCredentials`' 10,000 orgs (its `maxOrgs`) at five buckets each (a token endpoint and four of the API's),
 * about 17 MB at the ~350 bytes a bucket takes. Until bucket165 10,000, which a multi-org app filled at 5,000 orgs. @internal
 */
export const maxBuckets = 50_000;

/**
 * Thrown when a new bucket would pass the buckets' bound (the Durable Object answers 507; core's
 * `coordinateRateLimits` sends that request on uncoordinated, with a `rate-limit-coordinator` event whose `code`,
 * `BUCKETS_FULL`, says why: until bucket165 it had none). @internal
 * @example
 * ```ts
 * declare const error: unknown;
 * if (error instanceof BucketsFull) console.log(error.code); // 'BUCKETS_FULL'
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export class BucketsFull extends Error {
  /** Read by core's `failedCall` into the `rate-limit-coordinator` event. */
  readonly code = 'BUCKETS_FULL';

  constructor() {
    super('The rate-limit buckets are full (maxBuckets): a request to a new bucket goes on uncoordinated.');
  }
}

/**
 * The buckets, by key (a SHA-256 of the org and bucket), at most `limit` of them, on `clock` (epoch-like
 * ms; the Durable Object's `Date.now`, one process's monotonic clock). @internal
 * @example
 * ```ts
 * const buckets = new RateLimitBuckets();
 * buckets.observe('k', { status: 200, limit: 600, remaining: 599, resetIn: 60_000 }, 60_000);
 * buckets.reserve('k', 60_000, 60_000, 0.05); // 0: send now
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export class RateLimitBuckets {
  /** The buckets, expired ones dropped when read and, once full, in one scan a second at most (core's one `ExpiringMap`). */
  readonly #buckets = new ExpiringMap<Bucket>();
  readonly #clock: () => number;
  /** Most buckets held: a new one past it is refused. The Durable Object sets each request's (its isolate's `maxBuckets`). */
  limit: number;

  constructor(limit: number = maxBuckets, clock: () => number = () => Date.now()) {
    [this.limit, this.#clock] = [limit, clock];
  }

  #create(k: string, now: number, expires: number): Bucket {
    const bucket: Bucket = { used: 0, waiters: 0, pslot: 0, expires };
    if (!this.#buckets.add(k, bucket, now, this.limit)) throw new BucketsFull();
    return bucket;
  }

  /**
   * Takes one request from the budget (answers 0), or answers how long to wait, spread by arrival. A wait past
   * `maxWaitMs` (what the call has left) keeps no place in the queue, and is a {@link RateLimitSpent} when Okta said the window is spent
   * for this path (`p`, its {@link spentPathKey}) and its reset is within a window, 2 s over at most (one further off, a hostile
   * org's year, is sent: Okta decides).
   */
  reserve(k: string, windowMs: number, spreadMs: number, headroom: number, maxWaitMs = Infinity, p = k): number | RateLimitSpent {
    const now = this.#clock();
    const bucket = this.#buckets.live(k, now);
    const limit = bucket?.limit;
    // What the window may spend: the limit less its headroom, at least one request kept back.
    const budget = limit === undefined ? undefined : limit - Math.max(1, Math.floor(limit * headroom));
    if (bucket?.pause !== undefined && now < bucket.pause) {
      // Paused by a concurrent-limit 429: each waiter a step of the limit's pace after the one before.
      const step = budget === undefined ? 0 : spreadMs / Math.max(budget, 1);
      const wait = bucket.pause - now + Math.floor(bucket.pslot * step);
      if (wait <= maxWaitMs) bucket.pslot += 1;
      return wait;
    }
    if (bucket?.unlimited === true) return 0;
    if (bucket === undefined || budget === undefined || bucket.reset === undefined) {
      // Cold: one probe a second until Okta's first answer says the limit. The other callers wait for its answer or
      // its second's end, at most 250 ms at a time (core asks on while waits are that long): a fixed 50 ms let them go after core's 8 rounds.
      const probe = bucket?.probe ?? 0;
      if (now < probe) return Math.min(probe - now, 250);
      (bucket ?? this.#create(k, now, now + 1000)).probe = now + 1000;
      return 0;
    }
    if (now >= bucket.reset) {
      bucket.reset += windowMs * Math.ceil((now - bucket.reset + 1) / windowMs);
      [bucket.used, bucket.waiters, bucket.spent] = [0, 0, undefined];
    }
    if (bucket.used < budget) {
      bucket.used += 1;
      return 0;
    }
    const resetIn = bucket.reset - now;
    const wait = resetIn + Math.floor((bucket.waiters * spreadMs) / Math.max(budget, 1));
    // A wait the call will not take keeps no place: a declined caller counted as a waiter made every later wait longer.
    if (wait <= maxWaitMs) bucket.waiters += 1;
    // Spent only within a window (2 s over for the whole seconds of Okta's reset and Date): a reset further off (a hostile org's year) is Okta's to decide.
    return wait > maxWaitMs && bucket.spent === p && resetIn <= windowMs + 2000 ? { wait, resetIn } : wait;
  }

  /** Records what one answer (to the path `p`, its {@link spentPathKey}) said: a new window, the limit, the clients' use (`limit - remaining`). */
  observe(k: string, seen: BucketObservation, windowMs: number, p = k): void {
    const now = this.#clock();
    const bucket = this.#buckets.live(k, now) ?? this.#create(k, now, now + windowMs);
    const { status, limit, remaining } = seen;
    const resetAt = seen.resetIn === undefined ? undefined : now + seen.resetIn;
    if (status === 429 && limit === 0) {
      // Okta's concurrent-limit 429: too many requests in flight in the org, which clears as they end.
      // Not the window: its limit, reset and count stay; the bucket pauses until the suggested reset,
      // at least a second, at most a window.
      const pause = Math.max(Math.min(resetAt ?? 0, now + windowMs), now + 1000);
      const known = bucket.pause ?? 0;
      if (known <= now) [bucket.pause, bucket.pslot] = [pause, 0];
      else if (pause > known) bucket.pause = pause;
      bucket.expires = Math.max(bucket.expires, now + windowMs);
      return;
    }
    if (limit === undefined && status !== 429) {
      bucket.unlimited = true;
      bucket.expires = now + windowMs;
      return;
    }
    bucket.unlimited = false;
    let current = bucket.reset ?? 0;
    if (resetAt !== undefined && (resetAt > current + 1500 || (limit !== undefined && limit !== bucket.limit))) {
      // A new window, or a changed limit: start over from what Okta says.
      [bucket.reset, bucket.used, bucket.waiters, bucket.spent] = [resetAt, 0, 0, undefined];
      current = resetAt;
    }
    if (limit !== undefined) bucket.limit = limit;
    const thisWindow = resetAt !== undefined && resetAt >= current - 1500;
    if (limit !== undefined && remaining !== undefined && thisWindow) bucket.used = Math.max(bucket.used, limit - remaining);
    if (status === 429) bucket.used = Math.max(bucket.used, bucket.limit ?? 1);
    // Said by Okta for this window (never guessed): a 429, or none left.
    if (bucket.reset !== undefined && thisWindow && (status === 429 || remaining === 0)) bucket.spent = p;
    bucket.expires = now + windowMs * 3;
  }
}
