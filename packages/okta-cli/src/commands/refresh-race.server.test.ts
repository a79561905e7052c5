/**
 * Two `okta-auth api` runs that renew a rotating refresh token at once, on an app whose rotation
 * grace period is 0 (`refreshTokenLeewaySeconds: 0`, which an Okta admin may set): the renewal holds
 * the token file's lock from its read to its write (`TokenFile.singleFlight`), so the second run
 * waits, then takes the first one's renewal. Before, both sent the same refresh token; Okta refused
 * the second (exit 4) and the sign-in was removed from the file, the first run's renewal with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_PASSWORD, startEmulator } from '@org/okta-emulator';
import { expect, it, onTestFinished } from 'vitest';
import { loginAsAda, requireBuiltCli, runCli, sandbox, startCli, userProfile } from '../test-helpers/cli.js';

it.each([
  ['Bearer', false],
  ['DPoP-bound (the key written with the renewal)', true],
])('two %s runs renewing at once with grace period 0: the second waits for the first and uses its renewal; both succeed, one refresh sent', async (_, requireDpop) => {
  requireBuiltCli();
  const org = await startEmulator({ seed: { users: 1 }, deviceIntervalSeconds: 1 });
  const box = sandbox();
  onTestFinished(async () => {
    await org.close();
    box.remove();
  });
  org.createUser({ login: 'ada@example.com', password: SEED_PASSWORD, admin: true });
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0, requireDpop }).clientId;
  box.writeYaml('cwd', { client: { ...userProfile(org, app), ...(requireDpop ? { dpop: true } : {}) } });
  // Access tokens of 30 s: within the CLI's 60 s renewal floor, so each run renews before its call.
  org.setTokenLifetime(30);
  await loginAsAda(org, ['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  org.setTokenLifetime(3600);
  org.resetCounters();
  // The first token request is held (a DPoP refresh's first is answered use_dpop_nonce, and its retry goes on).
  const hold = org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  const [a, b] = [startCli(args, { cwd: box.cwd, env: box.env }), startCli(args, { cwd: box.cwd, env: box.env })];
  while (org.heldAnswers(hold) === 0) await sleep(20);
  // Before, the other run renewed meanwhile and ended; now it waits for the lock (up to 5 s) while the first is held.
  const ended = await Promise.race([a.result, b.result, sleep(2000).then(() => undefined)]);
  // The held refresh goes on past the grace period: before, its refresh token was spent by then.
  org.setClockOffset(2);
  org.removeFault(hold);
  const [first, second] = await Promise.all([a.result, b.result]);
  expect([first.stderr, second.stderr]).toEqual(['', '']);
  expect([first.code, second.code]).toEqual([0, 0]);
  expect(ended).toBeUndefined();
  expect(org.counters().tokenRequests).toMatchObject({ refresh_token: { success: 1 } });
  // The file holds the renewal: a third run uses it without asking Okta.
  const tokens = readFileSync(join(box.xdg, 'okta-auth', 'tokens', 'default.json'), 'utf8');
  const third = await runCli(args, { cwd: box.cwd, env: box.env });
  expect(third.code, third.stderr).toBe(0);
  expect(readFileSync(join(box.xdg, 'okta-auth', 'tokens', 'default.json'), 'utf8')).toBe(tokens);
});
