/**
 * A DPoP profile's key and its tokens, with `logout` and `login` run at once in separate okta-auth
 * processes (the built binary): the key (`okta-auth:dpop-key` in the token file) goes only when no
 * tokens it signs for are left, decided under the file's lock, and a login writes its key with its
 * tokens. Before, `logout` removed the key after sign-out whatever the file held then, so another
 * login's new tokens stayed without their key and the next run could not use them. Tokens a
 * `logout` puts back (Okta did not revoke one) are written with their key too.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD } from '@org/okta-emulator';
import { until } from '@org/okta-test-utils';
import { describe, it, type TestContext } from 'vitest';
import { runCli, startCli, startUserProfileOrg, userProfile } from '../test-helpers/cli.js';

/**
 * Each test's own org (its faults, its counters) and sandbox (its token file and DPoP key), closed when
 * it ends, and the helpers that use them: the tests run at once, each sign-in's wait for its poll and
 * each held answer beside the others'.
 */
async function setUp({ expect, onTestFinished }: TestContext) {
  const setup = await startUserProfileOrg(({ org, dpopApp }) => ({ client: { ...userProfile(org, dpopApp), dpop: true } }), { deviceIntervalSeconds: 1 });
  onTestFinished(() => setup.close());
  setup.org.createUser({ login: 'grace@example.com', password: SEED_PASSWORD, admin: true });

  const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });
  const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');
  const tokensKey = () => `okta-auth:${setup.org.url}:${setup.dpopApp}:tokens`;
  const fileEntries = () => JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>;

  /** Starts `okta-auth login` and resolves with its user code once it waits for approval (its DPoP key loaded by then). */
  async function startLogin(): Promise<{ code: string; result: ReturnType<typeof startCli>['result'] }> {
    const running = startCli(['login'], { cwd: setup.box.cwd, env: setup.box.env });
    const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
    return { code: code ?? '', result: running.result };
  }

  async function login(as: string): Promise<void> {
    const { code, result } = await startLogin();
    setup.org.approveDevice(code, as);
    const done = await result;
    expect(done.code, done.stderr).toBe(0);
  }

  async function me(): Promise<unknown> {
    const result = await cli(['api', 'GET', '/api/v1/users/me']);
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as { profile: { login: string } }).profile.login;
  }

  /** Whether the org still takes the token (RFC 7662 introspection, as the public app). */
  async function active(token: string): Promise<boolean> {
    const answer = await fetch(`${setup.org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token, client_id: setup.dpopApp }) });
    return ((await answer.json()) as { active: boolean }).active;
  }

  return { setup, cli, tokenFile, tokensKey, fileEntries, startLogin, login, me, active };
}

describe.concurrent('logout and login at once, with a DPoP key', () => {
  it("a logout while another okta-auth login waits for approval: the login's tokens are stored with their key and used", async (context) => {
    const { expect } = context;
    const { setup, cli, tokensKey, fileEntries, startLogin, me } = await setUp(context);
    const pending = await startLogin();
    const logout = await cli(['logout']);
    expect(logout.stderr).toMatch(/Not signed in/);
    setup.org.approveDevice(pending.code, 'ada@example.com');
    const done = await pending.result;
    expect(done.code, done.stderr).toBe(0);
    expect(Object.keys(fileEntries()).sort()).toEqual(['okta-auth:dpop-key', tokensKey()]);
    expect(await me()).toBe('ada@example.com');
  });

  it("a logout whose removal finds another login's new tokens leaves their key: the next run uses them", async (context) => {
    const { expect } = context;
    const { setup, cli, tokenFile, fileEntries, login, me } = await setUp(context);
    await login('ada@example.com');
    const signedOut = fileEntries();
    await login('grace@example.com'); // the same key: the file holds it
    const newSignIn = fileEntries();
    expect(newSignIn['okta-auth:dpop-key']).toBe(signedOut['okta-auth:dpop-key']);
    writeFileSync(tokenFile(), `${JSON.stringify(signedOut)}\n`, { mode: 0o600 });

    // The other okta-auth login writes grace's tokens (with their key, under the file's lock) after
    // the logout removed ada's and before it is done: while Okta answers the logout's revocation.
    // The org holds that answer a second, and this test's look at the counter is a timer due
    // sooner, so it runs first (timers fire in deadline order), and so does the write after it.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'latency', latencyMs: 1000, count: 1 });
    setup.org.resetCounters();
    const logout = cli(['logout']);
    await until(() => (setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0) >= 1, "the logout revoking ada's tokens", 20, context);
    expect(Object.keys(fileEntries())).toEqual(['okta-auth:dpop-key']); // ada's tokens removed, the key not yet
    const lock = `${tokenFile()}.lock`;
    writeFileSync(lock, '', { flag: 'wx', mode: 0o600 });
    writeFileSync(tokenFile(), `${JSON.stringify(newSignIn)}\n`, { mode: 0o600 });
    unlinkSync(lock);
    const out = await logout;
    expect(out.code, out.stderr).toBe(0);

    expect(fileEntries()).toEqual(newSignIn);
    expect(await me()).toBe('grace@example.com');
  });

  it('tokens a logout puts back (Okta did not revoke one) are written with their key, even after another okta-auth removed it: the next logout revokes them', async (context) => {
    const { expect } = context;
    const { setup, cli, tokenFile, tokensKey, fileEntries, login, active } = await setUp(context);
    await login('ada@example.com');
    const { accessToken, refreshToken } = JSON.parse(fileEntries()[tokensKey()] ?? 'null') as { accessToken: string; refreshToken: string };

    // The first revocation is held a second (then answered), the second loses its connection: one
    // token stays live at Okta, so the logout puts the tokens back. While the first is held, another
    // okta-auth's logout finds no tokens in the file and removes the key, under the file's lock.
    // This test is that logout: its look at the counter is a timer due sooner than the held answer,
    // so it runs first (timers fire in deadline order), and so does the write after it.
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'latency', latencyMs: 1000, count: 1 });
    setup.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 1 });
    setup.org.resetCounters();
    const logout = cli(['logout']);
    await until(() => (setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0) >= 1, "the logout revoking ada's tokens", 20, context);
    expect(Object.keys(fileEntries())).toEqual(['okta-auth:dpop-key']);
    const lock = `${tokenFile()}.lock`;
    writeFileSync(lock, '', { flag: 'wx', mode: 0o600 });
    unlinkSync(tokenFile());
    unlinkSync(lock);
    const failed = await logout;
    expect(failed.stderr).toMatch(/^okta-auth: Okta did not revoke the (refresh|access) token .*: the tokens are kept here \(still valid at Okta\); run okta-auth logout again\.\n$/);
    expect(failed.code, failed.stderr).toBe(5);
    // Before, they came back without the key they are bound to (put back by an update that wrote the tokens alone),
    // against the file's rule that tokens are stored with their key (withDpopKey): a run would sign with a new key.
    expect(Object.keys(fileEntries()).sort()).toEqual(['okta-auth:dpop-key', tokensKey()]);

    const again = await cli(['logout']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/revoked at Okta and deleted here/);
    expect([await active(accessToken), await active(refreshToken)]).toEqual([false, false]);
  });
});
