/**
 * `--timeout` over the built binary on the emulator: each request's time limit, core's `timeoutMs`,
 * its `TIMEOUT` naming the flag (exit 5). A bad value of `--timeout`, `--max-wait` or `--retries` is
 * a usage error (exit 2) before any configuration is read or anything sent. `--max-wait` and
 * `--retries` against 429s: `rate-limited.server.test.ts`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCli, userProfile, userProfileOrg } from '../test-helpers/cli.js';

const setup = userProfileOrg(({ org, bearerApp }) => ({ client: userProfile(org, bearerApp), profiles: { ssws: { orgUrl: org.url, token: org.createApiToken().token } } }));
const cli = (args: string[]) => runCli(args, { cwd: setup.box.cwd, env: setup.box.env });
afterEach(() => setup.org.clearFaults());
/** Every request the org has had. */
const sent = () => Object.values(setup.org.counters().requests).reduce((sum, n) => sum + n, 0);

it('login --timeout 1: a device authorization answer held past 1 s is a TIMEOUT naming --timeout, exit 5', async () => {
  setup.org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'hold', holdMs: 10_000 });
  const failed = await cli(['login', '--timeout', '1']);
  expect(failed.stderr).toMatch(/^okta-auth: .*within 1 s \(--timeout\)/);
  expect(failed.stderr).not.toMatch(/timeoutMs/);
  expect(failed.code, failed.stderr).toBe(5);
});

// --max-wait bounds every wait of one request: a 5xx's backoff (0.3 s, then 0.6 s) counts with the 429s' waits (core's
// retry.maxWaitMs, waitsum142), so --max-wait 0 leaves a 503 no retry and the answer is the error; the default retries it.
it('--max-wait 0: a GET answered 503 is not retried (its backoff is a wait too), exit 9; by default it is, exit 0', async () => {
  const users = () => setup.org.counters().requests['GET /api/v1/users'] ?? 0;
  setup.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
  const before = users();
  const failed = await cli(['api', 'GET', '/api/v1/users', '--profile', 'ssws', '--max-wait', '0']);
  expect(failed.stderr).toMatch(/^okta-auth: 503 /);
  expect(failed.code, failed.stderr).toBe(9);
  expect(users() - before).toBe(1);
  setup.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 503, count: 1 });
  const retried = await cli(['api', 'GET', '/api/v1/users', '--profile', 'ssws']);
  expect(retried.code, retried.stderr).toBe(0);
  expect(users() - before).toBe(3);
});

it.each([
  [['api', 'GET', '/api/v1/users/me', '--profile', 'timeoutMs'], 'timeoutMs', 'stderr'],
  [['api', 'GET', '/api/v1/users/me', '--profile', 'retry.limit'], 'retry.limit', 'stderr'],
  [['doctor', '--profile', 'retry.maxWaitMs'], 'retry.maxWaitMs', 'stdout'],
] as const)('%j: a profile named as an option, in a folder named as one, is quoted as given (only a library\'s advice names the flags)', async (args, name, where) => {
  const cwd = join(setup.box.cwd, name);
  mkdirSync(cwd);
  const failed = await runCli(args, { cwd, env: setup.box.env });
  expect(failed[where]).toContain(`No profile "${name}" in ${join(setup.box.home, '.okta', 'okta.yaml')} or ${join(cwd, 'okta.yaml')}. Add it under okta: profiles: ${name}: (orgUrl`);
  expect(failed.stdout + failed.stderr).not.toMatch(/--(timeout|retries|max-wait)/);
});

it.each([
  [['login', '--timeout', '0'], /^okta-auth: --timeout is each request's time limit, reading the answer included, in whole seconds, from 1 to 3600; got "0"\.\n$/],
  [['api', 'GET', '/api/v1/users', '--max-wait=-5'], /^okta-auth: --max-wait is the most one request waits in all before its retries \(429s, 5xx backoffs\), in whole seconds, from 0 to 3600; got "-5"\.\n$/],
  [['logout', '--retries', 'many'], /^okta-auth: --retries is how many times a rate-limited \(429\) request is retried, from 0 to 20; got "many"\.\n$/],
  [['doctor', '--timeout'], /^okta-auth: Option '--timeout <value>' argument missing \(okta-auth --help lists the options\)\n$/],
])('%j is a usage error (exit 2), nothing sent', async (args, message) => {
  const before = sent();
  const failed = await cli(args);
  expect(failed.stderr).toMatch(message);
  expect(failed.code, failed.stderr).toBe(2);
  expect(sent()).toBe(before);
});

it('okta-auth --help lists the three flags', async () => {
  const help = await cli(['--help']);
  for (const flag of ['--timeout SECONDS', '--max-wait SECONDS', '--retries N']) expect(help.stdout).toContain(flag);
});
