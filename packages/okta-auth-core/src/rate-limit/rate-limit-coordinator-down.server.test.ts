/**
 * A 429 while the rate-limit coordinator is down (Redis unreachable: its calls fail at once). The
 * drivers leave a 429's wait to the coordinator, which spreads the fleet's retries; a coordinator
 * call that fails is skipped, and the `rate-limit-coordinator` event says the request "went on
 * with the per-process budget", which waits a 429 out. It did not (session 29 review): the retry
 * was sent at once, with no wait at all, so a Redis outage turned every process's 429s into
 * immediate resends to an org that was limiting them. Now a 429 the coordinator did not take is
 * waited out by the client, as without one. So is one it took when its next `reserve` (the wait
 * before the retry) fails: the retry went out at once too (session 29 review). Through each
 * driver, against a scripted server on 127.0.0.1 whose 429 names a reset 30 s past its own `Date`.
 *
 * The wait is moved, not waited for: the test's `setTimeout` is fake (every timer of the client,
 * ky's and the coordinator's bounds; the HTTP exchange stays real), so the retry is checked to be
 * held for the client's whole wait and sent once it ends, whatever the machine's load.
 */
import { setImmediate as macrotask } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { ownWaitMs, useOne429Org } from '../test-helpers/one-429-org.js';


const org = useOne429Org();

const refused = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));

/** Redis down: every call fails at once. The 429 is not taken (its `observe` fails). */
const down = (): CoordinatedRateLimits => coordinateRateLimits({ reserve: refused, observe: refused });

/** Redis goes down after the first attempt's reserve: the 429 is taken (observe answers), the reserve before the retry fails. */
const downAfterTaking = (): CoordinatedRateLimits => {
  let reserves = 0;
  return coordinateRateLimits({
    reserve: () => (++reserves === 1 ? 0 : refused()),
    observe: () => undefined,
  });
};

/** Each kind, with the coordinator's calls that fail: the last one, after the 429, leaves its wait to the client. */
const kinds = [
  ['down', down, ['acquire', 'observe']],
  ['taking the 429, then down', downAfterTaking, ['acquire']],
] as const;

describe.each(Object.keys(drivers).flatMap((name) => kinds.map(([kind, coordinator, failing]) => [name, kind, coordinator, failing] as const)))(
  'a 429 while the rate-limit coordinator is down, through %s (%s)',
  (name, _kind, coordinator, failing) => {
    it("is waited out by the client (its own budget): the retry is held until the 429's reset, then sent", async () => {
      const events: OktaLogEvent[] = [];
      let skipped!: () => void;
      const coordinatorSkipped = new Promise<void>((resolve) => (skipped = resolve));
      const client = drivers[name]!({
        credential: countingCredential(org.okta.origin),
        rateLimitCoordinator: coordinator(),
        retry: { limit: 1, maxWaitMs: 60_000 },
        logger: (event) => {
          events.push(event);
          if (event.type === 'rate-limit-coordinator' && events.some((earlier) => earlier.type === 'backoff')) skipped();
        },
      });
      const call = client.getJson('/api/v1/users').catch((error: unknown) => String(error));

      // The failed call into the coordinator is the last step before the client's own wait starts
      // (promise jobs only), so after one turn of the event loop its timer is set.
      await coordinatorSkipped;
      await macrotask();
      expect(events.filter((event) => event.type === 'rate-limit-coordinator')).toEqual(failing.map((operation) => ({ type: 'rate-limit-coordinator', operation, outcome: 'error', call: expect.any(Number) })));
      expect(events.find((event) => event.type === 'backoff')).toMatchObject({ waitMs: ownWaitMs });

      await org.expectRetryHeld(events, call);
    });
  },
);
