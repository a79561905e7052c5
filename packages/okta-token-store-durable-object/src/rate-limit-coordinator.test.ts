/**
 * createDurableObjectRateLimitCoordinator against the real
 * OktaTokenStoreObject in this process: two isolates' coordinators share one budget; a failing object
 * is skipped for pauseAfterFailureMs. test/fleet.server.test.ts runs it in workerd against the emulator.
 */
import { sha256Base64url } from '@org/okta-auth-core/internal';
import { rateLimitOptionRefusals } from '@org/okta-test-utils/rate-limit-scenarios';
import type { OktaLogEvent } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDurableObjectRateLimitCoordinator } from './index.js';
import { protocolBase } from './protocol.js';
import { objectNamespace } from './test-helpers/memory-storage.js';

afterEach(() => void vi.useRealTimers());

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

  it("a spent window is the path's that said so, its key a SHA-256 however long the path; a body without one (an older isolate): the bucket's", async () => {
    const { namespace, sent } = objectNamespace();
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace, headroom: 0 });
    const me = { ...scope, path: `/api/v1/users/${'m'.repeat(100_000)}` };
    await coordinator.observe(me, { status: 200, limit: 10, remaining: 0, resetAt: Date.now() + 20_000 });
    expect(await coordinator.reserve(me, 1000)).toMatchObject({ resetIn: expect.any(Number) as unknown });
    expect(await coordinator.reserve({ ...scope, path: '/api/v1/users/00u1' }, 1000)).toBeGreaterThan(19_000);
    expect(sent.every((body) => body.length < 300)).toBe(true);
    // The path's key is hashed with the key prefix and org, never the path's plain SHA-256 (which a guessed login would match).
    const plain = await sha256Base64url(me.path);
    expect(sent.some((body) => body.includes(plain))).toBe(false);
    const object = namespace.get(namespace.idFromName('okta-token-store'));
    const call = async (body: Record<string, unknown>) => {
      const answer = await object.fetch(`${protocolBase}reserve`, { method: 'POST', body: JSON.stringify({ ...(JSON.parse(sent[1]!) as object), ...body }) });
      return answer.ok ? ((await answer.json()) as unknown) : answer.status;
    };
    expect(await call({ p: 'x', m: 1000 })).toBe(400);
    expect(await call({ p: undefined, m: 1000 })).toEqual({ wait: expect.any(Number) as unknown });
  });

  it('an object that fails: reserve rejects (core goes on uncoordinated), and the isolate skips the object for pauseAfterFailureMs', async () => {
    const { namespace, sent } = objectNamespace(() => Promise.resolve(new Response(null, { status: 500 })));
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace, pauseAfterFailureMs: 60_000 });
    await expect(coordinator.reserve(scope)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(coordinator.observe(scope, { status: 200 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('pauseAfterFailureMs') as unknown });
    expect(sent).toHaveLength(1);
  });

  // ssws151: without a logger of its own, each failing call was an event on the asking client's logger (two a call:
  // acquire and observe, 60 for these 30 calls). With one, core's one outage bound (`outageLog`), as the Redis coordinator's.
  it("takes a logger: an outage is one event on it, then one recovered 30 s on, and none on the asking client's", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    let down = true;
    const { namespace } = objectNamespace();
    const failing = objectNamespace(() => Promise.resolve(new Response(null, { status: 500 })));
    const events: OktaLogEvent[] = [];
    const asked: OktaLogEvent[] = [];
    const coordinator = createDurableObjectRateLimitCoordinator({
      namespace: { idFromName: (name) => name, get: (id) => (down ? failing.namespace : namespace).get(id) },
      logger: (event) => void events.push(event),
    });
    const url = new URL('https://acme.okta.com/api/v1/users');
    const answer = () => new Response(null, { headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': String(Math.ceil(Date.now() / 1000) + 60) } });
    const call = async (n: number) => {
      const reserved = await coordinator.wait(url, { maxWaitMs: 1000, signal: undefined, logger: (event) => void asked.push(event), call: n });
      const told = await coordinator.report(url, answer(), (event) => void asked.push(event), undefined, n);
      return reserved && told;
    };
    for (let n = 1; n <= 30; n++) expect(await call(n)).toBe(false);
    expect(events).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'STORE_UNAVAILABLE', status: 500, call: 1 }]);
    down = false;
    vi.advanceTimersByTime(30_000);
    expect(await call(31)).toBe(true);
    expect(events[1]).toEqual({ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'recovered', suppressed: 59 });
    expect([events.length, asked]).toEqual([2, []]);
  });

  // coord165: core cut every call at a fixed 250 ms, so an object answering in 300 ms was a failed call (a `timeout`
  // event), the request uncoordinated, whatever timeoutMs said. The coordinator now declares its bound plus 50 ms.
  it('an object answering after 300 ms under a timeoutMs of 800 ms is waited for: the reservation is taken, no event', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { namespace } = objectNamespace();
    const object = namespace.get('okta-token-store');
    // The clock moves once the object is asked (the key is hashed first, by Web Crypto).
    let reached!: () => void;
    const asked = new Promise<void>((resolve) => (reached = resolve));
    const answer = (input: string, init?: RequestInit) => new Promise<Response>((resolve) => (reached(), setTimeout(() => resolve(object.fetch(input, init)), 300)));
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace: { idFromName: (name) => name, get: () => ({ fetch: answer }) }, timeoutMs: 800 });
    expect(coordinator.timeoutMs).toBe(850);
    const events: OktaLogEvent[] = [];
    const waited = coordinator.wait(new URL('https://acme.okta.com/api/v1/users'), { maxWaitMs: 1000, signal: undefined, logger: (event) => void events.push(event) });
    await asked;
    await vi.advanceTimersByTimeAsync(300);
    // Before: `false` and a `timeout` event at 250 ms.
    expect(await waited).toBe(true);
    expect(events).toEqual([]);
  });

  // rev165b: the object held at most 10,000 buckets, whatever the Worker served (a multi-org app's 10,000 orgs fill it at 5,000).
  it('keeps maxBuckets buckets in the object (sent with each call): past them a new bucket is refused, LIMIT_EXCEEDED 507 on the event', async () => {
    const { namespace, sent } = objectNamespace();
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace, maxBuckets: 2 });
    const events: OktaLogEvent[] = [];
    const options = { maxWaitMs: 1000, signal: undefined, logger: (event: OktaLogEvent) => void events.push(event) };
    for (const path of ['/api/v1/users', '/api/v1/groups']) expect(await coordinator.wait(new URL(`https://acme.okta.com${path}`), options)).toBe(true);
    expect(await coordinator.wait(new URL('https://acme.okta.com/api/v1/apps'), options)).toBe(false);
    expect(events).toEqual([{ type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'error', code: 'LIMIT_EXCEEDED', status: 507 }]);
    expect(sent.map((body) => (JSON.parse(body) as { b?: unknown }).b)).toEqual([2, 2, 2]);
  });

  it('the object takes a bound of 1 to 1,000,000 buckets; none (an older isolate): 50,000; another is a 400', async () => {
    const { namespace, sent } = objectNamespace();
    const coordinator = createDurableObjectRateLimitCoordinator({ namespace, maxBuckets: 1 });
    expect(await coordinator.reserve(scope)).toBe(0);
    await expect(coordinator.reserve({ ...scope, bucket: '/api/v1/groups' })).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', status: 507 });
    const object = namespace.get(namespace.idFromName('okta-token-store'));
    const call = async (b: unknown, k = 'n'.repeat(43)) => (await object.fetch(`${protocolBase}reserve`, { method: 'POST', body: JSON.stringify({ ...(JSON.parse(sent[0]!) as object), k, b }) })).status;
    expect(await call(undefined)).toBe(200);
    for (const b of [0, 1.5, '2', 1_000_001]) expect(await call(b, 'o'.repeat(43))).toBe(400);
  });

  it("declares its timeoutMs plus 50 ms to core: 250 ms by default (core's bound before), at most core's 10 s", () => {
    const { namespace } = objectNamespace();
    const declared = (timeoutMs?: number) => createDurableObjectRateLimitCoordinator({ namespace, timeoutMs }).timeoutMs;
    expect([declared(), declared(9950), declared(60_000)]).toEqual([250, 10_000, 10_000]);
  });

  it.each<readonly [options: Readonly<Record<string, unknown>>, message: string]>([
    // The options both fleet coordinators take: one table, which the Redis coordinator's test runs too.
    ...rateLimitOptionRefusals,
    [{ headroom: 1 }, 'The headroom option must be a share of each limit from 0 to below 1 (0.05 leaves 5% of it to other clients of the org).'],
    [{ timeoutMs: 60_001 }, 'The timeoutMs option must be a number of milliseconds from 1 to 60000 (1 ms to 1 min).'],
    ...[0, 1.5, '20', 1_000_001].map((maxBuckets) => [{ maxBuckets }, 'The maxBuckets option must be a whole number from 1 to 1000000 (buckets kept in memory).'] as const),
    [{ pauseAfterFailureMs: Number.NaN }, 'The pauseAfterFailureMs option must be'],
    [{ objectName: '' }, 'objectName must be a string of 1 to 1024 characters'],
    [{ namespace: undefined }, 'namespace must be a Durable Object namespace binding'],
  ])('bad options are INVALID_CONFIG naming the option: %j', (options, message) => {
    const { namespace } = objectNamespace();
    expect(() => createDurableObjectRateLimitCoordinator({ namespace, ...options })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(message) as unknown }) as Error);
  });
});
