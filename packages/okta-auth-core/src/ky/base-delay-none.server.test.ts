/**
 * A base instance's `retry.delay` that gives no number of ms (NaN, or `undefined` from a missing
 * `return`): ky waits it as 0, and so does createOktaKy's backoff. It made the call's total of waits
 * NaN (fix145), after which no wait was past `retry.maxWaitMs`: a 429's wait of 2 s against 1000
 * was waited out, and a coordinator's 4 s asks. The emulator counts what reached it.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';

const org = useApiTokenOrg();
const users = '/api/v1/users';

/** What the call gave: its status, or its error's code. */
const outcome = (call: Promise<Response>): Promise<unknown> => call.then((response) => response.status, (error: unknown) => (error as { code?: unknown }).code);

describe.each([
  ['NaN', () => Number.NaN],
  ['undefined (a missing return)', () => undefined as unknown as number],
])("a base instance's delay giving %s: a backoff of 0, the call's waits still bounded", (_name, delay) => {
  it('a 503, then a 429 whose wait (2 s) is past retry.maxWaitMs (1000): RATE_LIMITED, not waited out', async () => {
    org.org.injectFault({ path: users, kind: 'status', status: 503, count: 1 });
    org.org.injectFault({ path: users, kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': 'none', 'Retry-After': '2' } });
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ retry: { delay } }), retry: { maxWaitMs: 1000 } });
    expect(await outcome(okta.get(users.slice(1)))).toBe('RATE_LIMITED');
    expect(org.org.counters().requests).toEqual({ [`GET ${users}`]: 2 });
  });

  it("a 503, then a coordinator asking 4 s: not waited (past the 1000 ms left)", async () => {
    org.org.injectFault({ path: users, kind: 'status', status: 503, count: 1 });
    // Send now before the first attempt, then 4 s three times (a fleet's busy window).
    let reserves = 0;
    const rateLimitCoordinator = coordinateRateLimits({ reserve: () => (++reserves > 1 && reserves < 5 ? 4000 : 0), observe: () => undefined });
    const waits: number[] = [];
    const logger = (event: { type: string; waitMs?: number }) => event.type === 'backoff' && waits.push(event.waitMs ?? -1);
    const okta = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ retry: { delay } }), retry: { maxWaitMs: 1000 }, rateLimitCoordinator, logger });
    expect(await outcome(okta.get(users.slice(1)))).toBe(200);
    expect(waits).toEqual([]);
  });
});
