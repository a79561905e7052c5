/**
 * A 429 the rate-limit coordinator took, whose wait before the retry it then asks past the budget
 * (after the 429, `retry.maxWaitMs` and half of `timeoutMs`; before an attempt, `retry.maxWaitMs`): a fleet's later waiters, spread over the window (the
 * Redis coordinator's slot n waits the reset plus n × `spreadMs` / budget), or a concurrent-limit
 * 429 (`X-Rate-Limit-Limit: 0`). A wait past the budget is not taken; before an attempt the
 * request then goes to Okta (Okta decides). Before a 429's retry it went out at once too (session
 * 35 review), into the window Okta had just said was spent: a second 429 and the call's
 * `RATE_LIMITED` where a client without a coordinator would have waited and been answered, and
 * the fleet's herd the coordinator exists to spread. Now such a 429 is waited out by the client,
 * as one the coordinator failed to take (`rate-limit-coordinator-down.server.test.ts`). Through
 * each driver, against a scripted server on 127.0.0.1 whose 429 names a reset 30 s past its `Date`.
 *
 * The wait is moved, not waited for: `setTimeout` is fake (the HTTP exchange stays real).
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { ownWaitMs, useOne429Org } from '../test-helpers/one-429-org.js';

/**
 * What the coordinator asks before the retry: past the budget of both its asks, after the 429 (`retry.maxWaitMs` and half of
 * the default 30 s `timeoutMs`: 15 s) and before the retry is sent (`retry.maxWaitMs`, 60 s here: the wait before an attempt
 * runs outside its timer since coordwait139; a 40 s ask was taken there, and the retry went 40 s past the reset).
 */
const askedMs = 90_000;

const org = useOne429Org();

/** Past the budget, for ever, and no wait at all (a broken coordinator): none is a resend at once. */
const asks = [askedMs, Number.POSITIVE_INFINITY, Number.NaN, -1, '5000'] as const;

describe.each(Object.keys(drivers).flatMap((name) => asks.map((ask) => [name, ask] as const)))('a 429 the coordinator took, then asked a wait past the budget, through %s (%s)', (name, ask) => {
  it("is waited out by the client: the retry is held until the 429's reset, then sent", async () => {
    let reserves = 0;
    let asked!: () => void;
    const askedAfter429 = new Promise<void>((resolve) => (asked = resolve));
    const coordinator = coordinateRateLimits({
      reserve: () => {
        if (++reserves === 1) return 0;
        asked();
        return ask as number;
      },
      observe: () => undefined,
    });
    const events: OktaLogEvent[] = [];
    const client = drivers[name]!({ credential: countingCredential(org.okta.origin), rateLimitCoordinator: coordinator, retry: { limit: 1, maxWaitMs: 60_000 }, logger: (event) => events.push(event) });
    const call = client.getJson('/api/v1/users').catch((error: unknown) => String(error));

    // The coordinator's answer is the last step before the client's own wait starts (promise jobs only).
    await askedAfter429;
    await macrotask();
    expect(events.find((event) => event.type === 'backoff')).toMatchObject({ waitMs: ownWaitMs });
    expect(events.filter((event) => event.type === 'rate-limit-coordinator')).toEqual([]);

    await org.expectRetryHeld(events, call);
    // Asked before the first attempt, once the 429 was in, and (its wait not taken) before the retry is sent.
    expect(reserves).toBe(3);
  });
});
