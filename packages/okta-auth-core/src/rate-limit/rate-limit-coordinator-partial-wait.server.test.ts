/**
 * A 429 the rate-limit coordinator took, whose wait before the retry it began and then declined:
 * it asked 10 s (taken: within the budget, half of the default 30 s `timeoutMs`), then 90 s more
 * (past it, and past `retry.maxWaitMs`, the bound of its ask before the retry is sent). The client waits the 429 out itself (`rate-limit-coordinator-over-budget.server.test.ts`),
 * counted from the 429: the coordinator's 10 s are part of that wait, not added to it. Before
 * (session 35 review), the client waited its whole 31 s after the 10 s, and the retry went 10 s
 * past the 429's reset (the call's waits past `retry.maxWaitMs`, its time past `timeoutMs`'s
 * half the coordinator may take). Through each driver, against a scripted server on 127.0.0.1
 * whose 429 names a reset 30 s past its `Date`.
 *
 * The wait is moved, not waited for: `setTimeout` is fake (the HTTP exchange stays real).
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { ownWaitMs, useOne429Org } from '../test-helpers/one-429-org.js';

/** What the coordinator asks before the retry: first within the budget (taken), then past it. */
const takenMs = 10_000;
/** Past the budget after the 429 (15 s, less the 10 s taken) and before the retry is sent (`retry.maxWaitMs`, 60 s here). */
const declinedMs = 90_000;

const org = useOne429Org();

describe.each(Object.keys(drivers))('a 429 whose coordinated wait was begun, then declined, through %s', (name) => {
  it('is waited out from the 429, the coordinated part counted: the retry goes at the reset, not after it', async () => {
    let reserves = 0;
    let declined!: () => void;
    const declinedAfter429 = new Promise<void>((resolve) => (declined = resolve));
    const coordinator = coordinateRateLimits({
      reserve: () => {
        reserves += 1;
        if (reserves === 1) return 0;
        if (reserves === 2) return takenMs;
        declined();
        return declinedMs;
      },
      observe: () => undefined,
    });
    const events: OktaLogEvent[] = [];
    const client = drivers[name]!({ credential: countingCredential(org.okta.origin), rateLimitCoordinator: coordinator, retry: { limit: 1, maxWaitMs: 60_000 }, logger: (event) => events.push(event) });
    const call = client.getJson('/api/v1/users').catch((error: unknown) => String(error));
    const sent = () => events.filter((event) => event.type === 'request').length;

    // The 429 is in and its first coordinated wait under way (promise jobs and the exchange only).
    while (reserves < 2) await macrotask();
    expect(events.find((event) => event.type === 'backoff')).toMatchObject({ waitMs: ownWaitMs });
    await vi.advanceTimersByTimeAsync(takenMs);
    await declinedAfter429;
    await macrotask();

    await vi.advanceTimersByTimeAsync(ownWaitMs - takenMs - 1);
    expect(sent()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent()).toBe(2);
    expect(await call).toEqual([]);
    expect(org.okta.requests).toHaveLength(2);
    // Before the first attempt, twice once the 429 was in (10 s taken, 90 s not), and before the retry is sent (90 s: not taken, sent).
    expect(reserves).toBe(4);
  });
});
