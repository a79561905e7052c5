import { coordinateRateLimits, type CoordinatedRateLimits, type OktaLogger, type RateLimitObservation, type RateLimitScope } from '@org/okta-auth-core';
import { checkCount, checkRateLimitOptions, coordinatorTimeoutMs, maxBuckets as defaultMaxBuckets, maxKept, resetInMs, sha256Base64url, spentPathKey } from '@org/okta-auth-core/internal';
import { OktaDurableObjectStoreError } from './errors.js';
import { callObject } from './object-call.js';
import { checkObjectOptions, maxDurationMs, ms, type DurableObjectNamespaceLike } from './options.js';

/**
 * Options of {@link createDurableObjectRateLimitCoordinator}.
 * @example
 * ```ts
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * const options: DurableObjectRateLimitOptions = { namespace: env.OKTA_TOKENS, headroom: 0.1, logger: (event) => console.warn(event) };
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export interface DurableObjectRateLimitOptions {
  /** The namespace binding of {@link OktaTokenStoreObject} (`env.OKTA_TOKENS`). */
  readonly namespace: DurableObjectNamespaceLike;
  /** Which object of the namespace keeps the budgets (`idFromName`). @default 'okta-token-store' */
  readonly objectName?: string | undefined;
  /**
   * Bound on one call to the object, in ms (1 to 60,000). Core bounds each call into the coordinator at this plus 50 ms (the
   * key's hashing), at most 10 s: past 9,950 ms core's 10 s ends a call first. @default 200 (core's bound: 250 ms)
   */
  readonly timeoutMs?: number | undefined;
  /** After the object failed, how long the isolate goes on with its own 429 handling before asking it again, in ms (1 to 60,000). @default 1000 */
  readonly pauseAfterFailureMs?: number | undefined;
  /** Share of each limit the isolates leave unused (for other clients of the org): a number from 0 to below 1. @default 0.05 */
  readonly headroom?: number | undefined;
  /** Okta's window, in ms (1 ms to a year). @default 60000 */
  readonly windowMs?: number | undefined;
  /** Waiters resume spread over this long after the reset (0: all at the reset; else 1 ms to a year). @default windowMs */
  readonly spreadMs?: number | undefined;
  /**
   * Most buckets the object keeps (one per org and endpoint bucket used within three windows; about 350 bytes each of the object's
   * 128 MB), a whole number from 1 to 1,000,000, sent with each call: past it a request to a new bucket goes on uncoordinated
   * (`LIMIT_EXCEEDED`, 507). For `createMultiOrgCredentials`, at least `maxOrgs` times the buckets an org uses. @default 50000
   */
  readonly maxBuckets?: number | undefined;
  /**
   * Receives the coordinator's `rate-limit-coordinator` events, bounded per outage of the object (core's one bound, as
   * the Redis coordinator's): its first failure, then at most one event every 30 s (`suppressed`: the failures left out),
   * a `recovered` at the first call the object answers past them. Given, the asking clients' loggers get none of them;
   * without it, each client's logger gets one per failed call (two a call while the object fails).
   */
  readonly logger?: OktaLogger | undefined;
}

const keyPrefix = 'okta-token-store-durable-object/rate-limit/v1:';

/**
 * A rate-limit coordinator on {@link OktaTokenStoreObject}, wrapped by core's `coordinateRateLimits`
 * (ready for the `rateLimitCoordinator` option): one budget per (org, endpoint bucket) for every
 * isolate of your Worker bound to the object, as `@org/okta-token-store-redis`'s is for a fleet of
 * processes. Each answer's `X-Rate-Limit-*` headers update the object's bucket; each request takes
 * one unit of the budget (the limit less `headroom`) or waits for the window's reset, waiters spread
 * over `spreadMs`. A cold bucket sends one probe at a time until Okta's first answer says the limit.
 * When the object fails or is slow, that request goes on uncoordinated (core's `rate-limit-coordinator`
 * event, to `logger` bounded per outage), and the isolate skips the object for `pauseAfterFailureMs`: each
 * isolate then reacts to its own 429s, as without a coordinator.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createServiceAppCredential, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 * import { createDurableObjectRateLimitCoordinator, type DurableObjectNamespaceLike } from '@org/okta-token-store-durable-object';
 *
 * declare const env: { OKTA_TOKENS: DurableObjectNamespaceLike };
 * declare const options: ServiceAppCredentialOptions;
 * const rateLimitCoordinator = createDurableObjectRateLimitCoordinator({ namespace: env.OKTA_TOKENS });
 * const okta = createOktaFetch({ credential: createServiceAppCredential(options), rateLimitCoordinator });
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export function createDurableObjectRateLimitCoordinator(options: DurableObjectRateLimitOptions): CoordinatedRateLimits {
  const usage = 'createDurableObjectRateLimitCoordinator needs { namespace }: the Durable Object namespace binding of OktaTokenStoreObject (env.OKTA_TOKENS).';
  const { namespace, objectName, given } = checkObjectOptions(options, usage);
  const timeoutMs = ms(given.timeoutMs, 200, 60_000, 'timeoutMs');
  const pauseMs = ms(given.pauseAfterFailureMs, 1000, 60_000, 'pauseAfterFailureMs');
  // Core's one check of the options both fleet coordinators take (the Redis one's too).
  const refuse = (message: string) => new OktaDurableObjectStoreError('INVALID_CONFIG', message);
  const { headroom, windowMs, spreadMs } = checkRateLimitOptions(given, refuse);
  // The object's bound on its buckets, sent with each call (`b`): until bucket165 a fixed 10,000.
  const b = checkCount(given.maxBuckets, 'maxBuckets', defaultMaxBuckets, [1, maxKept], refuse, 'buckets kept in memory');
  let id: unknown;
  // On the monotonic clock: until when the object is skipped after it failed.
  let skipUntil = 0;
  const call = async (scope: RateLimitScope, operation: 'reserve' | 'observe', body: Record<string, unknown>) => {
    if (performance.now() < skipUntil) throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', `The token store object failed within the last ${pauseMs} ms (pauseAfterFailureMs): this request goes on uncoordinated.`);
    try {
      id ??= namespace.idFromName(objectName);
      // `p`: the path's key, which a spent window is kept for (the bucket folds endpoints Okta limits apart).
      return await callObject(namespace, id, timeoutMs, operation, { k: await sha256Base64url(`${keyPrefix}${scope.origin} ${scope.bucket}`), p: await spentPathKey(scope, keyPrefix), w: windowMs, b, ...body });
    } catch (error) {
      skipUntil = performance.now() + pauseMs;
      throw error;
    }
  };
  return coordinateRateLimits({
    // Core's bound on each call: the object call's plus 50 ms, so its own bound decides (until coord165 core cut at 250 ms).
    timeoutMs: coordinatorTimeoutMs(timeoutMs),
    async reserve(scope, maxWaitMs) {
      // What the call has left to wait, whole ms (a wait past it keeps no place in the queue).
      const m = maxWaitMs !== undefined && maxWaitMs >= 0 ? Math.floor(Math.min(maxWaitMs, maxDurationMs)) : undefined;
      const { wait, spent } = await call(scope, 'reserve', { s: spreadMs, h: headroom, m });
      const ms = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
      if (!ms(wait) || (spent !== undefined && !ms(spent))) throw new OktaDurableObjectStoreError('STORE_UNAVAILABLE', "The token store object's answer to reserve is not a wait in milliseconds.");
      const capped = Math.min(wait as number, maxDurationMs);
      // A window Okta said is spent: its reset too (the call fails, nothing sent).
      return spent === undefined ? capped : { wait: capped, resetIn: Math.min(spent as number, capped) };
    },
    async observe(scope, observation: RateLimitObservation) {
      // The reset as a time from now, which the object adds to its clock (no isolate's clock is stored); at most
      // a year either way: core's one clamp of it (`resetInMs`), the Redis coordinator's too.
      const resetIn = resetInMs(observation.resetAt, Date.now());
      // Whole numbers of at most 15 digits or none, and a status from 100 to 599: core read what the answer said
      // once (`seenAnswer`), for the Redis coordinator too (this one clamped -1 to 0, which a 429 made a
      // concurrent-limit pause, and sent a status the object refuses, pausing every bucket).
      const { status: st, limit: l, remaining: r } = observation;
      await call(scope, 'observe', { st, l, r, i: resetIn });
    },
  }, options.logger);
}
