/**
 * A 429 while the rate-limit coordinator is down (Redis unreachable: its calls fail at once). The
 * drivers leave a 429's wait to the coordinator, which spreads the fleet's retries; a coordinator
 * call that fails is skipped, and the `rate-limit-coordinator` event says the request "went on
 * with the per-process budget", which waits a 429 out. It did not (session 29 review): the retry
 * was sent at once, with no wait at all, so a Redis outage turned every process's 429s into
 * immediate resends to an org that was limiting them. Now a 429 the coordinator did not take is
 * waited out by the client, as without one. So is one it took when its next `reserve` (the wait
 * before the retry) fails: the retry went out at once too (session 29 review). Through each
 * driver, against a scripted server on 127.0.0.1 whose 429 names a reset 30 s ahead on its own clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOktaAuthError } from './errors.js';
import type { OktaLogEvent } from './logger.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from './test-helpers/counting-credential.js';
import { drivers } from './test-helpers/drivers.js';

let okta: ScriptedServer;
beforeEach(async () => {
  okta = await startScriptedServer((_req, res) => {
    if (okta.requests.length > 1) return json(res, 200, []);
    json(res, 429, { errorCode: 'E0000047' }, { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 30) });
  });
});
afterEach(async () => {
  await okta.close();
});

/** Redis down: every call fails at once. */
const down = coordinateRateLimits({
  reserve: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
  observe: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')),
});

/** Redis goes down after the first attempt's reserve: the 429 is taken (observe answers), the reserve before the retry fails. */
const downAfterTaking = (): CoordinatedRateLimits => {
  let reserves = 0;
  return coordinateRateLimits({
    reserve: () => (++reserves === 1 ? 0 : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'))),
    observe: () => undefined,
  });
};

describe.each(Object.keys(drivers).flatMap((name) => [[name, 'down', () => down] as const, [name, 'taking the 429, then down', downAfterTaking] as const]))('a 429 while the rate-limit coordinator is down, through %s (%s)', (name, _kind, coordinator) => {
  it("is waited out by the client (its own budget): no retry before the 429's reset", async () => {
    const events: OktaLogEvent[] = [];
    let backedOff!: () => void;
    const backoff = new Promise<void>((resolve) => (backedOff = resolve));
    const caller = new AbortController();
    const client = drivers[name]!({
      credential: countingCredential(okta.origin),
      rateLimitCoordinator: coordinator(),
      retry: { limit: 1, maxWaitMs: 60_000 },
      logger: (event) => {
        events.push(event);
        if (event.type === 'backoff') backedOff();
      },
    });
    const call = client.pages('/api/v1/users', { signal: caller.signal }).then(
      () => 'answered',
      (error: unknown) => (isOktaAuthError(error) ? error.code : String(error)),
    );
    await backoff;
    // A lower bound: the reset is 30 s ahead, so nothing may be sent in the next second.
    await sleep(1000);
    expect(events.filter((event) => event.type === 'request')).toHaveLength(1);
    expect(events.find((event) => event.type === 'backoff')).toMatchObject({ waitMs: expect.any(Number) as number });
    expect((events.find((event) => event.type === 'backoff') as { waitMs: number }).waitMs).toBeGreaterThan(25_000);
    caller.abort();
    expect(await call).toBe('ABORTED');
    expect(events.filter((event) => event.type === 'request')).toHaveLength(1);
    expect(okta.requests).toHaveLength(1);
  });
});
