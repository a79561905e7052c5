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

  it(`holds at most its limit (${maxBuckets.toLocaleString('en-US')} by default) of buckets: expired ones go first, then a new one is refused, BUCKETS_FULL`, () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets(20);
    const key = (n: number) => String(n).padStart(43, 'b');
    for (let n = 0; n < 20; n++) buckets.reserve(key(n), 60_000, 0, 0);
    expect(() => buckets.reserve(key(20), 60_000, 0, 0)).toThrow(expect.objectContaining({ code: 'BUCKETS_FULL' }) as Error);
    expect(() => buckets.observe(key(20), { status: 200, limit: 10, remaining: 9, resetIn: 30_000 }, 60_000)).toThrow(BucketsFull);
    at(1_002_000); // the probes' buckets expired (a second)
    expect(buckets.reserve(key(20), 60_000, 0, 0)).toBe(0);
    // The default: that many (the memory coordinator's and the Durable Object's when not told).
    const all = new RateLimitBuckets();
    for (let n = 0; n < maxBuckets; n++) all.reserve(key(n), 60_000, 0, 0);
    expect(() => all.reserve(key(maxBuckets), 60_000, 0, 0)).toThrow(BucketsFull);
  });

  // rev165b: once full, every refused new bucket first read every key (`#live` on each), ~300× the cost of a call: two
  // such scans a call (reserve, observe) for every request to a new bucket, under exactly the load that filled it.
  it('once full, the buckets are scanned for expired ones at most once a second, not once per refused bucket', () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets(20);
    for (let n = 0; n < 20; n++) buckets.observe(`k${n}`.padEnd(43, 'k'), { status: 200, limit: 600, remaining: 599, resetIn: 60_000 }, 60_000);
    const reads = vi.spyOn(Map.prototype, 'get');
    for (let n = 0; n < 100; n++) expect(() => buckets.reserve(`new${n}`.padEnd(43, 'n'), 60_000, 0, 0)).toThrow(BucketsFull);
    // One read of its own key per refused reserve, and one scan of the 20 (before: 100 scans, 2,100 reads).
    expect(reads.mock.calls.length).toBeLessThanOrEqual(100 + 20);
    reads.mockClear();
    at(1_001_000); // a second on: one scan more
    for (let n = 0; n < 100; n++) expect(() => buckets.reserve(`new${n}`.padEnd(43, 'n'), 60_000, 0, 0)).toThrow(BucketsFull);
    expect(reads.mock.calls.length).toBeLessThanOrEqual(100 + 20);
    reads.mockRestore();
  });
});

it("hashes a spent path's key with the store's key prefix and the org, never the path alone (a guessed login would match its plain SHA-256)", async () => {
  const path = '/api/v1/users/jane.doe@acme.com';
  const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users', path };
  expect(await spentPathKey(scope)).not.toBe(await sha256Base64url(path));
  expect(await spentPathKey(scope, 'okta:')).toBe(await sha256Base64url(`okta:https://acme.okta.com ${path}`));
  expect(await spentPathKey({ ...scope, origin: 'https://other.okta.com' })).not.toBe(await spentPathKey(scope));
});
