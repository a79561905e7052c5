/**
 * `okta-auth logout` (run in this process, so that the file system can fail where the test says) when
 * Okta does not revoke the tokens and the token file's lock cannot be removed after the put-back
 * (`EPERM`: a lock made immutable, a file system that refuses): the tokens were put back, so the
 * message says they are kept, names the lock left behind and says to delete it before running
 * `logout` again (the next run would find the lock, its owner gone, and fail to remove it too).
 * Before, the file system's error replaced the put-back's result and `logout` said the tokens were
 * "not kept here" and "stay valid at Okta until they expire", which they were not.
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { inProcess } from '../test-helpers/in-process.js';
import { rmHook } from '../test-helpers/rm-hook.js';
import { loginAsAda, runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

vi.mock('node:fs', async (original) => (await import('../test-helpers/rm-hook.js')).withRmHook(await original()));

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp) }));
const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');

/** `okta-auth logout` in this process: its exit code and what it wrote on stderr. */
async function logout(): Promise<{ code: number; stderr: string }> {
  const run = inProcess(['logout'], setup.box);
  return { code: await run.code, stderr: run.stderr() };
}

it('a logout whose put-back leaves the lock (it cannot be removed) says the tokens are kept and names the lock to delete', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const stored = readFileSync(tokenFile(), 'utf8');
  const lock = `${tokenFile()}.lock`;

  // Both revocations lose their connection: the tokens are put back. The lock's removal fails once
  // the file holds the tokens again: the put-back's (the sign-out's removal left no file).
  setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 2 });
  rmHook.before = (path) => {
    if (path !== lock) return;
    let now: string | undefined;
    try {
      now = readFileSync(tokenFile(), 'utf8');
    } catch {
      return;
    }
    if (now === stored) throw Object.assign(new Error(`EPERM: operation not permitted, unlink '${path}'`), { code: 'EPERM' });
  };
  let failed: { code: number; stderr: string };
  try {
    failed = await logout();
  } finally {
    rmHook.before = undefined;
  }
  const escaped = lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(failed.stderr).toMatch(
    new RegExp(`^okta-auth: Okta did not revoke the refresh token and the access token \\(.*\\): the tokens are kept here \\(still valid at Okta\\), but ${escaped} could not be removed after the change \\(EPERM\\): delete it, then run okta-auth logout again\\.\\n$`),
  );
  expect(failed.code).toBe(5);
  expect(readFileSync(tokenFile(), 'utf8')).toBe(stored);

  unlinkSync(lock);
  const again = await runCli(['logout'], { cwd: setup.box.cwd, env: setup.box.env });
  expect(again.stderr).toMatch(/revoked at Okta and deleted here/);
  expect(again.code, again.stderr).toBe(0);
});
