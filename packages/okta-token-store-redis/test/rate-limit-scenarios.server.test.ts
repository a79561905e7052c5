/**
 * The rate-limit budget scenarios every fleet coordinator keeps (@org/okta-test-utils/rate-limit-scenarios,
 * the same table the Durable Object coordinator runs), here against createRedisRateLimitCoordinator on one
 * real redis-server. The scripts' clock is Redis's `TIME`, which no test can set: a step that moves it on
 * moves the bucket instead (its reset, probe and pause earlier, its expiry sooner, by the step), and the
 * real ms since the step before are moved back so (`still`); the few real ms within a step are the drift
 * a counted-down wait may show.
 */
import { rateLimitScenarios, expectRateLimitScenario, type RateLimitDriver, type RateLimitScenario } from '@org/okta-test-utils/rate-limit-scenarios';
import { createClient } from 'redis';
import { afterAll, beforeAll, it } from 'vitest';
import { createRedisRateLimitCoordinator } from '../src/index.js';
import { startRedisServer, type RedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

/** Time passing for the buckets under ARGV[1]: each stored time `ARGV[2]` ms earlier, each expiry that much sooner. */
const advanceScript = `
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
  for _, field in ipairs({ 'reset', 'probe', 'pause' }) do
    local value = redis.call('HGET', key, field)
    if value then redis.call('HSET', key, field, tonumber(value) - tonumber(ARGV[2])) end
  end
  local ttl = redis.call('PTTL', key)
  if ttl > 0 and ttl <= tonumber(ARGV[2]) then redis.call('DEL', key)
  elseif ttl > 0 then redis.call('PEXPIRE', key, ttl - tonumber(ARGV[2])) end
end
return 1`;

const connect = (url: string) => createClient({ url }).connect();
let server: RedisServer;
let client: Awaited<ReturnType<typeof connect>>;
beforeAll(async () => {
  server = await startRedisServer();
  client = await connect(server.url);
});
afterAll(async () => {
  await (client as typeof client | undefined)?.quit();
  await (server as RedisServer | undefined)?.stop();
});

const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };

it.each(rateLimitScenarios.map((scenario, index) => [scenario.name, scenario, index] as const))('%s', async (_, scenario: RateLimitScenario, index) => {
  const prefix = `scenario-${index}:`;
  const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, prefix, ...scenario.options });
  const began = performance.now();
  /**
   * Runs a step once the real ms since the step before are moved back (each stored time later, each expiry later): the
   * buckets age by the table's `advance`, and by the ms within a step alone (the drift; a wait is then shorter, never
   * longer). The probe's row leaves a step 100 ms of its second, which the real time of a few commands can pass on a
   * loaded machine (its next probe then goes, where the table waits).
   */
  let aged = began;
  const still = async <T>(step: () => Promise<T>): Promise<T> => {
    const ms = Math.floor(performance.now() - aged);
    if (ms > 0) await client.sendCommand(['EVAL', advanceScript, '0', `${prefix}rl:v1:*`, String(-ms)]);
    try {
      return await step();
    } finally {
      aged = performance.now();
    }
  };
  const driver: RateLimitDriver = {
    reserve: (maxWaitMs, path) => still(async () => coordinator.reserve(path === undefined ? scope : { ...scope, path }, maxWaitMs)),
    observe: ({ resetIn, ...answer }, path) => still(async () => coordinator.observe(path === undefined ? scope : { ...scope, path }, { ...answer, resetAt: resetIn === undefined ? undefined : Date.now() + resetIn })),
    advance: (ms) =>
      still(async () => {
        await client.sendCommand(['EVAL', advanceScript, '0', `${prefix}rl:v1:*`, String(ms)]);
      }),
    driftMs: () => Math.ceil(performance.now() - began),
  };
  await expectRateLimitScenario(scenario, driver);
});
