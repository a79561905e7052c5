/**
 * A renewal that finds the token file's lock dated in the future (planted by another local user, or
 * written through an NFS server whose clock runs ahead), its holder no one can ask (another
 * machine's) and touching it no more. Before, its date kept it fresh: each run waited until its
 * bound ended it (`api`'s is its request's `--timeout`, 30 s by default: "the credential's authorize
 * did not settle within 30 s (--timeout); nothing was sent."), and the lock stayed for every later
 * run. Now a lock dated more than 60 s ahead is taken over at once (a built CLI process, default
 * flags), and one dated ahead within that once the run has seen it unchanged for the stale age (30 s,
 * shortened here through `lockAge`, so that run is in this process: `inProcess`).
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../test-helpers/cli.js';
import { signedInToRenew, staleAgeForThisTest, type SignedInToRenew } from '../test-helpers/held-renewal.js';
import { inProcess } from '../test-helpers/in-process.js';

/** Ada signed in with tokens `api` renews before its call ({@link signedInToRenew}), and another host's lock dated `aheadMs` ahead. */
async function signedInBehindLock(aheadMs: number): Promise<SignedInToRenew> {
  const signedIn = await signedInToRenew();
  mkdirSync(dirname(signedIn.lock), { recursive: true });
  writeFileSync(signedIn.lock, '99999999 another-host\n', { flag: 'wx', mode: 0o600 });
  const ahead = new Date(Date.now() + aheadMs);
  utimesSync(signedIn.lock, ahead, ahead);
  return signedIn;
}

it('a renewal finding the lock dated an hour ahead takes it over at once: one refresh, exit 0, no lock left', async () => {
  const { org, box, lock } = await signedInBehindLock(3_600_000);
  const result = await runCli(['api', 'GET', '/api/v1/users?limit=1'], { cwd: box.cwd, env: box.env, timeoutMs: 120_000 });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(org.counters().tokenRequests).toEqual({ refresh_token: { success: 1 } });
  expect(existsSync(lock)).toBe(false);
});

it('a renewal takes over a lock dated 50 s ahead once seen unchanged for the stale age, within its bound: one refresh, exit 0', async () => {
  const { org, box, lock } = await signedInBehindLock(50_000);
  staleAgeForThisTest(600);
  // A bound of 10 s, many stale ages: before, all of it waited. Not 3 s: the renewal's token request and the call run
  // under it too, and a loaded machine's token answer took over 3 s.
  const run = inProcess(['api', 'GET', '/api/v1/users?limit=1', '--timeout', '10', '--max-wait', '0'], box);
  const code = await run.code;
  expect(run.stderr()).toBe('');
  expect(code).toBe(0);
  expect(org.counters().tokenRequests).toEqual({ refresh_token: { success: 1 } });
  expect(existsSync(lock)).toBe(false);
});
