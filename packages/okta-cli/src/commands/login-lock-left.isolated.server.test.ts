/**
 * `okta-auth login` (run in this process, so that the file system can fail where the test says) over
 * an existing sign-in when the token file's lock cannot be removed after its first write (`EPERM`: a
 * lock made immutable, a file system that refuses): the new tokens are stored, so the tokens they
 * replaced are revoked as on the normal path, and only then does the login fail (exit 3) naming the
 * lock to delete. Before, the lock's error ended the login at the write: the replaced sign-in was
 * never revoked and stayed valid at Okta, held by no one.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '@org/okta-test-utils';
import { expect, it, vi } from 'vitest';
import { inProcess } from '../test-helpers/in-process.js';
import { rmHook } from '../test-helpers/rm-hook.js';
import { loginAsAda, runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

vi.mock('node:fs', async (original) => (await import('../test-helpers/rm-hook.js')).withRmHook(await original()));

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp) }), { deviceIntervalSeconds: 1 });
const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');
const key = () => `okta-auth:${setup.org.url}:${setup.bearerApp}:tokens`;

/** The refresh token stored in the token file now. */
function storedRefreshToken(): string {
  const entries = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>;
  return (JSON.parse(entries[key()] ?? 'null') as { refreshToken: string }).refreshToken;
}

/** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
async function active(refreshToken: string): Promise<boolean> {
  const answer = await fetch(`${setup.org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: setup.bearerApp }) });
  return ((await answer.json()) as { active: boolean }).active;
}

/** `okta-auth login` in this process, approved as ada: its exit code and what it wrote on stderr. */
async function login(): Promise<{ code: number; stderr: string }> {
  const run = inProcess(['login', '--no-browser'], setup.box);
  const device = /and check that it shows the code (\S+)/;
  await until(() => device.test(run.stderr()), 'the device code');
  setup.org.approveDevice(device.exec(run.stderr())?.[1] ?? '', 'ada@example.com');
  return { code: await run.code, stderr: run.stderr() };
}

it('a login whose first write leaves the lock (it cannot be removed) still revokes the sign-in it replaced, then names the lock to delete', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const replaced = storedRefreshToken();
  const lock = `${tokenFile()}.lock`;

  // The lock's removal fails once, after the new sign-in's write.
  rmHook.before = (path) => {
    if (path !== lock) return;
    rmHook.before = undefined;
    throw Object.assign(new Error(`EPERM: operation not permitted, unlink '${path}'`), { code: 'EPERM' });
  };
  let failed: { code: number; stderr: string };
  try {
    failed = await login();
  } finally {
    rmHook.before = undefined;
  }
  const escaped = lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(failed.stderr).toMatch(/Signed in as ada@example\.com to .* \(tokens in .*\)\.\nThe previous sign-in's tokens were revoked at Okta\.\n/);
  expect(failed.stderr).toMatch(new RegExp(`\\nokta-auth: ${escaped} could not be removed after the change \\(EPERM\\): delete it\\.\\n$`));
  expect(failed.code).toBe(3);
  // The new sign-in is stored and valid; the one it replaced is revoked.
  const now = storedRefreshToken();
  expect(now).not.toBe(replaced);
  expect(await active(replaced)).toBe(false);
  expect(await active(now)).toBe(true);

  unlinkSync(lock);
  const again = await runCli(['logout'], { cwd: setup.box.cwd, env: setup.box.env });
  expect(again.stderr).toMatch(/revoked at Okta and deleted here/);
  expect(again.code, again.stderr).toBe(0);
});
