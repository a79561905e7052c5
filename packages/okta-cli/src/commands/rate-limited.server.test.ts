/**
 * A 429 from Okta's device authorization or revocation endpoint, past the retries, is an answer
 * from Okta (`RATE_LIMITED`, exit 8: rate limited, wait for the window), not a refused sign-in (the built binary on the emulator).
 * Before, both were `OAUTH_ERROR` with status 429, which `exitCodeOf` took for an authentication
 * failure: exit 4, whose advice is to sign in again (then exit 1, which a script could not tell from a
 * refused request, until cliexit156). `logout` still keeps the tokens Okta did not
 * revoke, as for any other failure, and says Okta is rate limiting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loginAsAda, runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp) }));

const tokenFile = () => join(setup.box.xdg, 'okta-auth', 'tokens', 'default.json');
const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });
afterEach(() => setup.org.clearFaults());

/** A 429 on `path` whose reset is an hour ahead (`resetSeconds`): past any retry budget, RATE_LIMITED at once. */
function rateLimited(path: string, count: number, resetSeconds = 3600): void {
  const reset = String(Math.floor(Date.now() / 1000) + resetSeconds);
  setup.org.injectFault({ path, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': reset }, count });
}

it('login: a 429 from the device authorization endpoint exits 8 and says Okta is rate limiting', async () => {
  rateLimited('/oauth2/v1/device/authorize', 1);
  const failed = await cli(['login']);
  // Core's advice names the CLI's flag for retry.maxWaitMs, and its bound in seconds, the flag's unit: the option itself cannot be set here.
  expect(failed.stderr).toMatch(/^okta-auth: Okta's device authorization endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: its wait of \d+(\.\d+)? s for the reset is past the 65 s left of --max-wait; raise --max-wait\b/);
  expect(failed.stderr).not.toMatch(/maxWaitMs/);
  expect(failed.code, failed.stderr).toBe(8);
});

it('login --max-wait 0: a 429 the default would wait out is not waited for, and the advice names --max-wait', async () => {
  // Reset in 2 s: within the default 65 s, so without the flag the sign-in would wait and go on.
  rateLimited('/oauth2/v1/device/authorize', 1, 2);
  const failed = await cli(['login', '--max-wait', '0']);
  expect(failed.stderr).toMatch(/^okta-auth: Okta's device authorization endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: its wait of \d+(\.\d+)? s for the reset is past the 0 s left of --max-wait; raise --max-wait\b/);
  expect(failed.code, failed.stderr).toBe(8);
});

it('login --retries 0: a 429 is not retried, and the advice names --retries', async () => {
  rateLimited('/oauth2/v1/device/authorize', 1, 2);
  const failed = await cli(['login', '--retries', '0']);
  expect(failed.stderr).toMatch(/^okta-auth: Okta's device authorization endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not retried: --retries \(0\) spent; raise --retries\b/);
  expect(failed.stderr).not.toMatch(/retry\.limit/);
  expect(failed.code, failed.stderr).toBe(8);
});

it('logout: a 429 from the revocation endpoint keeps the tokens and exits 8', async () => {
  await loginAsAda(setup.org, ['login'], { cwd: setup.box.cwd, env: setup.box.env });
  const stored = readFileSync(tokenFile(), 'utf8');

  rateLimited('/oauth2/v1/revoke', 2);
  const failed = await cli(['logout']);
  expect(failed.stderr).toMatch(/Okta did not revoke the refresh token and the access token \(Okta's revocation endpoint is still rate limiting this client/);
  expect(failed.stderr).toMatch(/the tokens are kept here \(still valid at Okta\); run okta-auth logout again\.\n$/);
  expect(failed.code, failed.stderr).toBe(8);
  expect(readFileSync(tokenFile(), 'utf8')).toBe(stored);
});
