/**
 * A slow 429 whose retry a rate-limit coordinator spaces out. The coordinator's wait before a
 * 429's retry is asked as soon as the 429 arrives (so a coordinator that then fails is seen, and
 * the client waits the 429 out itself). In `createOktaKy` that happens inside ky's `fetch`, which
 * ky's timeout (the attempt's `timeoutMs`) bounds: the time the 429 took plus the coordinator's
 * wait had to fit in one attempt, and a slow 429 turned a call `createOktaFetch` answers into
 * `TIMEOUT` (session 29 reread). Now that wait is bounded by half of the attempt's time left too
 * (past it, it is not taken and the retry goes at once, as for a wait past the budget), so every
 * driver gets the answer. Against a scripted server on 127.0.0.1 that answers the first request
 * with a 429 after 3.9 s of a 6 s `timeoutMs`, and a coordinator that asks for 2.9 s once.
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coordinateRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from './test-helpers/counting-credential.js';
import { drivers } from './test-helpers/drivers.js';

let okta: ScriptedServer;
beforeEach(async () => {
  okta = await startScriptedServer((_req, res) => {
    if (okta.requests.length > 1) return json(res, 200, [{ id: 'u1' }]);
    setTimeout(() => json(res, 429, { errorCode: 'E0000047' }, { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 30) }), 3_900);
  });
});
afterEach(async () => {
  await okta.close();
});

describe.each(Object.keys(drivers))('a slow 429 and a coordinator that spaces the retry, through %s', (name) => {
  it('answers: the wait for the coordinator never outlasts the attempt that got the 429', { timeout: 60_000 }, async () => {
    let observed429 = false;
    let asked = 0;
    const coordinator = coordinateRateLimits({
      // Before the 429: send now. After it: 2.9 s once (within half of timeoutMs), then now.
      reserve: () => (observed429 && asked++ === 0 ? 2_900 : 0),
      observe: (_scope, { status }) => {
        if (status === 429) observed429 = true;
      },
    });
    const client = drivers[name]!({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinator, timeoutMs: 6_000, retry: { limit: 1, maxWaitMs: 60_000 } });
    const outcome = await client.getJson('/api/v1/users').then(
      (body) => body,
      (error: unknown) => (error as { code?: string }).code ?? String(error),
    );
    expect(outcome).toEqual([{ id: 'u1' }]);
    expect(okta.requests).toHaveLength(2);
  });
});
