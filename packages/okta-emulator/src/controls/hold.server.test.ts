/**
 * The `hold` fault (answers held until released, bounded) and Okta's concurrent limit counted from a
 * request's start to its answer's end, with `counters().maxInFlight` and `concurrencyLimited`.
 */
import { request } from 'node:http';
import { failure, until } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { HOLD_BOUNDS } from './faults.js';
import { ssws } from '../test-helpers/http.js';

describe('the hold fault and the concurrent limit', () => {
  let org: OktaEmulator;
  let h: Record<string, string>;
  beforeEach(async () => {
    org = await startEmulator({ seed: { users: 2 } });
    h = ssws(org.createApiToken().token);
  });
  afterEach(() => org.close());

  const users = () => fetch(`${org.url}/api/v1/users`, { headers: h });
  const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(r, 20, false))]);

  it('holds matching requests until released, oldest first, each counted in flight', async () => {
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const first = users();
    await until(() => org.heldAnswers(id) === 1, 'the first request held');
    const second = users();
    await until(() => org.heldAnswers(id) === 2, 'the second request held');
    expect(await settled(first)).toBe(false);
    expect(org.counters()).toMatchObject({ maxInFlight: 2, concurrencyLimited: 0 });
    expect(org.releaseHeld(id, 1)).toBe(1);
    expect((await first).status).toBe(200);
    expect(await settled(second)).toBe(false);
    expect(org.heldAnswers(id)).toBe(1);
    // Clearing the faults lets every held answer go, and holds no later one.
    org.clearFaults();
    expect((await second).status).toBe(200);
    expect((await users()).status).toBe(200);
    expect(org.heldAnswers(id)).toBe(0);
  });

  it('holds `count` requests only; resetCounters sets maxInFlight to what is in flight now', async () => {
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 1 });
    const held = users();
    await until(() => org.heldAnswers(id) === 1, 'one request held');
    expect((await users()).status).toBe(200);
    org.resetCounters();
    expect(org.counters().maxInFlight).toBe(1);
    expect(org.releaseHeld(id)).toBe(1);
    expect((await held).status).toBe(200);
    await until(() => (org.resetCounters(), org.counters().maxInFlight === 0), 'nothing in flight');
  });

  it('is bounded: a request past the most held is answered at once, and a held one goes after holdMs', async () => {
    const saved = HOLD_BOUNDS.maxHeld;
    HOLD_BOUNDS.maxHeld = 1;
    try {
      const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 2 });
      const held = users();
      await until(() => org.heldAnswers(id) === 1, 'one request held');
      expect((await users()).status).toBe(200);
      expect(org.heldAnswers(id)).toBe(1);
      org.releaseHeld(id);
      await held;
    } finally {
      HOLD_BOUNDS.maxHeld = saved;
    }
    org.injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: 1 });
    expect((await users()).status).toBe(200);
  });

  it('refuses a bad hold (INVALID_OPTION naming the field) and an unknown id', () => {
    expect(() => org.injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: HOLD_BOUNDS.maxHoldMs + 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'fault.holdMs' }));
    expect(() => org.injectFault({ path: '/api/v1/users', kind: 'status', holdMs: 10 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'fault.holdMs' }));
    expect(() => org.releaseHeld('nope', 0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', option: 'count' }));
    expect(org.heldAnswers('flt-unknown')).toBe(0);
  });

  it('close() ends the held requests at once', async () => {
    org.injectFault({ path: '/api/v1/users', kind: 'hold', holdMs: HOLD_BOUNDS.maxHoldMs });
    const held = failure(users());
    await until(() => org.counters().maxInFlight === 1, 'one request held');
    await org.close();
    expect(await held).toBeInstanceOf(Error);
  });

  it("answers Okta's concurrent-limit 429 past the limit, counted in concurrencyLimited", async () => {
    org.setConcurrencyLimit(2);
    const id = org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 2 });
    const held = [users(), users()];
    await until(() => org.heldAnswers(id) === 2, 'two requests held');
    const refused = await users();
    expect(refused.status).toBe(429);
    expect([refused.headers.get('x-rate-limit-limit'), refused.headers.get('x-rate-limit-remaining')]).toEqual(['0', '0']);
    expect(Number(refused.headers.get('x-rate-limit-reset'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorCauses: [] });
    expect(org.counters()).toMatchObject({ maxInFlight: 3, concurrencyLimited: 1 });
    org.releaseHeld(id);
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
    expect((await users()).status).toBe(200);
    org.resetCounters();
    expect(org.counters()).toMatchObject({ maxInFlight: 0, concurrencyLimited: 0 });
  });

  it('counts a request in flight from its start: one still sending its body holds a slot', async () => {
    org.setConcurrencyLimit(1);
    const slow = request(`${org.url}/api/v1/users`, { method: 'POST', headers: { ...h, 'Content-Type': 'application/json', 'Content-Length': '100' } });
    slow.on('error', () => undefined);
    slow.write('{"profile":');
    await until(() => org.counters().maxInFlight === 1, 'the slow request in flight');
    expect((await users()).status).toBe(429);
    slow.destroy();
    await until(() => (org.resetCounters(), org.counters().maxInFlight === 0), 'the slow request gone');
    expect((await users()).status).toBe(200);
  });

  it('the admin routes read and release held answers', async () => {
    const admin = (method: string, path: string, body?: unknown) => fetch(`${org.url}/__emulator${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const { id } = (await (await admin('POST', '/faults', { path: '/api/v1/users', kind: 'hold' })).json()) as { id: string };
    const held = users();
    await until(() => org.heldAnswers(id) === 1, 'one request held');
    expect(await (await admin('GET', `/faults/${id}/held`)).json()).toEqual({ held: 1 });
    expect(await (await admin('POST', `/faults/${id}/release`, {})).json()).toEqual({ released: 1 });
    expect((await held).status).toBe(200);
    expect((await admin('POST', `/faults/${id}/release`, { count: -1 })).status).toBe(400);
  });
});
