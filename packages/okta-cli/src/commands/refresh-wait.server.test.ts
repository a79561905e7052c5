/**
 * A renewal held at Okta longer than the lock's 5 s wait (slow Okta, a 429's wait): the second run
 * keeps waiting while the first run's lock is fresh, within its own bound (`--timeout` plus
 * `--max-wait`), and then takes the first run's renewal. Before, it stopped waiting after 5 s and
 * sent the same rotating refresh token itself; with grace period 0 Okta refused one of the two (exit 4).
 */
import { expect, it } from 'vitest';
import { signedInToRenew, spawned, twoRunsTokenHeld } from '../test-helpers/held-renewal.js';

it('a renewal held at Okta past 5 s: the second run waits on while the lock is fresh and uses its renewal; one refresh sent', async () => {
  const { org, box } = await signedInToRenew();
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  // Past the 5 s wait: before, the other run sent the same refresh token then, and one of them ended (exit 4).
  const runs = await twoRunsTokenHeld(org, () => spawned(args, box), { watchMs: 7000 });
  expect(runs.stderr).toEqual(['', '']);
  expect(runs.codes).toEqual([0, 0]);
  expect(runs.ended).toBeUndefined();
  expect(runs.sentWhileHeld).toEqual({});
  expect(org.counters().tokenRequests).toEqual({ refresh_token: { success: 1 } });
});
