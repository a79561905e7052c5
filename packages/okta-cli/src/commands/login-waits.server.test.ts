/**
 * `okta-auth login` says why the device sign-in waits when the wait is not the routine interval
 * (the built binary on the emulator): Okta asked to poll more slowly, Okta is rate limiting, or Okta
 * cannot be reached; one line on stderr each, saying when the next check comes. A routine wait says
 * nothing. The device authorization answer is scripted with a 1 s interval (and a day's expiry, so
 * no wait is cut by it), the token endpoint's answers are faults, and each run ends with Ctrl-C
 * once the line it waits for came: nothing waits for the long waits to pass.
 */
import { expect, it, onTestFinished } from 'vitest';
import { startCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp) }));

const tokenPath = '/oauth2/v1/token';

/** Starts `login` on a scripted device authorization answer (interval 1 s, a day's expiry), interrupted when the test ends. */
function startLogin() {
  const { org, box } = setup;
  const body = { device_code: 'dc-waits', user_code: 'WAIT-LINE', verification_uri: `${org.url}/activate`, expires_in: 86_400, interval: 1 };
  org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body, count: 1 });
  const running = startCli(['login', '--no-browser'], { cwd: box.cwd, env: box.env });
  // A test that fails before its Ctrl-C leaves no login waiting 600 s behind it.
  onTestFinished(() => running.interrupt());
  return running;
}

/** The token endpoint's next answer: the given OAuth error. */
function tokenAnswer(error: string): void {
  setup.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error, error_description: error }, count: 1 });
}

/** The lines of `stderr` that tell a wait. */
const waitLines = (stderr: string) => stderr.split('\n').filter((line) => /next check in|retrying in/.test(line));

it('says when Okta cannot be reached and when it rate limits, with the next check; nothing on a routine wait', async () => {
  tokenAnswer('authorization_pending');
  setup.org.injectFault({ path: tokenPath, kind: 'drop', count: 1 });
  const reset = String(Math.floor(Date.now() / 1000) + 3600);
  setup.org.injectFault({ path: tokenPath, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': reset }, count: 1 });
  const running = startLogin();
  await running.waitForStderr(/rate limited by Okta/);
  running.interrupt();
  const result = await running.result;
  expect(result.code, result.stderr).toBe(130);
  expect(waitLines(result.stderr)).toEqual([
    'okta-auth: cannot reach Okta (NETWORK_ERROR); retrying in 2 s.',
    'okta-auth: rate limited by Okta; next check in 600 s.',
  ]);
});

it('says when Okta asks to poll more slowly, with the next check', async () => {
  tokenAnswer('slow_down');
  const running = startLogin();
  await running.waitForStderr(/poll more slowly/);
  running.interrupt();
  const result = await running.result;
  expect(result.code, result.stderr).toBe(130);
  expect(waitLines(result.stderr)).toEqual(['okta-auth: Okta asked to poll more slowly; next check in 6 s.']);
});
