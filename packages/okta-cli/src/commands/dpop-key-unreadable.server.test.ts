/**
 * A DPoP profile whose key in the token file (`okta-auth:dpop-key`) cannot be read any more (a
 * damaged or hand-edited file): okta-auth makes a new key, to which the stored tokens are not
 * bound. The next `api` run says what a CLI user does about it (sign in again), exit 4, sending
 * nothing. Before, it ended with the library's advice to a programmer (give the client the same
 * `dpopKeyPair`), exit 3, which a CLI user cannot follow.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loginAsAda, runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, dpopApp }) => ({ client: { ...userProfile(org, dpopApp), dpop: true } }));

afterEach(async () => {
  await cli(['logout']);
});

const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });
const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');

it('a DPoP key in the token file that cannot be read: api says to run okta-auth login again (exit 4) and sends nothing', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const entries = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>;
  writeFileSync(tokenFile(), `${JSON.stringify({ ...entries, 'okta-auth:dpop-key': '{"kty":"EC"' })}\n`, { mode: 0o600 });

  setup.org.resetCounters();
  const result = await cli(['api', 'GET', '/api/v1/users/me']);
  expect(result.code, result.stderr).toBe(4);
  expect(result.stderr).toMatch(/DPoP key kept with the tokens .* cannot be read.*run okta-auth login/);
  expect(result.stderr).not.toMatch(/dpopKeyPair/);
  expect(setup.org.counters().requests['GET /api/v1/users/me'] ?? 0).toBe(0);
});

it('a DPoP key in the token file that cannot be read: logout still revokes the stored tokens at Okta and removes them', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const entries = JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>;
  writeFileSync(tokenFile(), `${JSON.stringify({ ...entries, 'okta-auth:dpop-key': '{"kty":"EC"' })}\n`, { mode: 0o600 });

  setup.org.resetCounters();
  const result = await cli(['logout']);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/Not signed in/);
  expect(setup.org.counters().requests['POST /oauth2/v1/revoke'] ?? 0).toBeGreaterThan(0);
  const left = existsSync(tokenFile()) ? (JSON.parse(readFileSync(tokenFile(), 'utf8')) as Record<string, string>) : {};
  expect(Object.keys(left).filter((key) => key.endsWith(':tokens'))).toEqual([]);
});
