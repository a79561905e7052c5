import { maxKeys } from './protocol.js';

/**
 * The rate-limit buckets of {@link OktaTokenStoreObject}: one budget per (org, endpoint bucket) for
 * every isolate bound to the object, the state `@org/okta-token-store-redis`'s scripts keep in a Redis
 * hash, kept here in the object's memory (a restarted object starts every bucket cold: one probe, then
 * Okta's next answer says the limit). The clock is the object's, one for every isolate; an answer's
 * reset arrives as a time from now. Every method is synchronous, so each is one step of the object.
 * At most {@link maxKeys} buckets: expired ones go first, then a new bucket is refused. @internal
 */

interface Bucket {
  limit?: number;
  reset?: number;
  used: number;
  waiters: number;
  unlimited?: boolean;
  /** Until when a cold bucket's probe is out. */
  probe?: number;
  /** Until when a concurrent-limit 429 pauses the bucket, and the slots given out meanwhile. */
  pause?: number;
  pslot: number;
  /** When the bucket is forgotten (as the Redis key's expiry). */
  expires: number;
}

/** What one answer said, as the coordinator sends it. @internal */
export interface BucketObservation {
  readonly status: number;
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  /** The window's reset, in ms from now. */
  readonly resetIn: number | undefined;
}

/** Thrown when a new bucket would pass {@link maxKeys}: answered 507. @internal */
export class BucketsFull extends Error {}

/** The buckets, by wire key (a SHA-256 of the org and bucket). @internal */
export class RateLimitBuckets {
  readonly #buckets = new Map<string, Bucket>();

  /** The live bucket of `k`, or `undefined` (an expired one is dropped). */
  #live(k: string, now: number): Bucket | undefined {
    const bucket = this.#buckets.get(k);
    if (bucket !== undefined && bucket.expires <= now) this.#buckets.delete(k);
    return bucket !== undefined && bucket.expires > now ? bucket : undefined;
  }

  #create(k: string, now: number, expires: number): Bucket {
    if (this.#buckets.size >= maxKeys) for (const key of [...this.#buckets.keys()]) this.#live(key, now);
    if (this.#buckets.size >= maxKeys) throw new BucketsFull();
    const bucket: Bucket = { used: 0, waiters: 0, pslot: 0, expires };
    this.#buckets.set(k, bucket);
    return bucket;
  }

  /** Takes one request from the budget (answers 0), or answers how long to wait, spread by arrival. */
  reserve(k: string, windowMs: number, spreadMs: number, headroom: number): number {
    const now = Date.now();
    const bucket = this.#live(k, now);
    const limit = bucket?.limit;
    // What the window may spend: the limit less its headroom, at least one request kept back.
    const budget = limit === undefined ? undefined : limit - Math.max(1, Math.floor(limit * headroom));
    if (bucket?.pause !== undefined && now < bucket.pause) {
      // Paused by a concurrent-limit 429: each waiter a step of the limit's pace after the one before.
      bucket.pslot += 1;
      const step = budget === undefined ? 0 : spreadMs / Math.max(budget, 1);
      return bucket.pause - now + Math.floor((bucket.pslot - 1) * step);
    }
    if (bucket?.unlimited === true) return 0;
    if (bucket === undefined || budget === undefined || bucket.reset === undefined) {
      // Cold: one probe a second until Okta's first answer says the limit.
      if (now < (bucket?.probe ?? 0)) return 50;
      (bucket ?? this.#create(k, now, now + 1000)).probe = now + 1000;
      return 0;
    }
    if (now >= bucket.reset) {
      bucket.reset += windowMs * Math.ceil((now - bucket.reset + 1) / windowMs);
      bucket.used = 0;
      bucket.waiters = 0;
    }
    if (bucket.used < budget) {
      bucket.used += 1;
      return 0;
    }
    bucket.waiters += 1;
    return bucket.reset - now + Math.floor(((bucket.waiters - 1) * spreadMs) / Math.max(budget, 1));
  }

  /** Records what one answer said: a new window, the limit, the isolates' use (`limit - remaining`). */
  observe(k: string, seen: BucketObservation, windowMs: number): void {
    const now = Date.now();
    const bucket = this.#live(k, now) ?? this.#create(k, now, now + windowMs);
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
      [bucket.reset, bucket.used, bucket.waiters] = [resetAt, 0, 0];
      current = resetAt;
    }
    if (limit !== undefined) bucket.limit = limit;
    if (limit !== undefined && remaining !== undefined && resetAt !== undefined && resetAt >= current - 1500) bucket.used = Math.max(bucket.used, limit - remaining);
    if (status === 429) bucket.used = Math.max(bucket.used, bucket.limit ?? 1);
    bucket.expires = now + windowMs * 3;
  }
}
