/**
 * Every event of one call carries the call's `call` number, and no other call's: with calls at once
 * to the same URL (a fleet, `Promise.all` over users), a logger groups each call's request, backoff,
 * retry, response and error events by it, which method, URL and attempt cannot do, nor Okta's
 * request id (one per attempt, none without an answer). Two calls at once to the same path of a
 * real org, one answered 429 then retried, the other failed (400), through every driver.
 */
import { describe } from 'vitest';
import type { OktaLogEvent } from './logger.js';
import { drivers } from '../test-helpers/drivers.js';
import { itWithApiTokenOrg } from '../test-helpers/api-token-org.js';

/** Each call's events by their `call` field, as `type attempt` and the status, reason or code. */
function byCall(events: readonly OktaLogEvent[]): Map<unknown, string[]> {
  const calls = new Map<unknown, string[]>();
  for (const event of events) {
    if (!('attempt' in event)) continue;
    const detail = event.type === 'response' ? ` ${event.status}` : event.type === 'retry' ? ` ${event.reason}` : event.type === 'error' ? ` ${event.code}` : '';
    const key = (event as { call?: unknown }).call;
    calls.set(key, [...(calls.get(key) ?? []), `${event.type} ${event.attempt}${detail}`]);
  }
  return calls;
}

describe.concurrent.each(Object.entries(drivers))('the events of one call (%s)', (_name, driver) => {
  itWithApiTokenOrg("share the call's number, apart from a call at once to the same URL", async ({ org: tokenOrg, expect }) => {
    const { org } = tokenOrg;
    const events: OktaLogEvent[] = [];
    const client = driver({ credential: tokenOrg.ssws(org.url), logger: (event) => void events.push(event) });
    // The first request to arrive is answered 429 (its reset this second: a 1 s wait), the second 400; the 429's retry 200.
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000)) }, count: 1 });
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 400, count: 1 });
    const outcomes = await Promise.allSettled([client.getJson('/api/v1/users'), client.getJson('/api/v1/users')]);
    expect(outcomes.map(({ status }) => status).sort()).toEqual(['fulfilled', 'rejected']);
    const calls = byCall(events);
    expect([...calls.keys()].map((call) => typeof call)).toEqual(['number', 'number']);
    expect([...calls.values()].sort()).toEqual(
      [
        ['request 1', 'response 1 429', 'backoff 1', 'retry 1 rate-limit', 'request 2', 'response 2 200'],
        ['request 1', 'response 1 400', 'error 1 API_ERROR'],
      ].sort(),
    );
  });
});
