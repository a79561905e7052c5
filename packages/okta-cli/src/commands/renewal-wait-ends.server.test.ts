/**
 * A renewal waiting for another okta-auth's lock ends with the run's attempt (lockwait156). Before, `api`
 * with the token file's lock held by a live run reported "the credential's authorize did not settle
 * within 3 s (--timeout)" but the process lived on until the wait for the lock reached its own bound
 * (`--timeout` plus `--max-wait`: 68 s here): the credential's fleet wait was aborted only at that
 * bound, never when the attempt that waited for it ended. Here the holder keeps its lock fresh for the
 * whole test: the run must still exit, with the timeout, and leave the holder's lock as it was.
 */
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD, startEmulator } from '@org/okta-emulator';
import { expect, it, onTestFinished } from 'vitest';
import { ownerLine } from '../file-lock.js';
import { loginAsAda, requireBuiltCli, runCli, sandbox, userProfile } from '../test-helpers/cli.js';

it("a renewal behind a live holder's lock: the run ends with its --timeout, and the holder's lock stays as it was", { timeout: 60_000 }, async () => {
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
  // Access tokens of 30 s: within the CLI's 60 s renewal floor, so the run renews before its call.
  org.setTokenLifetime(30);
  await loginAsAda(org, ['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  org.setTokenLifetime(3600);
  org.resetCounters();
  // The holder: this test's process (running), touching its lock every second as a renewing run does.
  const tokens = join(box.xdg, 'okta-auth', 'tokens');
  mkdirSync(tokens, { recursive: true });
  const lock = join(tokens, 'default.json.lock');
  writeFileSync(lock, ownerLine(), { flag: 'wx', mode: 0o600 });
  const heartbeat = setInterval(() => {
    const now = new Date();
    // Gone once the test's folder is removed.
    if (existsSync(lock)) utimesSync(lock, now, now);
  }, 1000);
  onTestFinished(() => {
    clearInterval(heartbeat);
  });
  // The spawn's own bound (40 s) only ends a run that never exits: under the holder, before, it waited 68 s.
  const result = await runCli(['api', 'GET', '/api/v1/users?limit=1', '--timeout', '3'], { cwd: box.cwd, env: box.env, timeoutMs: 40_000 });
  expect(result.stderr).toMatch(/did not settle within 3 s \(--timeout\)/);
  expect(result.code).not.toBeNull();
  expect(result.code).not.toBe(0);
  expect(existsSync(lock)).toBe(true);
  expect(readFileSync(lock, 'utf8')).toBe(ownerLine());
  expect(org.counters().tokenRequests).toEqual({});
});
