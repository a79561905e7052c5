/**
 * Values that expire (each its own `expires`, on the caller's clock), at most a given number of them: the one way an
 * in-memory store here stays bounded. An expired value is dropped when its key is read; once full, the expired ones are
 * dropped in one scan a second at most, then a new key is refused. Until bucket165 (core's buckets) and bucket166 (the
 * Durable Object's leases), each refused key scanned every value first: O(n) per refused call, under exactly the load
 * that filled it. Core's `RateLimitBuckets` (`buckets.ts`) keep their buckets here, and `@org/okta-token-store-durable-object`'s
 * object its single flights' leases. @internal
 * @example
 * ```ts
 * const leases = new ExpiringMap<{ owner: string; expires: number }>();
 * if (!leases.add('k', { owner: 'o', expires: Date.now() + 2000 }, Date.now(), 10_000)) throw new Error('full');
 * leases.live('k', Date.now()); // { owner: 'o', expires: … }
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export class ExpiringMap<V extends { expires: number }> {
  readonly #values = new Map<string, V>();
  /** When the values were last scanned for expired ones (the callers' clock). */
  #pruned = -Infinity;

  /** The live value of `k` at `now`, or `undefined` (an expired one is dropped). */
  live(k: string, now: number): V | undefined {
    const value = this.#values.get(k);
    if (value !== undefined && value.expires <= now) this.#values.delete(k);
    return value !== undefined && value.expires > now ? value : undefined;
  }

  /**
   * Keeps `value` under `k` (a key without a live value) unless `limit` values are held: then the expired ones go first, in
   * one scan a second at most (rev165b: one before every refusal). Answers whether it was kept.
   */
  add(k: string, value: V, now: number, limit: number): boolean {
    if (this.#values.size >= limit && now - this.#pruned >= 1000) {
      this.#pruned = now;
      for (const key of this.#values.keys()) this.live(key, now);
    }
    if (this.#values.size >= limit) return false;
    this.#values.set(k, value);
    return true;
  }

  /** Forgets `k`. */
  delete(k: string): void {
    this.#values.delete(k);
  }
}
