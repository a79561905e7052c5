/**
 * `login` over an existing sign-in revokes the tokens it replaces (the built binary on the emulator).
 *
 * Before, the new tokens overwrote the old ones in the token file and nothing revoked them: the old
 * refresh token stayed valid at Okta, held by no one, until it expired. Now, once the new sign-in is
 * stored, the replaced tokens are revoked (each revocation one attempt, bounded by the request
 * timeout); when Okta does not revoke them the login still succeeds and says so.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { OktaEmulator } from '@org/okta-emulator';
import { until } from '@org/okta-test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceSignInOrg, requireBuiltCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let bearerApp: string;
let dpopApp: string;

beforeAll(async () => {
  requireBuiltCli();
  let signInApp: (opts?: { requireDpop?: boolean }) => string;
  ({ org, signInApp } = await deviceSignInOrg(1));
  bearerApp = signInApp();
  dpopApp = signInApp({ requireDpop: true });
  box = sandbox();
  const user = (clientId: string) => ({ orgUrl: org.url, authorizationMode: 'User', clientId, scopes: 'openid profile offline_access okta.users.read' });
  box.writeYaml('cwd', { client: user(bearerApp), profiles: { bound: { ...user(dpopApp), dpop: 'true' }, edited: user(bearerApp) } });
});

afterAll(async () => {
  await org.close();
  box.remove();
});

const tokenFile = (profile: string) => join(box.xdg, 'okta-auth', 'tokens', `${profile}.json`);

/** Signs ada in with `okta-auth … login`: what it printed and the refresh token it stored. */
async function login(args: string[], clientId: string): Promise<{ stderr: string; refreshToken: string }> {
  const running = startCli([...args, 'login'], { cwd: box.cwd, env: box.env });
  const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
  org.approveDevice(code ?? '', 'ada@example.com');
  const signedIn = await running.result;
  expect(signedIn.code, signedIn.stderr).toBe(0);
  const entries = JSON.parse(readFileSync(tokenFile(args[1] ?? 'default'), 'utf8')) as Record<string, string>;
  const { refreshToken } = JSON.parse(entries[`okta-auth:${org.url}:${clientId}:tokens`] ?? 'null') as { refreshToken: string };
  return { stderr: signedIn.stderr, refreshToken };
}

/** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
async function active(refreshToken: string, clientId: string): Promise<boolean> {
  const answer = await fetch(`${org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: clientId }) });
  return ((await answer.json()) as { active: boolean }).active;
}

it('a second login revokes the refresh token of the sign-in it replaces, and says so', async () => {
  const first = await login([], bearerApp);
  expect(first.stderr).not.toMatch(/previous sign-in/);
  const second = await login([], bearerApp);
  expect(second.refreshToken).not.toBe(first.refreshToken);
  expect(second.stderr).toMatch(/The previous sign-in's tokens were revoked at Okta\.\n$/);
  expect(await active(first.refreshToken, bearerApp)).toBe(false);
  expect(await active(second.refreshToken, bearerApp)).toBe(true);
});

it('a DPoP-bound sign-in replaced by another login is revoked too', async () => {
  const first = await login(['--profile', 'bound'], dpopApp);
  const second = await login(['--profile', 'bound'], dpopApp);
  expect(await active(first.refreshToken, dpopApp)).toBe(false);
  expect(await active(second.refreshToken, dpopApp)).toBe(true);
});

it('a login whose revocation of the replaced tokens Okta does not answer still succeeds, keeps the new sign-in and says what stays valid', async () => {
  const first = await login([], bearerApp);
  // Both revocations (refresh token, then access token) lose their connection: a POST is never sent again.
  org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 2 });
  const second = await login([], bearerApp);
  expect(second.stderr).toMatch(/Okta did not revoke the previous sign-in's refresh token and access token \(.+\): they stay valid at Okta until they expire\.\n$/);
  expect(await active(first.refreshToken, bearerApp)).toBe(true);
  expect(await active(second.refreshToken, bearerApp)).toBe(true);
});

it('a login over stored tokens it cannot read (an edited file) signs in and says they were not revoked', async () => {
  await login(['--profile', 'edited'], bearerApp);
  const path = tokenFile('edited');
  const entries = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  writeFileSync(path, JSON.stringify({ ...entries, [`okta-auth:${org.url}:${bearerApp}:tokens`]: 'not tokens' }), { mode: 0o600 });
  const again = await login(['--profile', 'edited'], bearerApp);
  expect(again.stderr).toMatch(/\nThe previous sign-in's tokens were not revoked: The stored tokens are not JSON\.\n$/);
  expect(await active(again.refreshToken, bearerApp)).toBe(true);
});

/** Whether the process's main thread waits in a futex: a synchronous wait (`Atomics.wait`), as okta-auth waits for the token file's lock between its tries. */
function waitsInFutex(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/wchan`, 'utf8').includes('futex');
  } catch {
    return false;
  }
}

it("reads the tokens it replaces under the token file's lock: a sign-in another okta-auth stored while this login waited for the lock is the one revoked", async () => {
  const key = `okta-auth:${org.url}:${bearerApp}:tokens`;
  await login([], bearerApp);
  // The sign-in another okta-auth's login stores meanwhile (made under another profile, same org and app).
  const other = await login(['--profile', 'edited'], bearerApp);
  const otherEntry = (JSON.parse(readFileSync(tokenFile('edited'), 'utf8')) as Record<string, string>)[key] ?? '';
  // This test is that other okta-auth, mid-write: it holds the default profile's lock (naming this running process).
  const path = tokenFile('default');
  writeFileSync(`${path}.lock`, `${process.pid} ${hostname()}\n`, { flag: 'wx', mode: 0o600 });
  const running = startCli(['login'], { cwd: box.cwd, env: box.env });
  try {
    const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
    org.approveDevice(code ?? '', 'ada@example.com');
    // The login is approved and waits for the lock (three looks in a row, 20 ms apart: not a garbage collection's short wait).
    let seen = 0;
    await until(() => (seen = waitsInFutex(running.pid ?? 0) ? seen + 1 : 0) >= 3, "the login's wait for the token file lock");
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
  expect(await active(other.refreshToken, bearerApp)).toBe(false);
  const { refreshToken } = JSON.parse((JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)[key] ?? 'null') as { refreshToken: string };
  expect(await active(refreshToken, bearerApp)).toBe(true);
});
