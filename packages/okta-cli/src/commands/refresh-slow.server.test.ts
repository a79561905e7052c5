/**
 * A renewal held at Okta past the lock's stale age (30 s, shortened here through `lockAge`): the
 * holder keeps its lock fresh while the request runs, so a second run waits for it and takes its
 * renewal. Before, the second run took the lock over as a stopped process's and sent the same
 * rotating refresh token; with grace period 0 Okta refused the first (exit 4, signed out).
 * Two runs in this process (`inProcess`), so that the shortened age applies to both.
 */
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { signedInToRenew, staleAgeForThisTest, twoRunsTokenHeld } from '../test-helpers/held-renewal.js';
import { inProcess } from '../test-helpers/in-process.js';

it('a renewal held past the stale age keeps its lock: the second run waits and uses its renewal, one refresh sent', async () => {
  const { org, box, lock } = await signedInToRenew();
  // 2 s, not 600 ms: the holder touches its lock every third of it, and the two runs share this process's event loop; on a
  // loaded machine a pause of over 400 ms between touches would let the waiter judge a live holder's lock stale.
  staleAgeForThisTest(2000);
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  // Past the stale age: before, the other run took the lock over and renewed meanwhile.
  const runs = await twoRunsTokenHeld(org, () => inProcess(args, box), {
    watchMs: 3000,
    whileHeld: () => expect(existsSync(lock)).toBe(true),
  });
  expect(runs.stderr).toEqual(['', '']);
  expect(runs.codes).toEqual([0, 0]);
  expect(runs.ended).toBeUndefined();
  expect(org.counters().tokenRequests).toMatchObject({ refresh_token: { success: 1 } });
  // The heartbeat ended with the renewal: the lock is gone, no timer left touching it.
  expect(existsSync(lock)).toBe(false);
});
