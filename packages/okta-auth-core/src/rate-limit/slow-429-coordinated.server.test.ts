/**
 * A slow 429 whose retry a rate-limit coordinator spaces out. The coordinator's wait before a
 * 429's retry is asked as soon as the 429 arrives (so a coordinator that then fails is seen, and
 * the client waits the 429 out itself). In `createOktaKy` that happens inside ky's `fetch`, which
 * ky's timeout (the attempt's `timeoutMs`) bounds: the time the 429 took plus the coordinator's
 * wait had to fit in one attempt, and a slow 429 turned a call `createOktaFetch` answers into
 * `TIMEOUT` (session 29 reread). Now that wait is bounded by half of the attempt's time left too
 * (past it, it is not taken and the client waits the 429 out itself, as for a wait past the
 * budget: `rate-limit-coordinator-over-budget.server.test.ts`), so every driver gets the answer.
 * The 429's reset is its own second, so that wait is 1 s (`rateLimitWait`).
 *
 * The slowness is moved, not waited for (docs/CONVENTIONS.md): `Date` is frozen, and the scripted
 * server on 127.0.0.1 moves it 5 s on before it answers the first request with a 429 (of a 6 s
 * `timeoutMs`: 1 s left). The coordinator then asks for 1 s once, more than half of what is left
 * and less than half of `timeoutMs` (the bound without the fix). When its `reserve` is asked
 * again tells whether the wait was taken: taken, it is asked again after that wait, before the
 * retry; declined, the client waits the 429 out itself and it is asked before the retry is sent,
 * once the `retry` event is logged. createOktaKy waits inside the attempt that got the 429, so it
 * declines; the other drivers wait between attempts, each with its own `timeoutMs`, so they take it.
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';

let okta: ScriptedServer;
beforeEach(async () => {
  // Timers stay real (the HTTP exchange and ky's timeout); only the clock the client reads is moved.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
  okta = await startScriptedServer((_req, res) => {
    if (okta.requests.length > 1) return json(res, 200, [{ id: 'u1' }]);
    vi.setSystemTime(Date.now() + 5_000);
    json(res, 429, { errorCode: 'E0000047' }, { date: new Date(Date.now()).toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) });
  });
});
afterEach(async () => {
  vi.useRealTimers();
  await okta.close();
});

/** Whether the driver takes the coordinator's wait after the slow 429 (asked again after it, before the retry). */
const takesTheWait: Record<string, boolean> = { fetch: true, 'ky instance': false, 'ky hooks on your own instance': true };

describe.each(Object.keys(drivers))('a slow 429 and a coordinator that spaces the retry, through %s', (name) => {
  it('answers: the wait for the coordinator never outlasts the attempt that got the 429', async () => {
    let observed429 = false;
    // For each ask after the 429, how many `retry` events were logged before it.
    const asksAfter429: number[] = [];
    const events: OktaLogEvent[] = [];
    const coordinator = coordinateRateLimits({
      // Before the 429: send now. After it: 1 s once, then now.
      reserve: () => {
        if (!observed429) return 0;
        asksAfter429.push(events.filter((event) => event.type === 'retry').length);
        return asksAfter429.length === 1 ? 1_000 : 0;
      },
      observe: (_scope, { status }) => {
        if (status === 429) observed429 = true;
      },
    });
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
