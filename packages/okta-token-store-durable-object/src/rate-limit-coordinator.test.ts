/**
 * The rate-limit buckets (the state the Redis package keeps in its scripts, here in the object's
 * memory) on a fake Date, and createDurableObjectRateLimitCoordinator against the real
 * OktaTokenStoreObject in this process: two isolates' coordinators share one budget; a failing object
 * is skipped for pauseAfterFailureMs. test/fleet.server.test.ts runs it in workerd against the emulator.
 */
import { rateLimitOptionRefusals } from '@org/okta-test-utils/rate-limit-scenarios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDurableObjectRateLimitCoordinator } from './index.js';
import { maxKeys } from './protocol.js';
import { BucketsFull, RateLimitBuckets } from './rate-limit-buckets.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

const k = 'k'.repeat(43);
const at = (now: number) => vi.useFakeTimers({ toFake: ['Date'], now });

afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimitBuckets', () => {
  it('a cold bucket sends one probe; then the budget is the limit less headroom, and waiters wait for the reset, spread', () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets();
    expect([buckets.reserve(k, 60_000, 9000, 0), buckets.reserve(k, 60_000, 9000, 0)]).toEqual([0, 50]);
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

  it(`holds at most ${maxKeys} buckets: expired ones go first, then a new one is refused`, () => {
    at(1_000_000);
    const buckets = new RateLimitBuckets();
    const key = (n: number) => String(n).padStart(43, 'b');
    for (let n = 0; n < maxKeys; n++) buckets.reserve(key(n), 60_000, 0, 0);
    expect(() => buckets.reserve(key(maxKeys), 60_000, 0, 0)).toThrow(BucketsFull);
    at(1_002_000); // the probes' buckets expired (a second)
    expect(buckets.reserve(key(maxKeys), 60_000, 0, 0)).toBe(0);
  });
});

describe('createDurableObjectRateLimitCoordinator', () => {
  const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

  it("two isolates' coordinators on one object share the budget", async () => {
    const { namespace } = objectNamespace();
    const [a, b] = [0, 1].map(() => createDurableObjectRateLimitCoordinator({ namespace, headroom: 0, spreadMs: 0 }));
    expect(await a!.reserve(scope)).toBe(0);
    await a!.observe(scope, { status: 200, limit: 4, remaining: 3, resetAt: Date.now() + 20_000 });
    expect([await b!.reserve(scope), await a!.reserve(scope)]).toEqual([0, 0]);
    expect(await b!.reserve(scope)).toBeGreaterThan(19_000);
    // Another bucket, or another org, has its own budget.
    expect(await b!.reserve({ ...scope, origin: 'https://other.okta.com' })).toBe(0);
  });

  it('an object that fails: reserve rejects (core goes on uncoordinated), and the isolate skips the object for pauseAfterFailureMs', async () => {
    const { namespace, sent } = objectNamespace(() => Promise.resolve(new Response(null, { status: 500 })));
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace, pauseAfterFailureMs: 60_000 });
    await expect(coordinator.reserve(scope)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(coordinator.observe(scope, { status: 200 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('pauseAfterFailureMs') as unknown });
    expect(sent).toHaveLength(1);
  });

  it.each<readonly [options: Readonly<Record<string, unknown>>, message: string]>([
    // The options both fleet coordinators take: one table, which the Redis coordinator's test runs too.
    ...rateLimitOptionRefusals,
    [{ headroom: 1 }, 'The headroom option must be a share of each limit from 0 to below 1 (0.05 leaves 5% of it to other clients of the org).'],
    [{ timeoutMs: 60_001 }, 'The timeoutMs option must be a number of milliseconds from 1 to 60000 (1 ms to 1 min).'],
    [{ pauseAfterFailureMs: Number.NaN }, 'The pauseAfterFailureMs option must be'],
    [{ objectName: '' }, 'objectName must be a string of 1 to 1024 characters'],
    [{ namespace: undefined }, 'namespace must be a Durable Object namespace binding'],
  ])('bad options are INVALID_CONFIG naming the option: %j', (options, message) => {
    const { namespace } = objectNamespace();
    expect(() => createDurableObjectRateLimitCoordinator({ namespace, ...options })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(message) as unknown }) as Error);
  });
});
