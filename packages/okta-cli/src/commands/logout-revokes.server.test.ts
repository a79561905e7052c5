/**
 * `logout` revokes what it deletes, or keeps it (the built binary on the emulator).
 *
 * - DPoP-bound tokens when the profile no longer says `dpop: true` (signed in with
 *   `OKTA_CLIENT_DPOP=true` exported in one shell, signed out from another without it): they are
 *   revoked with the key the token file keeps beside them. Before, `logout` restored them without
 *   DPoP, found nothing it could use and said "nothing to revoke", the refresh token left live at
 *   Okta and in the file.
 * - Okta not revoking them (its revocation endpoint dropping the connection): the tokens are still
 *   live at Okta, so they are kept here and the command fails with the network's exit code, to be
 *   run again. Before, the sign-out ended the local session first, what it reported as not revoked
 *   was ignored, and `logout` printed "the tokens were revoked at Okta and deleted here" and exited
 *   0: the refresh token stayed live at Okta, out of the user's reach.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { until } from '@org/okta-test-utils';
import { describe, it, type TestContext } from 'vitest';
import { loginAsAda, runCli, startUserProfileOrg, userProfile } from '../test-helpers/cli.js';
import { ownerLine } from '../file-lock.js';

const plain = ['--profile', 'plain'];

/**
 * Each test's own org (its faults, its counters) and sandbox (its token files), closed when it ends, and
 * the helpers that use them: the tests run at once, each sign-in's wait for its poll, each held answer
 * and the lock's 5 s beside the others'.
 */
async function setUp({ onTestFinished }: TestContext) {
  // OKTA_CLIENT_* variables apply to the default profile only.
  const setup = await startUserProfileOrg(({ org, bearerApp, dpopApp }) => ({ client: userProfile(org, dpopApp), profiles: { plain: userProfile(org, bearerApp), other: userProfile(org, bearerApp) } }), { deviceIntervalSeconds: 1 });
  onTestFinished(() => setup.close());

  const tokenFile = (profile: string) => join(setup.box.xdg, 'okta-auth', 'tokens', `${profile}.json`);
  const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });

  /** Signs ada in with `okta-auth … login`: the token file's text and the stored tokens. */
  async function login(args: string[], clientId: string, env = setup.box.env): Promise<{ stored: string; accessToken: string; refreshToken: string; tokenType: string }> {
    await loginAsAda(setup.org, [...args, 'login'], { cwd: setup.box.cwd, env: env });
    const stored = readFileSync(tokenFile(args[1] ?? 'default'), 'utf8');
    const entries = JSON.parse(stored) as Record<string, string>;
    return { stored, ...(JSON.parse(entries[`okta-auth:${setup.org.url}:${clientId}:tokens`] ?? 'null') as { accessToken: string; refreshToken: string; tokenType: string }) };
  }

  /** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
  async function active(refreshToken: string, clientId: string): Promise<boolean> {
    const answer = await fetch(`${setup.org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: clientId }) });
    return ((await answer.json()) as { active: boolean }).active;
  }

  return { setup, tokenFile, cli, login, active };
}

describe.concurrent('logout', () => {
  it('a sign-in made with OKTA_CLIENT_DPOP=true is revoked and deleted by a logout run without it', async (context) => {
    const { expect } = context;
    const { setup, tokenFile, cli, login, active } = await setUp(context);
    const tokens = await login([], setup.dpopApp, { ...setup.box.env, OKTA_CLIENT_DPOP: 'true' });
    expect(tokens.tokenType).toBe('DPoP');
    expect(await active(tokens.refreshToken, setup.dpopApp)).toBe(true);

    const logout = await cli(['logout']);
    expect(logout.stderr).toMatch(/revoked at Okta and deleted here/);
    expect(logout.code, logout.stderr).toBe(0);
    expect(await active(tokens.refreshToken, setup.dpopApp)).toBe(false);
    expect(existsSync(tokenFile('default'))).toBe(false);
  });

  it('a logout Okta does not answer keeps the live tokens, says so and exits 5; run again, it revokes and deletes them', async (context) => {
    const { expect } = context;
    const { setup, tokenFile, cli, login, active } = await setUp(context);
    const { stored, refreshToken } = await login(plain, setup.bearerApp);

    // Both revocations (refresh token, then access token) lose their connection: a POST is never sent again.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 2 });
    const failed = await cli([...plain, 'logout']);
    expect(failed.stderr).not.toMatch(/revoked at Okta and deleted here/);
    expect(failed.stderr).toMatch(/^okta-auth: Okta did not revoke the refresh token and the access token .*: the tokens are kept here \(still valid at Okta\); run okta-auth logout again\.\n$/);
    expect(failed.code, failed.stderr).toBe(5);
    expect(await active(refreshToken, setup.bearerApp)).toBe(true);
    expect(readFileSync(tokenFile('plain'), 'utf8')).toBe(stored);

    const again = await cli([...plain, 'logout']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/revoked at Okta and deleted here/);
    expect(await active(refreshToken, setup.bearerApp)).toBe(false);
    expect(existsSync(tokenFile('plain'))).toBe(false);
  });

  // RFC 7009 §2.2.1: a server may refuse to revoke a kind of token. Another logout would be refused
  // again: the tokens are deleted, and the message names what stays valid instead of "revoked".
  it('tokens Okta answers unsupported_token_type for are deleted, and the message says they stay valid until they expire', async (context) => {
    const { expect } = context;
    const { setup, tokenFile, cli, login } = await setUp(context);
    await login(plain, setup.bearerApp);
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 400, body: { error: 'unsupported_token_type', error_description: 'not revocable here' }, count: 2 });
    const out = await cli([...plain, 'logout']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toBe(
      `Signed out of ${setup.org.url}: the tokens were deleted here. Okta does not revoke the refresh token (unsupported_token_type): it stays valid until it expires. Okta does not revoke the access token (unsupported_token_type): it stays valid until it expires.\n`,
    );
    expect(existsSync(tokenFile('plain'))).toBe(false);
  });

  it('a logout that cannot put back the tokens Okta did not revoke (another sign-in was stored meanwhile) says they are not kept, and leaves that sign-in', async (context) => {
    const { expect } = context;
    const { setup, tokenFile, cli, login, active } = await setUp(context);
    const key = `okta-auth:${setup.org.url}:${setup.bearerApp}:tokens`;
    await login(plain, setup.bearerApp);
    // The sign-in another okta-auth's login stores meanwhile (made under another profile, same org and app).
    const other = await login(['--profile', 'other'], setup.bearerApp);
    const otherEntry = (JSON.parse(other.stored) as Record<string, string>)[key] ?? '';

    // The first revocation is held a second (then answered), the second loses its connection: one
    // token stays live at Okta. While the first is held, the other login finds no tokens (the logout
    // removed them: nothing for it to revoke) and stores its own, under the file's lock. This test is
    // that login: its look at the counter is a timer due sooner than the held answer, so it runs
    // first (timers fire in deadline order), and so does the write after it.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'latency', latencyMs: 1000, count: 1 });
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 1 });
    setup.org.resetCounters();
    const logout = cli([...plain, 'logout']);
    await until(() => (setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0) >= 1, 'the logout revoking the tokens', 20, context);
    const path = tokenFile('plain');
    expect(existsSync(path)).toBe(false);
    writeFileSync(`${path}.lock`, '', { flag: 'wx', mode: 0o600 });
    writeFileSync(path, `${JSON.stringify({ [key]: otherEntry })}\n`, { mode: 0o600 });
    unlinkSync(`${path}.lock`);

    const failed = await logout;
    expect(failed.code, failed.stderr).toBe(5);
    // Before, it said "the tokens are kept here (still valid at Okta)", which they were not.
    expect(failed.stderr).toMatch(/^okta-auth: Okta did not revoke the (refresh|access) token \(.*\), and they are not kept here: another okta-auth stored or removed a sign-in meanwhile; unless it revoked them, they stay valid at Okta until they expire; an Okta admin can revoke them sooner \(Admin Console › Directory › People › the person › More Actions › Clear user sessions, which signs the person out everywhere\)\.\n$/);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ [key]: otherEntry });
    expect(await active(other.refreshToken, setup.bearerApp)).toBe(true);
  });

  it("a logout that cannot put back the tokens Okta did not revoke (a live okta-auth holds the token file's lock) says they are not kept and stay valid at Okta", async (context) => {
    const { expect } = context;
    const { setup, tokenFile, cli, login, active } = await setUp(context);
    const { refreshToken } = await login(plain, setup.bearerApp);
    // The refresh token's revocation fails (Okta answers 503), the access token's is held a second
    // (then answered). While it is held, another okta-auth (this test's process, which runs) takes
    // the token file's lock, and keeps it past the logout's 5 s wait for it: this test's look at the
    // counter is a timer due sooner than the held answer, so it runs first, and so does the write.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, count: 1 });
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'latency', latencyMs: 1000, count: 1 });
    setup.org.resetCounters();
    const logout = cli([...plain, 'logout']);
    await until(() => (setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0) >= 2, 'the logout revoking the access token', 20, context);
    const path = tokenFile('plain');
    expect(existsSync(path)).toBe(false);
    const lock = `${path}.lock`;
    writeFileSync(lock, ownerLine(), { flag: 'wx', mode: 0o600 });
    let failed: Awaited<typeof logout>;
    try {
      failed = await logout;
    } finally {
      unlinkSync(lock);
    }
    expect(await active(refreshToken, setup.bearerApp)).toBe(true);
    // Before, it printed the lock's error alone ("try again once it has ended"): run again, logout
    // found nothing to revoke, and the refresh token stayed live at Okta with no word of it.
    expect(failed.stderr).toMatch(/^okta-auth: Okta did not revoke the refresh token \(.*\), and they are not kept here: the token file could not be written \(.*plain\.json\.lock is held by another okta-auth \(process \d+\): okta-auth logout run again once it has ended will not find them\); they stay valid at Okta until they expire; an Okta admin can revoke them sooner \(Admin Console › Directory › People › the person › More Actions › Clear user sessions, which signs the person out everywhere\)\.\n$/);
    // Before, the lock's own advice was inside it ("try again once it has ended"), which finds nothing to revoke.
    expect(failed.stderr).not.toMatch(/try again/);
    // Okta's 503 refused nothing (exit 9, Okta failed): 4 would tell a script to sign in again.
    expect(failed.code, failed.stderr).toBe(9);
    expect(existsSync(path)).toBe(false);
  });
});
