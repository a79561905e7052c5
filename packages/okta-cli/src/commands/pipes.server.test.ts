/**
 * The CLI in a script's pipes: a reader of stderr that goes away (`2>&1 | head -1`, a log shipper
 * that stopped) costs only diagnostics, never stdout nor the exit code; a `--paginate --ndjson` walk
 * cut short (a page cut mid-body) says last on stderr how to go on, as `--follow` does.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { until } from '@org/okta-test-utils';
import { beforeAll, expect, it } from 'vitest';
import { cliPath, runCli, type CliResult } from '../test-helpers/cli.js';
import { apiTokenProfileOrg } from '../test-helpers/api-token-profile.js';

/** Every user's id, as an undisturbed walk prints them. */
let everyone: string[];

const place = apiTokenProfileOrg({ seed: { users: 250 } });

beforeAll(async () => {
  const whole = await runCli(['api', 'GET', '/api/v1/users?limit=100', '--paginate', '--ndjson'], { cwd: place.box.cwd, env: place.box.env });
  expect(whole.code, whole.stderr).toBe(0);
  everyone = idsOf(whole.stdout);
  expect(everyone.length).toBeGreaterThan(200);
});

const idsOf = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);

it('stderr closed by its reader while -v writes to it: stdout whole and exit 0', async () => {
  const result = await new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, '-v', 'api', 'GET', '/api/v1/users?limit=100', '--paginate', '--ndjson'], { cwd: place.box.cwd, env: place.box.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    // The reader reads the first diagnostics, then goes away.
    child.stderr.once('data', () => child.stderr.destroy());
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr: '' }));
  });
  expect(result.signal).toBeNull();
  expect(result.code).toBe(0);
  expect(idsOf(result.stdout)).toEqual(everyone);
});

it('-v … 2>&1 | head -1: the exit code is the run\'s, 0', async () => {
  // Asynchronously: the org answers from this process.
  const { stdout: out } = await promisify(execFile)('/bin/bash', ['-c', `"$NODE" "$CLI" -v api GET '/api/v1/users?limit=100' --paginate --ndjson 2>&1 | head -1; echo "exit \${PIPESTATUS[0]}"`], {
    cwd: place.box.cwd,
    env: { ...place.box.env, NODE: process.execPath, CLI: cliPath },
    encoding: 'utf8',
  });
  expect(out).toMatch(/^> GET .*\nexit 0\n$/);
});

it('--paginate --ndjson cut short by a page cut mid-body: its error, then where to resume; that command prints the rest', async () => {
  // The first two pages held, one at a time, then a page cut mid-body (the second or the third: where
  // the org takes the fault up is not what is tested).
  const hold = place.org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 2 });
  const running = runCli(['api', 'GET', '/api/v1/users?limit=100', '--paginate', '--ndjson'], { cwd: place.box.cwd, env: place.box.env });
  await until(() => place.org.heldAnswers(hold) >= 1, 'the first page held');
  place.org.releaseHeld(hold);
  await until(() => place.org.heldAnswers(hold) >= 1, 'the second page held');
  place.org.injectFault({ path: '/api/v1/users', kind: 'truncate', count: 1 });
  place.org.releaseHeld(hold);
  const cut = await running;
  expect(cut.code).not.toBe(0);
  // Whole pages only, and not all of them.
  const printed = idsOf(cut.stdout);
  expect([100, 200]).toContain(printed.length);
  expect(printed).toEqual(everyone.slice(0, printed.length));
  const [error, resume, ...more] = cut.stderr.split('\n');
  expect(error).toMatch(/^okta-auth: /);
  expect(more).toEqual(['']);
  const match = /^okta-auth: resume with: okta-auth (api GET '[^']+' --paginate --ndjson)$/.exec(resume ?? '');
  expect(match, cut.stderr).not.toBeNull();
  const args = execFileSync('/bin/sh', ['-c', `set -- ${match?.[1] ?? ''}; printf '%s\\0' "$@"`], { encoding: 'utf8' }).split('\0').slice(0, -1);
  expect(args[2]).toMatch(/^\/api\/v1\/users\?.*after=/);
  expect(args[2]).not.toContain(place.org.url);
  const rest = await runCli(args, { cwd: place.box.cwd, env: place.box.env });
  expect(rest.code, rest.stderr).toBe(0);
  expect(rest.stderr).toBe('');
  // Nothing read twice, nothing skipped.
  expect([...printed, ...idsOf(rest.stdout)]).toEqual(everyone);
});
