/**
 * A slow 429 whose retry a rate-limit coordinator spaces out. The coordinator's wait before a
 * 429's retry is asked as soon as the 429 arrives (so a coordinator that then fails is seen, and
 * the client waits the 429 out itself). In `createOktaKy` that happens inside ky's `fetch`, which
 * ky's timeout (the attempt's `timeoutMs`) bounds: the time the 429 took plus the coordinator's
 * wait had to fit in one attempt, and a slow 429 turned a call `createOktaFetch` answers into
 * `TIMEOUT` (session 29 reread). That wait was then bounded by half of the attempt's time left too
 * (past it, it is not taken and the client waits the 429 out itself, as for a wait past the
 * budget: `rate-limit-coordinator-over-budget.server.test.ts`), so every driver gets the answer; since
 * waitsum142 it runs outside that attempt's timer, within half of `timeoutMs`, as in the other drivers.
 * The 429's reset is its own second, so that wait is 1 s (`rateLimitWait`).
 *
 * The slowness is moved, not waited for (docs/CONVENTIONS.md): `Date` and `performance.now` (the
 * monotonic clock the client counts what is left by) are frozen, and the scripted server on
 * 127.0.0.1 moves both 5 s on before it answers the first request with a 429 (of a 6 s
 * `timeoutMs`: 1 s left). The coordinator then asks for 1 s once, more than half of what is left
 * and less than half of `timeoutMs` (the bound without the fix). When its `reserve` is asked
 * again tells whether the wait was taken: taken, it is asked again after that wait, before the
 * retry; declined, the client waits the 429 out itself and it is asked before the retry is sent,
 * once the `retry` event is logged. Every driver waits outside the attempt that got the 429, within
 * half of `timeoutMs`, so every driver takes it (waitsum142: createOktaKy waited inside that attempt's
 * timer, within half of what it had left, and declined).
 * A call's own ky `timeout` shorter than `timeoutMs` (the call's, an `extend`'s) is what ky ends that
 * fetch by, so createOktaKy counts what is left of it instead, as the slot's wait does (`attemptBound`):
 * with `timeoutMs` 30 s and the call's `timeout` 6 s, the same wait is declined (before, it was taken,
 * counted against the 25 s left of `timeoutMs`, and a coordinator asking past the call's `timeout`
 * ended it with ky's `TIMEOUT`, the retry never sent).
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import type { Options } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { coordinateRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';

let okta: ScriptedServer;
beforeEach(async () => {
  // Timers stay real (the HTTP exchange and ky's timeout); only the clocks the client reads are moved.
  vi.useFakeTimers({ toFake: ['Date', 'performance'], now: Date.now() });
  okta = await startScriptedServer((_req, res) => {
    if (okta.requests.length > 1) return json(res, 200, [{ id: 'u1' }]);
    vi.advanceTimersByTime(5_000);
    json(res, 429, { errorCode: 'E0000047' }, { date: new Date(Date.now()).toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) });
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await okta.close();
});

/** Whether the driver takes the coordinator's wait after the slow 429 (asked again after it, before the retry). */
const takesTheWait: Record<string, boolean> = { fetch: true, 'ky instance': true, 'ky hooks on your own instance': true };

/** A coordinator that asks no wait before the 429, 1 s once after it, then none; each ask after the 429 counts the `retry` events logged before it. */
function spacing(events: OktaLogEvent[]): { asksAfter429: number[]; coordinator: ReturnType<typeof coordinateRateLimits> } {
  let observed429 = false;
  const asksAfter429: number[] = [];
  const coordinator = coordinateRateLimits({
    reserve: () => {
      if (!observed429) return 0;
      asksAfter429.push(events.filter((event) => event.type === 'retry').length);
      return asksAfter429.length === 1 ? 1_000 : 0;
    },
    observe: (_scope, { status }) => {
      if (status === 429) observed429 = true;
    },
  });
  return { asksAfter429, coordinator };
}

describe.each(Object.keys(drivers))('a slow 429 and a coordinator that spaces the retry, through %s', (name) => {
  it('answers: the wait for the coordinator never outlasts the attempt that got the 429', async () => {
    const events: OktaLogEvent[] = [];
    const { asksAfter429, coordinator } = spacing(events);
    const client = drivers[name]!({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinator, timeoutMs: 6_000, retry: { limit: 1, maxWaitMs: 60_000 }, logger: (event) => events.push(event) });
    const outcome = await client.getJson('/api/v1/users').then(
      (body) => body,
      (error: unknown) => (error as { code?: string }).code ?? String(error),
    );
    expect(outcome).toEqual([{ id: 'u1' }]);
    expect(okta.requests).toHaveLength(2);
    expect(asksAfter429).toEqual(takesTheWait[name] === true ? [0, 0] : [0, 1]);
  });
});

describe("createOktaKy: a call's ky timeout shorter than timeoutMs bounds the coordinator's wait after a slow 429", () => {
  const rows: [string, (rateLimitCoordinator: ReturnType<typeof coordinateRateLimits>, logger: (event: OktaLogEvent) => void) => Promise<unknown>][] = [
    ["a call's timeout", (rateLimitCoordinator, logger) => createOktaKy({ credential: countingCredential(okta.origin), rateLimitCoordinator, timeoutMs: 30_000, retry: { limit: 1, maxWaitMs: 60_000 }, logger }).get('api/v1/users', { timeout: 6_000 } satisfies Options).json()],
    ["an extend's timeout", (rateLimitCoordinator, logger) => createOktaKy({ credential: countingCredential(okta.origin), rateLimitCoordinator, timeoutMs: 30_000, retry: { limit: 1, maxWaitMs: 60_000 }, logger }).extend({ timeout: 6_000 }).get('api/v1/users').json()],
  ];
  it.each(rows)('%s: the wait is declined, the client waits the 429 out itself, and the call is answered', async (_, call) => {
    const events: OktaLogEvent[] = [];
    const { asksAfter429, coordinator } = spacing(events);
    expect(await call(coordinator, (event) => events.push(event))).toEqual([{ id: 'u1' }]);
    expect(okta.requests).toHaveLength(2);
    // Declined: asked again only once the retry was logged (taken: asked again before it, [0, 0]).
    expect(asksAfter429).toEqual([0, 1]);
  });
});
