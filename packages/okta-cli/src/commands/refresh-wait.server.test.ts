/**
 * A renewal held at Okta longer than the lock's 5 s wait (slow Okta, a 429's wait): the second run
 * keeps waiting while the first run's lock is fresh, within its own bound (`--timeout` plus
 * `--max-wait`), and then takes the first run's renewal. Before, it stopped waiting after 5 s and
 * sent the same rotating refresh token itself; with grace period 0 Okta refused one of the two (exit 4).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_PASSWORD, startEmulator } from '@org/okta-emulator';
import { expect, it, onTestFinished } from 'vitest';
import { loginAsAda, requireBuiltCli, sandbox, startCli, userProfile } from '../test-helpers/cli.js';

it('a renewal held at Okta past 5 s: the second run waits on while the lock is fresh and uses its renewal; one refresh sent', async () => {
  requireBuiltCli();
  const org = await startEmulator({ seed: { users: 1 }, deviceIntervalSeconds: 1 });
  const box = sandbox();
  onTestFinished(async () => {
    await org.close();
    box.remove();
  });
  org.createUser({ login: 'ada@example.com', password: SEED_PASSWORD, admin: true });
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 }).clientId;
  box.writeYaml('cwd', { client: userProfile(org, app) });
  // Access tokens of 30 s: within the CLI's 60 s renewal floor, so each run renews before its call.
  org.setTokenLifetime(30);
  await loginAsAda(org, ['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  org.setTokenLifetime(3600);
  org.resetCounters();
  const hold = org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  const [a, b] = [startCli(args, { cwd: box.cwd, env: box.env }), startCli(args, { cwd: box.cwd, env: box.env })];
  while (org.heldAnswers(hold) === 0) await sleep(20);
  // Past the 5 s wait: before, the other run sent the same refresh token then, and one of them ended (exit 4).
  const ended = await Promise.race([a.result, b.result, sleep(7000).then(() => undefined)]);
  const sent = org.counters().tokenRequests;
  // The held refresh goes on past the grace period.
  org.setClockOffset(2);
  org.removeFault(hold);
  const [first, second] = await Promise.all([a.result, b.result]);
  expect([first.stderr, second.stderr]).toEqual(['', '']);
  expect([first.code, second.code]).toEqual([0, 0]);
  expect(ended).toBeUndefined();
  expect(sent).toEqual({});
  expect(org.counters().tokenRequests).toEqual({ refresh_token: { success: 1 } });
});
