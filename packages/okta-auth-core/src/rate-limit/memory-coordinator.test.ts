/**
 * createMemoryRateLimitCoordinator: the rate-limit budget scenarios every coordinator keeps
 * (@org/okta-test-utils/rate-limit-scenarios, the table the Redis coordinator runs on a real
 * redis-server and the Durable Object's on its object), a fresh coordinator per scenario, its
 * monotonic clock (`performance.now`) and `Date` faked and moved together by the steps: no drift.
 * Then its options, refused as the fleet coordinators' are, and its bound on buckets.
 * memory-coordinator.server.test.ts runs two clients on one against the emulator.
 */
import { expectRateLimitScenario, rateLimitOptionRefusals, rateLimitScenarios, type RateLimitDriver, type RateLimitScenario } from '@org/okta-test-utils/rate-limit-scenarios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';

afterEach(() => {
  vi.useRealTimers();
});

const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

describe('the rate-limit scenarios', () => {
  it.each(rateLimitScenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario: RateLimitScenario) => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_800_000_000_000 });
    const coordinator = createMemoryRateLimitCoordinator(scenario.options);
    const driver: RateLimitDriver = {
      reserve: (maxWaitMs, path) => coordinator.reserve(path === undefined ? scope : { ...scope, path }, maxWaitMs),
      observe: ({ resetIn, ...answer }, path) => coordinator.observe(path === undefined ? scope : { ...scope, path }, { ...answer, resetAt: resetIn === undefined ? undefined : Date.now() + resetIn }),
      advance: (ms) => void vi.advanceTimersByTime(ms),
      driftMs: () => 0,
    };
    await expectRateLimitScenario(scenario, driver);
  });
});

describe('createMemoryRateLimitCoordinator', () => {
  it('two clients of one coordinator share the budget; another org or bucket has its own', async () => {
    const coordinator = createMemoryRateLimitCoordinator({ headroom: 0, spreadMs: 0 });
    expect(await coordinator.reserve(scope)).toBe(0);
    await coordinator.observe(scope, { status: 200, limit: 4, remaining: 3, resetAt: Date.now() + 20_000 });
    expect([await coordinator.reserve(scope), await coordinator.reserve(scope)]).toEqual([0, 0]);
    expect(await coordinator.reserve(scope)).toBeGreaterThan(19_000);
    expect(await coordinator.reserve({ ...scope, origin: 'https://other.okta.com' })).toBe(0);
    expect(await coordinator.reserve({ ...scope, bucket: '/api/v1/groups' })).toBe(0);
  });

  it.each<readonly [options: unknown, message: string]>([
    // The options every fleet coordinator refuses: one table, which the Redis and Durable Object coordinators' tests run too.
    ...rateLimitOptionRefusals,
    ['0.1', 'createMemoryRateLimitCoordinator(options) takes an options object or nothing, not a string.'],
    [[{ headroom: 0.1 }], 'createMemoryRateLimitCoordinator(options) takes an options object or nothing, not an array.'],
  ])('bad options are INVALID_CONFIG naming the option: %j', (options, message) => {
    expect(() => createMemoryRateLimitCoordinator(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(message) as unknown }) as Error);
  });

  it('takes no options, or null, as the defaults', async () => {
    for (const options of [undefined, null, {}, { maxBuckets: null }]) expect(await createMemoryRateLimitCoordinator(options as never).reserve(scope)).toBe(0);
  });

  // rev165b: a multi-org app (maxOrgs 10,000 by default, each org a token endpoint and an API bucket at least) filled the
  // fixed 10,000 buckets at ~5,000 orgs; every call of a newer org then went on uncoordinated, its events saying no why.
  it('keeps maxBuckets buckets: 10 orgs of 2 buckets in 20 coordinated, no event; past them a new org\'s calls go on uncoordinated, the event BUCKETS_FULL', async () => {
    const coordinator = createMemoryRateLimitCoordinator({ maxBuckets: 20 });
    const events: OktaLogEvent[] = [];
    const options = { maxWaitMs: 1000, signal: undefined, logger: (event: OktaLogEvent) => void events.push(event) };
    const answer = () => new Response(null, { headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': String(Math.ceil(Date.now() / 1000) + 60) } });
    // Each org: its token request, then its users listed.
    const org = async (n: number) => {
      const calls = [{ method: 'POST', url: new URL(`https://o${n}.okta.com/oauth2/v1/token`) }, { method: 'GET', url: new URL(`https://o${n}.okta.com/api/v1/users`) }];
      const told: boolean[] = [];
      for (const attempt of calls) told.push(await coordinator.wait(attempt, options), await coordinator.report(attempt, answer(), options.logger));
      return told;
    };
    for (let n = 0; n < 10; n++) expect(await org(n)).toEqual([true, true, true, true]);
    expect(events).toEqual([]);
    expect(await org(10)).toEqual([false, false, false, false]);
    const full = { type: 'rate-limit-coordinator', outcome: 'error', code: 'BUCKETS_FULL' };
    expect(events).toEqual([{ ...full, operation: 'acquire' }, { ...full, operation: 'observe' }, { ...full, operation: 'acquire' }, { ...full, operation: 'observe' }]);
  });

  it('a full coordinator takes a new bucket again once an old one expired (a probe\'s, a second on)', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_800_000_000_000 });
    const coordinator = createMemoryRateLimitCoordinator({ maxBuckets: 2 });
    // Each bucket a path of its own (outside Okta's API families, a path is its bucket), each a cold one's probe.
    for (const n of [0, 1]) expect(await coordinator.reserve({ ...scope, bucket: `/x/${n}` })).toBe(0);
    const events: OktaLogEvent[] = [];
    const options = { maxWaitMs: 1000, signal: undefined, logger: (event: OktaLogEvent) => void events.push(event) };
    expect(await coordinator.wait(new URL(`${scope.origin}/x/2`), options)).toBe(false);
    expect(events).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'BUCKETS_FULL' }]);
    vi.advanceTimersByTime(1000);
    expect(await coordinator.wait(new URL(`${scope.origin}/x/2`), options)).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity, '20', 1_000_001])('maxBuckets %j is INVALID_CONFIG naming it', (maxBuckets) => {
    expect(() => createMemoryRateLimitCoordinator({ maxBuckets } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: 'The maxBuckets option must be a whole number from 1 to 1000000 (buckets kept in memory).' }) as Error,
    );
  });

  // rev165b: a burst (the README's Promise.all over 500 to 4,000 users) left the memory coordinator's calls past core's
  // 250 ms: each awaits Web Crypto's SHA-256 of its keys, whose answers a busy event loop delivers after its expired
  // timers. It never hangs (nothing but those digests), so it declares core's longest bound, 10 s.
  it("declares core's longest bound, 10 s: a call whose key's digest a busy loop delivers after 250 ms is still coordinated", async () => {
    const coordinator = createMemoryRateLimitCoordinator();
    expect(coordinator.timeoutMs).toBe(10_000);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const events: OktaLogEvent[] = [];
    const waited = coordinator.wait(new URL(`${scope.origin}/api/v1/users`), { maxWaitMs: 1000, signal: undefined, logger: (event) => void events.push(event) });
    // The loop busy for 300 ms before the digest's answer: core's timers run first.
    vi.advanceTimersByTime(300);
    expect(await waited).toBe(true);
    expect(events).toEqual([]);
  });
});
