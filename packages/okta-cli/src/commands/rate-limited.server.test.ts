/**
 * A 429 from Okta's device authorization or revocation endpoint, past the retries, is an answer
 * from Okta (`RATE_LIMITED`, exit 1), not a refused sign-in (the built binary on the emulator).
 * Before, both were `OAUTH_ERROR` with status 429, which `exitCodeOf` took for an authentication
 * failure: exit 4, whose advice is to sign in again. `logout` still keeps the tokens Okta did not
 * revoke, as for any other failure, and says Okta is rate limiting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loginAsAda, runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp) }));

const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');
const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });

/** A 429 on `path` whose reset is an hour ahead: past any retry budget, RATE_LIMITED at once. */
function rateLimited(path: string, count: number): void {
  const reset = String(Math.floor(Date.now() / 1000) + 3600);
  setup.org.injectFault({ path, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': reset }, count });
}

it('login: a 429 from the device authorization endpoint exits 1 and says Okta is rate limiting', async () => {
  rateLimited('/oauth2/v1/device/authorize', 1);
  const failed = await cli(['login']);
  expect(failed.stderr).toMatch(/^okta-auth: Okta's device authorization endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: .*raise retry.maxWaitMs/);
  expect(failed.code, failed.stderr).toBe(1);
});

it('logout: a 429 from the revocation endpoint keeps the tokens and exits 1', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const stored = readFileSync(tokenFile(), 'utf8');

  rateLimited('/oauth2/v1/revoke', 2);
  const failed = await cli(['logout']);
  expect(failed.stderr).toMatch(/Okta did not revoke the refresh token and the access token \(Okta's revocation endpoint is still rate limiting this client/);
  expect(failed.stderr).toMatch(/the tokens are kept here \(still valid at Okta\); run okta-auth logout again\.\n$/);
  expect(failed.code, failed.stderr).toBe(1);
  expect(readFileSync(tokenFile(), 'utf8')).toBe(stored);
});
