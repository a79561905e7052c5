import { readOptions } from '../config/options.js';
import { checkCount, maxKept } from '../config/count.js';
import { checkRateLimitOptions, maxCoordinatorTimeoutMs, resetInMs } from '../config/rate-limit-options.js';
import { sha256Base64url } from '../encoding/base64url.js';
import { maxBuckets, RateLimitBuckets, spentPathKey } from './buckets.js';
import { coordinateRateLimits, type CoordinatedRateLimits, type RateLimitScope } from './rate-limit-coordinator.js';

/**
 * Options of {@link createMemoryRateLimitCoordinator}: those of the fleet coordinators
 * (`createRedisRateLimitCoordinator`, `createDurableObjectRateLimitCoordinator`), checked the same way.
 * @example
 * ```ts
 * const options: MemoryRateLimitOptions = { headroom: 0.1, spreadMs: 10_000 };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface MemoryRateLimitOptions {
  /** Share of each limit this process leaves unused (for other clients of the org): a number from 0 to below 1. @default 0.05 */
  readonly headroom?: number | undefined;
  /** Okta's window, in ms (1 ms to a year). @default 60000 */
  readonly windowMs?: number | undefined;
  /** Waiters resume spread over this long after the reset (0: all at the reset; else 1 ms to a year). @default windowMs */
  readonly spreadMs?: number | undefined;
  /**
   * Most buckets kept (one per org and endpoint bucket used within three windows; about 350 bytes each), a whole number from 1
   * to 1,000,000: past it a request to a new bucket goes on uncoordinated (a `rate-limit-coordinator` event, `BUCKETS_FULL`).
   * For `createMultiOrgCredentials`, at least `maxOrgs` times the buckets an org uses (its token endpoint, each API bucket called). @default 50000
   */
  readonly maxBuckets?: number | undefined;
}

/**
 * A rate-limit coordinator in this process's memory, wrapped by {@link coordinateRateLimits} (ready for
 * the `rateLimitCoordinator` option): one budget per (org, endpoint bucket) for every client given it,
 * so concurrent calls (a `Promise.all` over users, several clients of one org) slow down before Okta
 * answers 429, without Redis. The rules are the fleet coordinators' (one implementation with the
 * Durable Object's, one table of scenarios with Redis's): each answer's `X-Rate-Limit-*` headers update
 * its bucket; each request takes one unit of the budget (the limit less `headroom`, one request always
 * kept back) or waits for the window's reset, waiters spread over `spreadMs`; a cold bucket sends one
 * probe a second until Okta's first answer says the limit; Okta's concurrent-limit 429 pauses the bucket.
 * At most `maxBuckets` buckets, 50,000 by default (expired ones pruned first; past that a request to a new bucket goes on
 * uncoordinated, with a `rate-limit-coordinator` event, `BUCKETS_FULL`). Buckets run on the monotonic clock. Each call is
 * bounded at core's longest, 10 s (its `timeoutMs`): it never hangs, and under a burst a busy event loop delivers the
 * SHA-256 of its keys after core's timers. Share one per process: for a fleet of processes, use `@org/okta-token-store-redis`'s.
 *
 * @example
 * ```ts
 * import { createMemoryRateLimitCoordinator, createOktaFetch, type OktaCredential } from '@org/okta-auth-core';
 *
 * declare const credential: OktaCredential;
 * declare const userIds: readonly string[];
 * const rateLimitCoordinator = createMemoryRateLimitCoordinator({ headroom: 0.1 });
 * const okta = createOktaFetch({ credential, rateLimitCoordinator });
 * await Promise.all(userIds.map((id) => okta(`/api/v1/users/${id}`)));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export function createMemoryRateLimitCoordinator(options?: MemoryRateLimitOptions): CoordinatedRateLimits {
  const given = readOptions(options, 'createMemoryRateLimitCoordinator(options)');
  const { headroom, windowMs, spreadMs } = checkRateLimitOptions(given);
  const buckets = new RateLimitBuckets(checkCount(given.maxBuckets, 'maxBuckets', maxBuckets, [1, maxKept], undefined, 'buckets kept in memory'), () => Math.floor(performance.now()));
  // A SHA-256 of the org and bucket: a bucket is a path, which a `next` link (the server's) chooses, so
  // each key is 43 characters however long the path.
  const key = (scope: RateLimitScope) => sha256Base64url(`${scope.origin} ${scope.bucket}`);
  return coordinateRateLimits({
    // Core's longest bound: nothing here hangs, but a burst's busy loop delivers the keys' Web Crypto digests after core's
    // timers, so at 250 ms (its default) rev165b's Promise.all over 500 to 4,000 users went on uncoordinated.
    timeoutMs: maxCoordinatorTimeoutMs,
    reserve: async (scope, maxWaitMs) => buckets.reserve(await key(scope), windowMs, spreadMs, headroom, maxWaitMs, await spentPathKey(scope)),
    async observe(scope, { status, limit, remaining, resetAt }) {
      const k = await key(scope);
      // The reset as a time from now (core's one clamp), which the buckets add to their own clock.
      buckets.observe(k, { status, limit, remaining, resetIn: resetInMs(resetAt, Date.now()) }, windowMs, await spentPathKey(scope));
    },
  });
}
