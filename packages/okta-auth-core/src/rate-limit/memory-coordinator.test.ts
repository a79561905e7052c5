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
import { maxBuckets } from './buckets.js';
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
    for (const options of [undefined, null, {}]) expect(await createMemoryRateLimitCoordinator(options as never).reserve(scope)).toBe(0);
  });

  it(`holds at most ${maxBuckets} buckets: a request to a new one past them goes on uncoordinated, with an event`, async () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'], now: 1_800_000_000_000 });
    const coordinator = createMemoryRateLimitCoordinator();
    // Each bucket a path of its own (outside /api/v1, a path is its bucket), each a cold one's probe.
    for (let n = 0; n < maxBuckets; n++) expect(await coordinator.reserve({ ...scope, bucket: `/oauth2/v1/clients/${n}` })).toBe(0);
    const events: OktaLogEvent[] = [];
    const options = { maxWaitMs: 1000, signal: undefined, logger: (event: OktaLogEvent) => void events.push(event) };
    expect(await coordinator.wait(new URL(`${scope.origin}/oauth2/v1/clients/${maxBuckets}`), options)).toBe(false);
    expect(events).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error' }]);
    // A second on, the probes' buckets expired: room again.
    vi.advanceTimersByTime(1000);
    expect(await coordinator.wait(new URL(`${scope.origin}/oauth2/v1/clients/${maxBuckets}`), options)).toBe(true);
  });
});
