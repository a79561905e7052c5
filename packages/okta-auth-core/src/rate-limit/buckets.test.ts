/**
 * The rate-limit buckets (the state the Redis package keeps in its scripts, here in memory: the Durable
 * Object's and createMemoryRateLimitCoordinator's) on a fake Date, their default clock. The scenario
 * table runs against both coordinators (memory-coordinator.test.ts, the Durable Object's rate-limit-scenarios.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Base64url } from '../encoding/base64url.js';
import { BucketsFull, maxBuckets, RateLimitBuckets, spentPathKey } from './buckets.js';

const k = 'k'.repeat(43);
const at = (now: number) => vi.useFakeTimers({ toFake: ['Date'], now });

afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimitBuckets', () => {
  it('a cold bucket sends one probe; then the budget is the limit less headroom, and waiters wait for the reset, spread', () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets();
    expect([buckets.reserve(k, 60_000, 9000, 0), buckets.reserve(k, 60_000, 9000, 0)]).toEqual([0, 250]);
    buckets.observe(k, { status: 200, limit: 10, remaining: 9, resetIn: 30_000 }, 60_000);
    // Budget 9 (10 less one kept back), 1 used: 8 more now, then the reset, each next a step of 9000 / 9 later.
    expect(Array.from({ length: 10 }, () => buckets.reserve(k, 60_000, 9000, 0))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 30_000, 31_000]);
    // A 429 says the window is spent; at its reset a new one opens (with headroom 0.2: a budget of 8).
    buckets.observe(k, { status: 429, limit: 10, remaining: 0, resetIn: 30_000 }, 60_000);
    at(1_030_000);
    expect(buckets.reserve(k, 60_000, 9000, 0.2)).toBe(0);
  });

  it("Okta's concurrent-limit 429 pauses the bucket at least a second, its window kept; no limit header: unlimited", () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets();
    buckets.observe(k, { status: 200, limit: 10, remaining: 5, resetIn: 30_000 }, 60_000);
    buckets.observe(k, { status: 429, limit: 0, remaining: 0, resetIn: 0 }, 60_000);
    expect([buckets.reserve(k, 60_000, 9000, 0), buckets.reserve(k, 60_000, 9000, 0)]).toEqual([1000, 2000]);
    at(1_001_000);
    expect(Array.from({ length: 5 }, () => buckets.reserve(k, 60_000, 9000, 0))).toEqual([0, 0, 0, 0, 29_000]);
    buckets.observe(k, { status: 200, limit: undefined, remaining: undefined, resetIn: undefined }, 60_000);
    expect(buckets.reserve(k, 60_000, 9000, 0)).toBe(0);
  });

  it(`holds at most ${maxBuckets} buckets: expired ones go first, then a new one is refused`, () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets();
    const key = (n: number) => String(n).padStart(43, 'b');
    for (let n = 0; n < maxBuckets; n++) buckets.reserve(key(n), 60_000, 0, 0);
    expect(() => buckets.reserve(key(maxBuckets), 60_000, 0, 0)).toThrow(BucketsFull);
    at(1_002_000); // the probes' buckets expired (a second)
    expect(buckets.reserve(key(maxBuckets), 60_000, 0, 0)).toBe(0);
  });
});

it("hashes a spent path's key with the store's key prefix and the org, never the path alone (a guessed login would match its plain SHA-256)", async () => {
  const path = '/api/v1/users/jane.doe@acme.com';
  const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users', path };
  expect(await spentPathKey(scope)).not.toBe(await sha256Base64url(path));
  expect(await spentPathKey(scope, 'okta:')).toBe(await sha256Base64url(`okta:https://acme.okta.com ${path}`));
  expect(await spentPathKey({ ...scope, origin: 'https://other.okta.com' })).not.toBe(await spentPathKey(scope));
});
