/**
 * A renewal held at Okta past the lock's stale age (30 s, shortened here through `lockAge`): the
 * holder keeps its lock fresh while the request runs, so a second run waits for it and takes its
 * renewal. Before, the second run took the lock over as a stopped process's and sent the same
 * rotating refresh token; with grace period 0 Okta refused the first (exit 4, signed out).
 * Two runs in this process (`inProcess`), so that the shortened age applies to both.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_PASSWORD, startEmulator } from '@org/okta-emulator';
import { expect, it, onTestFinished } from 'vitest';
import { lockAge } from '../file-lock.js';
import { loginAsAda, requireBuiltCli, sandbox, userProfile } from '../test-helpers/cli.js';
import { inProcess } from '../test-helpers/in-process.js';

it('a renewal held past the stale age keeps its lock: the second run waits and uses its renewal, one refresh sent', async () => {
  requireBuiltCli();
  const org = await startEmulator({ seed: { users: 1 }, deviceIntervalSeconds: 1 });
  const box = sandbox();
  onTestFinished(async () => {
    lockAge.staleMs = 30_000;
    await org.close();
    box.remove();
  });
  org.createUser({ login: 'ada@example.com', password: SEED_PASSWORD, admin: true });
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['okta.users.read'], refreshTokenRotation: 'rotate', refreshTokenLeewaySeconds: 0 }).clientId;
  box.writeYaml('cwd', { client: userProfile(org, app) });
  org.setTokenLifetime(30);
  await loginAsAda(org, ['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  org.setTokenLifetime(3600);
  org.resetCounters();
  lockAge.staleMs = 600;
  const hold = org.injectFault({ path: '/oauth2/v1/token', kind: 'hold', count: 1 });
  const args = ['api', 'GET', '/api/v1/users?limit=1'];
  const [a, b] = [inProcess(args, box), inProcess(args, box)];
  while (org.heldAnswers(hold) === 0) await sleep(20);
  const lock = join(box.xdg, 'okta-auth', 'tokens', 'default.json.lock');
  expect(existsSync(lock)).toBe(true);
  // Four stale ages: before, the other run took the lock over and renewed meanwhile.
  const ended = await Promise.race([a.code, b.code, sleep(2400).then(() => undefined)]);
  org.setClockOffset(2);
  org.removeFault(hold);
  const codes = await Promise.all([a.code, b.code]);
  expect([a.stderr(), b.stderr()]).toEqual(['', '']);
  expect(codes).toEqual([0, 0]);
  expect(ended).toBeUndefined();
  expect(org.counters().tokenRequests).toMatchObject({ refresh_token: { success: 1 } });
  // The heartbeat ended with the renewal: the lock is gone, no timer left touching it.
  expect(existsSync(lock)).toBe(false);
});
