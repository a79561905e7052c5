/**
 * The rate-limit budget scenarios every fleet coordinator keeps (@org/okta-test-utils/rate-limit-scenarios,
 * the same table the Redis coordinator runs on a real redis-server), here against
 * createDurableObjectRateLimitCoordinator on the real OktaTokenStoreObject in this process, a fresh
 * object per scenario. The object's clock is `Date`, faked and moved by the steps: no drift.
 */
import { rateLimitScenarios, expectRateLimitScenario, type RateLimitDriver, type RateLimitScenario } from '@org/okta-test-utils/rate-limit-scenarios';
import { afterEach, it, vi } from 'vitest';
import { createDurableObjectRateLimitCoordinator } from './index.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

afterEach(() => {
  vi.useRealTimers();
});

const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

it.each(rateLimitScenarios.map((scenario) => [scenario.name, scenario] as const))('%s', async (_, scenario: RateLimitScenario) => {
  vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
  const { namespace } = objectNamespace();
  const coordinator = createDurableObjectRateLimitCoordinator({ namespace, ...scenario.options });
  const driver: RateLimitDriver = {
    reserve: (maxWaitMs, path) => coordinator.reserve(path === undefined ? scope : { ...scope, path }, maxWaitMs),
    observe: ({ resetIn, ...answer }, path) => coordinator.observe(path === undefined ? scope : { ...scope, path }, { ...answer, resetAt: resetIn === undefined ? undefined : Date.now() + resetIn }),
    advance: (ms) => void vi.setSystemTime(Date.now() + ms),
    driftMs: () => 0,
  };
  await expectRateLimitScenario(scenario, driver);
});
