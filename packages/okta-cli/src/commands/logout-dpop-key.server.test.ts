/**
 * A DPoP profile's key and its tokens, with `logout` and `login` run at once in separate okta-auth
 * processes (the built binary): the key (`okta-auth:dpop-key` in the token file) goes only when no
 * tokens it signs for are left, decided under the file's lock, and a login writes its key with its
 * tokens. Before, `logout` removed the key after sign-out whatever the file held then, so another
 * login's new tokens stayed without their key and the next run could not use them.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_PASSWORD } from '@org/okta-emulator';
import { until } from '@org/okta-test-utils';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { runCli, startCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, dpopApp }) => ({ client: { ...userProfile(org, dpopApp), dpop: true } }));

beforeAll(() => {
  setup.org.createUser({ login: 'grace@example.com', password: SEED_PASSWORD, admin: true });
});

afterEach(async () => {
  await cli(['logout']);
});

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

it("a logout while another okta-auth login waits for approval: the login's tokens are stored with their key and used", async () => {
  const pending = await startLogin();
  const logout = await cli(['logout']);
  expect(logout.stderr).toMatch(/Not signed in/);
  setup.org.approveDevice(pending.code, 'ada@example.com');
  const done = await pending.result;
  expect(done.code, done.stderr).toBe(0);
  expect(Object.keys(fileEntries()).sort()).toEqual(['okta-auth:dpop-key', tokensKey()]);
  expect(await me()).toBe('ada@example.com');
});

it("a logout whose removal finds another login's new tokens leaves their key: the next run uses them", async () => {
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
  await until(() => (setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0) >= 1, "the logout revoking ada's tokens");
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
