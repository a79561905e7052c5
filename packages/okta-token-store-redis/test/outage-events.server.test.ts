/**
 * A Redis outage's events, on a real redis-server killed and started again (fleetlog147). Before,
 * the coordinator took no `logger` and each asking client logged each failing call: about two
 * events a call (`acquire`, `observe`), 1,000 log lines a second for a fleet process making 500
 * calls a second. Now the coordinator's own `logger` gets the outage's first failure, at most one more
 * a `outageReportMs` (30 s, core's `outageLog`) with the count left out, and one `recovered` at the first
 * call Redis answers 30 s after the last event (ra149: not sooner, or a Redis failing on and off logged
 * each failure and each recovery); the asking client's logger gets none of them. The monotonic clock
 * (`performance`) is faked, and moved after the restart: 1 s a try (the pause after a failure), and 30 s.
 */
import { randomBytes } from 'node:crypto';
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { createServiceAppCredential } from '@org/okta-oauth';
import { Redis } from 'ioredis';
import { afterEach, expect, it, vi } from 'vitest';
import { createRedisRateLimitCoordinator, createRedisTokenStorage } from '../src/index.js';
import { startRedisServer } from './fleet/redis-server.mjs';
import { commandTimeoutMs } from './redis-clients.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const done of cleanup.splice(0).reverse()) await done();
});

/**
 * The outage's one event before Redis is back: Redis's refusal (`REDIS_UNAVAILABLE`), or core's bound on a coordinator
 * call (`timeout`: the coordinator's command bound plus 50 ms, at most 10 s; a fixed 250 ms until coord165) when ioredis
 * takes longer than that to give a call up, as on a loaded machine (a full run's failure: `{ outcome: 'timeout' }` where
 * this test asked for the refusal). Either way one event, never one a call.
 */
function expectOutageEvent(events: readonly OktaLogEvent[], fields: Record<string, unknown>): void {
  expect(events).toHaveLength(1);
  const event = events[0] as { outcome?: unknown };
  const expected = event.outcome === 'timeout' ? { outcome: 'timeout' } : { outcome: 'error', code: 'REDIS_UNAVAILABLE' };
  expect(event).toEqual(expect.objectContaining({ type: 'rate-limit-coordinator', ...fields, ...expected }));
}

it('30 calls during an outage log one failure, then one recovered event with the count left out', async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const server = await startRedisServer();
  cleanup.push(() => server.stop());
  const client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 }).on('error', () => undefined);
  cleanup.push(() => client.disconnect());
  const events: OktaLogEvent[] = [];
  const asked: OktaLogEvent[] = [];
  // The tests' generous command bound, not the default 200 ms, which a loaded machine's answer can pass (the call then fails,
  // an event, and Redis is skipped for a second); core gives each call that plus 50 ms, at most 10 s. A call during the outage does not
  // wait for it: ioredis rejects it once it cannot reconnect.
  const coordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, logger: (event) => void events.push(event) });
  const url = new URL('https://acme.okta.com/api/v1/users');
  const answer = () => new Response(null, { headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': String(Math.ceil(Date.now() / 1000) + 60) } });
  let calls = 0;
  let failures = 0;
  /** One call's coordination: `wait` before its attempt, `report` after the answer; true when Redis took both. */
  const call = async (): Promise<boolean> => {
    calls++;
    const reserved = await coordinator.wait(url, { maxWaitMs: 1000, signal: undefined, logger: (event) => void asked.push(event), call: calls });
    const told = await coordinator.report(url, answer(), (event) => void asked.push(event), undefined, calls);
    failures += Number(!reserved) + Number(!told);
    return reserved && told;
  };
  expect(await call()).toBe(true);
  await server.kill();
  for (let i = 0; i < 30; i++) expect(await call()).toBe(false);
  expectOutageEvent(events, { operation: 'acquire', call: 2 });
  await server.restart();
  // Calls until Redis answers again (ioredis reconnects, the coordinator's pause after a failure ends): each failing one is left out too.
  await expect.poll(() => client.ping().catch(() => undefined), { timeout: 20_000, interval: 100 }).toBe('PONG');
  await expect.poll(() => (vi.advanceTimersByTime(1000), call()), { timeout: 20_000, interval: 100 }).toBe(true);
  expect(events).toHaveLength(1);
  vi.advanceTimersByTime(30_000);
  for (let i = 0; i < 10; i++) expect(await call()).toBe(true);
  // Every failure but the first is left out: at least the 59 more of the 30 calls.
  expect(failures).toBeGreaterThanOrEqual(60);
  expect(events).toHaveLength(2);
  expect(events[1]).toEqual({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: failures - 1 });
  expect(asked).toEqual([]);
});

it("the README's fleet process, one logger everywhere: 40 calls during an outage log one event, then one recovered", async () => {
  vi.useFakeTimers({ toFake: ['performance'] });
  const server = await startRedisServer();
  cleanup.push(() => server.stop());
  const org = await startEmulator({ seed: { users: 1 } });
  cleanup.push(() => org.close());
  const client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 }).on('error', () => undefined);
  cleanup.push(() => client.disconnect());
  const events: OktaLogEvent[] = [];
  const logger = (event: OktaLogEvent) => void events.push(event);
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const encryption = { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } };
  // As the README's, but for the tests' generous command bound (the first test says why).
  const tokenStore = createRedisTokenStorage({ client, encryption, commandTimeoutMs, logger });
  const rateLimitCoordinator = createRedisRateLimitCoordinator({ client, commandTimeoutMs, logger });
  const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, scopes: ['okta.users.read'], tokenStore, rateLimitCoordinator, logger, allowInsecureLoopback: true });
  const okta = createOktaFetch({ credential, rateLimitCoordinator, logger });
  const failures = () => events.filter((event) => event.type === 'token-store' || event.type === 'rate-limit-coordinator');
  expect((await okta('/api/v1/users')).status).toBe(200);
  await server.kill();
  // Each call goes on without Redis: its token from the process's cache, uncoordinated.
  for (let i = 0; i < 40; i++) expect((await okta('/api/v1/users')).status).toBe(200);
  // Before: 80, an acquire and an observe for each call, through the client's logger. The first may be the first call's
  // observe: the client tells the coordinator after handing the answer back, so it can land after the kill.
  const operation = expect.stringMatching(/^(acquire|observe)$/) as unknown;
  expectOutageEvent(failures(), { operation });
  await server.restart();
  // Once Redis answers, 30 s on: the next call that works ends the outage (sooner, a call failing past 30 s is an event).
  await expect.poll(() => client.ping().catch(() => undefined), { timeout: 20_000, interval: 100 }).toBe('PONG');
  vi.advanceTimersByTime(30_000);
  await expect
    .poll(async () => {
      expect((await okta('/api/v1/users')).status).toBe(200);
      return failures().length;
    }, { timeout: 20_000, interval: 100 })
    .toBe(2);
  expect(failures()[1]).toEqual({ type: 'rate-limit-coordinator', operation: (failures()[0] as { operation: string }).operation, outcome: 'recovered', suppressed: expect.any(Number) });
  expect((failures()[1] as { suppressed: number }).suppressed).toBeGreaterThanOrEqual(79);
});
