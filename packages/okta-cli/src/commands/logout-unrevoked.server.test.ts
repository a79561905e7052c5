/**
 * `logout` when Okta does not revoke the tokens (the built binary on the emulator, its revocation
 * endpoint dropping the connection): the tokens are still live at Okta, so they are kept here and
 * the command fails with the network's exit code, to be run again. Before, the sign-out ended the
 * local session first, ignored what it reported as not revoked, printed "the tokens were revoked at
 * Okta and deleted here" and exited 0: the refresh token stayed live at Okta, out of the user's reach.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceSignInOrg, requireBuiltCli, runCli, sandbox, startCli, type Sandbox } from '../test-helpers/cli.js';

let org: OktaEmulator;
let box: Sandbox;
let app: string;

beforeAll(async () => {
  requireBuiltCli();
  let signInApp: () => string;
  ({ org, signInApp } = await deviceSignInOrg(1));
  app = signInApp();
  box = sandbox();
  box.writeYaml('cwd', { client: { orgUrl: org.url, authorizationMode: 'User', clientId: app, scopes: 'openid profile offline_access okta.users.read' } });
});

afterAll(async () => {
  await org.close();
  box.remove();
});

const tokenFile = () => join(box.xdg, 'okta-auth', 'tokens', 'default.json');
const cli = (args: string[]) => runCli(args, { cwd: box.cwd, env: box.env });

/** Whether the org still takes the refresh token (RFC 7662 introspection, as the public app). */
async function active(refreshToken: string): Promise<boolean> {
  const answer = await fetch(`${org.url}/oauth2/v1/introspect`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: app }) });
  return ((await answer.json()) as { active: boolean }).active;
}

/** Signs ada in with `okta-auth login`: the token file's text and the refresh token. */
async function login(): Promise<{ stored: string; refreshToken: string }> {
  const running = startCli(['login'], { cwd: box.cwd, env: box.env });
  const [, code] = await running.waitForStderr(/and check that it shows the code (\S+)/);
  org.approveDevice(code ?? '', 'ada@example.com');
  const signedIn = await running.result;
  expect(signedIn.code, signedIn.stderr).toBe(0);
  const stored = readFileSync(tokenFile(), 'utf8');
  const entries = JSON.parse(stored) as Record<string, string>;
  const { refreshToken } = JSON.parse(entries[`okta-auth:${org.url}:${app}:tokens`] ?? 'null') as { refreshToken: string };
  return { stored, refreshToken };
}

it('a logout Okta does not answer keeps the live tokens, says so and exits 5; run again, it revokes and deletes them', async () => {
  const { stored, refreshToken } = await login();

  // Both revocations (refresh token, then access token) lose their connection: a POST is never sent again.
  org.injectFault({ path: '/oauth2/v1/revoke', kind: 'drop', count: 2 });
  const failed = await cli(['logout']);
  expect(failed.stderr).not.toMatch(/revoked at Okta and deleted here/);
  expect(failed.stderr).toMatch(/^okta-auth: Okta did not revoke the refresh token and the access token .*: the tokens are kept here \(still valid at Okta\); run okta-auth logout again\.\n$/);
  expect(failed.code, failed.stderr).toBe(5);
  expect(await active(refreshToken)).toBe(true);
  expect(readFileSync(tokenFile(), 'utf8')).toBe(stored);

  const again = await cli(['logout']);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toMatch(/revoked at Okta and deleted here/);
  expect(await active(refreshToken)).toBe(false);
  expect(existsSync(tokenFile())).toBe(false);
});

// RFC 7009 §2.2.1: a server may refuse to revoke a kind of token. Another logout would be refused
// again: the tokens are deleted, and the message names what stays valid instead of "revoked".
it('tokens Okta answers unsupported_token_type for are deleted, and the message says they stay valid until they expire', async () => {
  await login();
  org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 400, body: { error: 'unsupported_token_type', error_description: 'not revocable here' }, count: 2 });
  const out = await cli(['logout']);
  expect(out.code, out.stderr).toBe(0);
  expect(out.stderr).toBe(
    `Signed out of ${org.url}: the tokens were deleted here. Okta does not revoke the refresh token (unsupported_token_type): it stays valid until it expires. Okta does not revoke the access token (unsupported_token_type): it stays valid until it expires.\n`,
  );
  expect(existsSync(tokenFile())).toBe(false);
});
