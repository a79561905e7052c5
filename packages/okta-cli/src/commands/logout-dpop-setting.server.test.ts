/**
 * `logout` of DPoP-bound tokens when the profile no longer says `dpop: true` (the built binary on
 * the emulator): signed in with `OKTA_CLIENT_DPOP=true` exported in one shell, signed out from
 * another without it, or the setting removed since. The tokens can only be used, and revoked, with
 * the key the token file keeps beside them. Before, `logout` restored them without DPoP, found
 * nothing it could use and said "nothing to revoke": the refresh token stayed live at Okta and in
 * the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceSignInOrg, requireBuiltCli, runCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let dpopApp: string;

beforeAll(async () => {
  requireBuiltCli();
  let signInApp: (opts?: { requireDpop?: boolean }) => string;
  ({ org, signInApp } = await deviceSignInOrg(1));
  dpopApp = signInApp({ requireDpop: true });
  box = sandbox();
  box.writeYaml('cwd', { client: { orgUrl: org.url, authorizationMode: 'User', clientId: dpopApp, scopes: 'openid profile offline_access okta.users.read' } });
});

afterAll(async () => {
  await org.close();
  box.remove();
});

const tokenFile = () => join(box.xdg, 'okta-auth', 'tokens', 'default.json');

/** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
async function active(refreshToken: string): Promise<boolean> {
  const answer = await fetch(`${org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: dpopApp }) });
  return ((await answer.json()) as { active: boolean }).active;
}

it('a sign-in made with OKTA_CLIENT_DPOP=true is revoked and deleted by a logout run without it', async () => {
  const withDpop = { ...box.env, OKTA_CLIENT_DPOP: 'true' };
  const running = startCli(['login'], { cwd: box.cwd, env: withDpop });
  const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
  org.approveDevice(code ?? '', 'ada@example.com');
  const signedIn = await running.result;
  expect(signedIn.code, signedIn.stderr).toBe(0);
  const entries = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>;
  const tokens = JSON.parse(entries[`okta-auth:${org.url}:${dpopApp}:tokens`] ?? 'null') as { refreshToken: string; tokenType: string };
  expect(tokens.tokenType).toBe('DPoP');
  expect(await active(tokens.refreshToken)).toBe(true);

  const logout = await runCli(['logout'], { cwd: box.cwd, env: box.env });
  expect(logout.stderr).toMatch(/revoked at Okta and deleted here/);
  expect(logout.code, logout.stderr).toBe(0);
  expect(await active(tokens.refreshToken)).toBe(false);
  expect(existsSync(tokenFile())).toBe(false);
});
