/**
 * Two `okta-auth api` runs that renew a rotating refresh token at once, on an app whose rotation
 * grace period is 0 (`refreshTokenLeewaySeconds: 0`, which an Okta admin may set): the renewal holds
 * the token file's lock from its read to its write (`TokenFile.singleFlight`), so the second run
 * waits, then takes the first one's renewal. Before, both sent the same refresh token; Okta refused
 * the second (exit 4) and the sign-in was removed from the file, the first run's renewal with it.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runCli } from '../test-helpers/cli.js';
import { signedInToRenew, spawned, twoRunsTokenHeld } from '../test-helpers/held-renewal.js';

it.each([
  ['Bearer', false],
  ['DPoP-bound (the key written with the renewal)', true],
])('two %s runs renewing at once with grace period 0: the second waits for the first and uses its renewal; both succeed, one refresh sent', async (_, requireDpop) => {
  const { org, box, tokens } = await signedInToRenew({ refreshTokenLeewaySeconds: 0, requireDpop }, requireDpop ? { dpop: true } : {});
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  // The first token request is held (a DPoP refresh's first is answered use_dpop_nonce, and its retry goes on).
  // Before, the other run renewed meanwhile and ended; now it waits for the lock (up to 5 s) while the first is held.
  // The held refresh goes on past the grace period: before, its refresh token was spent by then.
  const runs = await twoRunsTokenHeld(org, () => spawned(args, box), { watchMs: 2000 });
  expect(runs.stderr).toEqual(['', '']);
  expect(runs.codes).toEqual([0, 0]);
  expect(runs.ended).toBeUndefined();
  expect(org.counters().tokenRequests).toMatchObject({ refresh_token: { success: 1 } });
  // The file holds the renewal: a third run uses it without asking Okta.
  const renewed = readFileSync(tokens, 'utf8');
  const third = await runCli(args, { cwd: box.cwd, env: box.env });
  expect(third.code, third.stderr).toBe(0);
  expect(readFileSync(tokens, 'utf8')).toBe(renewed);
});
