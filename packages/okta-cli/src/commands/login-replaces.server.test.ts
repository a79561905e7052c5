/**
 * `login` over an existing sign-in revokes the tokens it replaces (the built binary on the emulator).
 *
 * Before, the new tokens overwrote the old ones in the token file and nothing revoked them: the old
 * refresh token stayed valid at Okta, held by no one, until it expired. Now, once the new sign-in is
 * stored, the replaced tokens are revoked (each revocation one attempt, bounded by the request
 * timeout); when Okta does not revoke them the login still succeeds and says so.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '@org/okta-test-utils';
import { describe, it, type TestContext } from 'vitest';
import { loginAsAda, startCli, startUserProfileOrg, userProfile, type StartedUserProfileOrg } from '../test-helpers/cli.js';
import { ownerLine } from '../file-lock.js';

/**
 * Each test's own org (its faults, its counters) and sandbox (its token files), closed when it ends:
 * the tests run at once, each sign-in's wait for its poll beside the others'.
 */
async function setUp({ onTestFinished }: TestContext): Promise<StartedUserProfileOrg> {
  const setup = await startUserProfileOrg(({ org, bearerApp, dpopApp }) => ({
    client: userProfile(org, bearerApp),
    profiles: { bound: { ...userProfile(org, dpopApp), dpop: 'true' }, edited: userProfile(org, bearerApp) },
  }), { deviceIntervalSeconds: 1 });
  onTestFinished(() => setup.close());
  return setup;
}

const tokenFile = (setup: StartedUserProfileOrg, profile: string) => join(setup.box.xdg, 'okta-auth', 'tokens', `${profile}.json`);

/** Signs ada in with `okta-auth … login`: what it printed and the refresh token it stored. */
async function login(setup: StartedUserProfileOrg, args: string[], clientId: string): Promise<{ stderr: string; refreshToken: string }> {
  const signedIn = await loginAsAda(setup.org, [...args, 'login'], { cwd: setup.box.cwd, env: setup.box.env });
  const entries = JSON.parse(readFileSync(tokenFile(setup, args[1] ?? 'default'), 'utf8')) as Record<string, string>;
  const { refreshToken } = JSON.parse(entries[`okta-auth:${setup.org.url}:${clientId}:tokens`] ?? 'null') as { refreshToken: string };
  return { stderr: signedIn.stderr, refreshToken };
}

/** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
async function active(setup: StartedUserProfileOrg, refreshToken: string, clientId: string): Promise<boolean> {
  const answer = await fetch(`${setup.org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: clientId }) });
  return ((await answer.json()) as { active: boolean }).active;
}

describe.concurrent('login over an existing sign-in', () => {
  it('a second login revokes the refresh token of the sign-in it replaces, and says so', async (context) => {
    const { expect } = context;
    const setup = await setUp(context);
    const first = await login(setup, [], setup.bearerApp);
    expect(first.stderr).not.toMatch(/previous sign-in/);
    const second = await login(setup, [], setup.bearerApp);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.stderr).toMatch(/The previous sign-in's tokens were revoked at Okta\.\n$/);
    expect(await active(setup, first.refreshToken, setup.bearerApp)).toBe(false);
    expect(await active(setup, second.refreshToken, setup.bearerApp)).toBe(true);
  });

  it('a DPoP-bound sign-in replaced by another login is revoked too', async (context) => {
    const { expect } = context;
    const setup = await setUp(context);
    const first = await login(setup, ['--profile', 'bound'], setup.dpopApp);
    const second = await login(setup, ['--profile', 'bound'], setup.dpopApp);
    expect(await active(setup, first.refreshToken, setup.dpopApp)).toBe(false);
    expect(await active(setup, second.refreshToken, setup.dpopApp)).toBe(true);
  });

  it('a login whose revocation of the replaced tokens Okta does not answer still succeeds, keeps the new sign-in and says what stays valid', async (context) => {
    const { expect } = context;
    const setup = await setUp(context);
    const first = await login(setup, [], setup.bearerApp);
    // Both revocations (refresh token, then access token) lose their connection: a POST is never sent again.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 2 });
    const second = await login(setup, [], setup.bearerApp);
    expect(second.stderr).toMatch(/Okta did not revoke the previous sign-in's refresh token and access token \(.+\): they stay valid at Okta until they expire\.\n$/);
    expect(await active(setup, first.refreshToken, setup.bearerApp)).toBe(true);
    expect(await active(setup, second.refreshToken, setup.bearerApp)).toBe(true);
  });

  it('a login over stored tokens it cannot read (an edited file) signs in and says they were not revoked', async (context) => {
    const { expect } = context;
    const setup = await setUp(context);
    await login(setup, ['--profile', 'edited'], setup.bearerApp);
    const path = tokenFile(setup, 'edited');
    const entries = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
    writeFileSync(path, JSON.stringify({ ...entries, [`okta-auth:${setup.org.url}:${setup.bearerApp}:tokens`]: 'not tokens' }), { mode: 0o600 });
    const again = await login(setup, ['--profile', 'edited'], setup.bearerApp);
    expect(again.stderr).toMatch(/\nThe previous sign-in's tokens were not revoked: The stored tokens are not JSON\.\n$/);
    expect(await active(setup, again.refreshToken, setup.bearerApp)).toBe(true);
  });

  it("reads the tokens it replaces under the token file's lock: a sign-in another okta-auth stored while this login waited for the lock is the one revoked", async (context) => {
    const { expect } = context;
    const setup = await setUp(context);
    const key = `okta-auth:${setup.org.url}:${setup.bearerApp}:tokens`;
    await login(setup, [], setup.bearerApp);
    // The sign-in another okta-auth's login stores meanwhile (made under another profile, same org and app).
    const other = await login(setup, ['--profile', 'edited'], setup.bearerApp);
    const otherEntry = (JSON.parse(readFileSync(tokenFile(setup, 'edited'), 'utf8')) as Record<string, string>)[key] ?? '';
    // This test is that other okta-auth, mid-write: it holds the default profile's lock (naming this running process).
    const path = tokenFile(setup, 'default');
    writeFileSync(`${path}.lock`, ownerLine(), { flag: 'wx', mode: 0o600 });
    const running = startCli(['login'], { cwd: setup.box.cwd, env: setup.box.env });
    try {
      const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
      setup.org.approveDevice(code ?? '', 'ada@example.com');
      // The login is approved and waits for the lock (three looks in a row, 20 ms apart: not a garbage collection's short wait).
      let seen = 0;
      await until(() => (seen = waitsInFutex(running.pid ?? 0) ? seen + 1 : 0) >= 3, "the login's wait for the token file lock", 20, context);
      writeFileSync(`${path}.new`, `${JSON.stringify({ [key]: otherEntry })}\n`, { mode: 0o600 });
      renameSync(`${path}.new`, path);
    } finally {
      unlinkSync(`${path}.lock`);
    }
    const signedIn = await running.result;
    expect(signedIn.code, signedIn.stderr).toBe(0);
    expect(signedIn.stderr).toMatch(/The previous sign-in's tokens were revoked at Okta\.\n$/);
    // Before, the login read the file before the lock (the first sign-in), revoked that one, and wrote
    // over the other's: its refresh token stayed valid at Okta, held by no one.
    expect(await active(setup, other.refreshToken, setup.bearerApp)).toBe(false);
    const { refreshToken } = JSON.parse((JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)[key] ?? 'null') as { refreshToken: string };
    expect(await active(setup, refreshToken, setup.bearerApp)).toBe(true);
  });
});

/** Whether the process's main thread waits in a futex: a synchronous wait (`Atomics.wait`), as okta-auth waits for the token file's lock between its tries. */
function waitsInFutex(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/wchan`, 'utf8').includes('futex');
  } catch {
    return false;
  }
}
