/**
 * `okta-auth api … --follow`: the System Log as a stream against the emulator's `/api/v1/logs`
 * (Okta's polling semantics: every page links a next one), and `--paginate` ending at its empty page.
 */
import { execFileSync } from 'node:child_process';
import { until } from '@org/okta-test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../test-helpers/cli.js';
import { apiTokenProfileOrg } from '../test-helpers/api-token-profile.js';

const place = apiTokenProfileOrg();

beforeAll(() => {
  created('first@example.com');
});

const cli = (args: string[]) => runCli(args, { cwd: place.box.cwd, env: place.box.env });
const created = (login: string) => place.org.recordLogEvent({ eventType: 'user.lifecycle.create', target: [{ id: `00u-${login}`, type: 'User', alternateId: login }] });
/** A minute before the file's first event: however long the tests take, every event they record is after it. */
const since = new Date(Date.now() - 60_000).toISOString();
/** The user-creation events since then, a polling request (no `until`). */
const logs = () => `/api/v1/logs?since=${since}&filter=${encodeURIComponent('eventType eq "user.lifecycle.create"')}`;
const loginsOf = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => String((JSON.parse(line) as { target: { alternateId: string }[] }).target[0]?.alternateId));

/**
 * The arguments of the one `resume with:` line in `stderr`, as a POSIX shell reads them (its quoting
 * is what is tested): the line must be the whole of `stderr`.
 */
function resumeArgs(stderr: string): string[] {
  const match = /^okta-auth: resume with: okta-auth (.*)\n$/.exec(stderr);
  if (match === null) throw new Error(`no resume line alone on stderr:\n${stderr}`);
  const words = execFileSync('/bin/sh', ['-c', `set -- ${match[1] ?? ''}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return words.split('\0').slice(0, -1);
}

describe('okta-auth api --follow', () => {
  it('prints each event as a JSON line, keeps polling once caught up, and stops on Ctrl-C with 130', async () => {
    const running = startCli(['api', 'GET', logs(), '--follow', '--interval', '1'], { cwd: place.box.cwd, env: place.box.env });
    await running.waitForStdout(/first@example\.com.*\n/);
    // Caught up: the CLI has read the empty page after the first event (and now waits) before the next event comes.
    await until(() => (place.org.counters().requests['GET /api/v1/logs'] ?? 0) >= 2, 'the poll after the first event');
    created('second@example.com');
    await running.waitForStdout(/second@example\.com.*\n/);
    running.interrupt();
    const result = await running.result;
    expect(result.code).toBe(130);
    expect(loginsOf(result.stdout)).toEqual(['first@example.com', 'second@example.com']);
    // One line naming where to resume: the org's next link, as a path (no origin, no token), quoted for a shell.
    const resumed = resumeArgs(result.stderr);
    expect(resumed).toEqual(['api', 'GET', expect.stringMatching(/^\/api\/v1\/logs\?.*after=/), '--follow', '--interval', '1']);
    expect(result.stderr).not.toContain(place.org.url);
    created('third@example.com');
    // That command, as a shell reads it, goes on with the next event: none read twice, none lost.
    const again = startCli(resumed, { cwd: place.box.cwd, env: place.box.env });
    await again.waitForStdout(/third@example\.com.*\n/);
    again.interrupt();
    const next = await again.result;
    expect(next.code).toBe(130);
    expect(loginsOf(next.stdout)).toEqual(['third@example.com']);
    expect(resumeArgs(next.stderr)[2]).not.toBe(resumed[2]);
  });

  // `timeout`, a CI step's time limit, systemd and Kubernetes stop with SIGTERM; a closed terminal or ssh session sends SIGHUP.
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('stopped by %s: exit %i, after the resume line', async (signal, code) => {
    const running = startCli(['api', 'GET', logs(), '--follow', '--interval', '1'], { cwd: place.box.cwd, env: place.box.env });
    const polls = place.org.counters().requests['GET /api/v1/logs'] ?? 0;
    await running.waitForStdout(/first@example\.com.*\n/);
    // Its first page read whole: the CLI has asked for the next one.
    await until(() => (place.org.counters().requests['GET /api/v1/logs'] ?? 0) >= polls + 2, 'the poll after the first event');
    running.interrupt(signal);
    const result = await running.result;
    expect(result.code).toBe(code);
    expect(loginsOf(result.stdout)).toContain('first@example.com');
    expect(resumeArgs(result.stderr)).toEqual(['api', 'GET', expect.stringMatching(/^\/api\/v1\/logs\?.*after=/), '--follow', '--interval', '1']);
  });

  it('a path that is not the System Log is refused before anything is sent (exit 2)', async () => {
    place.org.resetCounters();
    const result = await cli(['api', 'GET', '/api/v1/users?limit=2', '--follow']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('okta-auth: --follow follows the System Log: its path is /api/v1/logs (with your query), not /api/v1/users.\n');
    expect(place.org.counters().requests).toEqual({});
  });

  it('a run ended by a 5xx prints where to resume after its error (exit 9: Okta failed)', async () => {
    const running = startCli(['api', 'GET', logs(), '--follow', '--interval', '1'], { cwd: place.box.cwd, env: place.box.env });
    await running.waitForStdout(/first@example\.com.*\n/);
    await until(() => (place.org.counters().requests['GET /api/v1/logs'] ?? 0) >= 2, 'the poll after the first event');
    place.org.injectFault({ path: '/api/v1/logs', kind: 'status', status: 503 });
    const result = await running.result;
    place.org.clearFaults();
    expect(result.code).toBe(9);
    // The error, then the resume line: the last thing said.
    const [error, ...rest] = result.stderr.split(/(?<=\n)/);
    expect(error).toMatch(/^okta-auth: .*503/);
    expect(resumeArgs(rest.join(''))).toEqual(['api', 'GET', expect.stringMatching(/after=/), '--follow', '--interval', '1']);
  });

  it('a bounded request (since and until) ends at its last page: exit 0', async () => {
    const until = new Date(Date.now() + 60_000).toISOString();
    const result = await cli(['api', 'GET', `${logs()}&until=${until}`, '--follow']);
    expect(result.code).toBe(0);
    expect(loginsOf(result.stdout)).toContain('first@example.com');
    // It ended where it should: nothing to resume.
    expect(result.stderr).toBe('');
  });

  it.each([
    [['api', 'GET', '/api/v1/logs', '--interval', '5'], '--interval goes with --follow.'],
    [['api', 'POST', '/api/v1/logs', '--follow'], '--follow works with GET only.'],
    [['api', 'GET', '/api/v1/logs', '--follow', '--interval', '0'], '--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "0".'],
    [['api', 'GET', '/api/v1/logs', '--follow', '--interval', '1.5'], '--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "1.5".'],
    [['api', 'GET', '/api/v1/logs', '--follow', '--interval', '86401'], '--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "86401".'],
    // An empty value is a mistake, not 0 or the default (the okta-emulator command's flags had that hole).
    [['api', 'GET', '/api/v1/logs', '--follow', '--interval', ''], '--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "".'],
    [['api', 'GET', '/api/v1/logs', '--follow', '--interval=1e1'], '--interval is the wait after an empty page in whole seconds, from 1 to 86400; got "1e1".'],
    [['doctor', '--follow'], '--follow goes with okta-auth api, not doctor.'],
  ])('%j is a usage error (exit 2) before anything is sent', async (args, message) => {
    const before = place.org.counters().requests['GET /api/v1/logs'] ?? 0;
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(place.org.counters().requests['GET /api/v1/logs'] ?? 0).toBe(before);
  });
});

describe('okta-auth api --paginate on the System Log', () => {
  it('ends at the empty page a polling request links to, instead of walking for ever', async () => {
    const result = await cli(['api', 'GET', logs(), '--paginate', '--ndjson']);
    expect(result.code).toBe(0);
    expect(loginsOf(result.stdout)).toContain('first@example.com');
  });
});
