/**
 * Exit codes a script can branch on (the built binary on the emulator, one run per status): a
 * resource that is not there (404, 410: 7, "create it"), a rate limit still refused after the
 * retries (429: 8, "wait for the window"), Okta's own failure after the retries (5xx, 408: 9,
 * "retry later"), any other refusal of the request 1 (400, 409: fix the request); 4 (401/403) and 5
 * (no answer) are pinned by `api.server.test.ts` and `transport-flags.server.test.ts`. Before, all of
 * 404, 410, 429, 5xx and 408 were 1, told apart only by parsing stderr. A `--paginate --ndjson` walk
 * ended by such a status keeps its resume line (`--follow`'s: `follow.server.test.ts`).
 */
import { execFileSync } from 'node:child_process';
import { until } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { runCli, startCli } from '../test-helpers/cli.js';
import { apiTokenProfileOrg } from '../test-helpers/api-token-profile.js';

const place = apiTokenProfileOrg({ seed: { users: 5 } });

afterEach(() => place.org.clearFaults());

const cli = (args: string[]) => runCli(args, { cwd: place.box.cwd, env: place.box.env });
/** A 429 whose reset is an hour ahead: past any retry budget, refused at once (as Okta's window spent). */
const rateLimitHeaders = () => ({ 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 3600) });

describe('okta-auth api: the exit code of what Okta answered', () => {
  it('7 not found: a 404 from Okta itself (no such user), Okta’s error on stderr', async () => {
    const result = await cli(['api', 'GET', '/api/v1/users/nobody@example.com']);
    expect(result.stderr).toMatch(/^okta-auth: 404 E0000007 /);
    expect(result.code, result.stderr).toBe(ExitCode.NOT_FOUND);
    expect(result.code).toBe(7);
  });

  // [status, method, extra flags, code, requests sent]: --max-wait 0 leaves a 408 or 5xx no backoff, so no retry.
  it.each([
    [410, 'GET', [], 7, 1],
    [400, 'GET', [], 1, 1],
    [409, 'GET', [], 1, 1],
    [429, 'GET', [], 8, 1],
    [408, 'GET', ['--max-wait', '0'], 9, 1],
    [500, 'GET', ['--max-wait', '0'], 9, 1],
    // The default retries a GET's 503 twice (0.3 s, then 0.6 s): 9 is Okta still failing after them.
    [503, 'GET', [], 9, 3],
    // A POST is sent once (it may have taken effect): 9 all the same.
    [503, 'POST', [], 9, 1],
  ] as const)('a %i answer to a %s (flags %j): exit %i, sent %i time(s)', async (status, method, flags, code, sent) => {
    place.org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: sent, ...(status === 429 ? { headers: rateLimitHeaders() } : {}) });
    const sentSoFar = () => place.org.counters().requests[`${method} /api/v1/users`] ?? 0;
    const before = sentSoFar();
    const data = method === 'POST' ? ['--data', '{"profile":{"login":"new@example.com","email":"new@example.com"}}'] : [];
    const result = await cli(['api', method, method === 'POST' ? '/api/v1/users' : '/api/v1/users?limit=1', ...data, ...flags]);
    expect(result.stderr).toMatch(new RegExp(`^okta-auth: ${status} `));
    expect(result.stdout).toBe('');
    expect(result.code, result.stderr).toBe(code);
    expect(sentSoFar() - before).toBe(sent);
  });

  it('--paginate --ndjson ended by a 429 on its second page: exit 8, the first page printed, then the resume line', async () => {
    // The first page is held until the 429 is in place, so that the next page is the one it meets.
    const held = place.org.injectFault({ path: '/api/v1/users', kind: 'hold', count: 1 });
    const running = startCli(['api', 'GET', '/api/v1/users?limit=2', '--paginate', '--ndjson'], { cwd: place.box.cwd, env: place.box.env });
    await until(() => place.org.heldAnswers(held) === 1, 'the first page held');
    place.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, count: 1, headers: rateLimitHeaders() });
    place.org.releaseHeld(held);
    const result = await running.result;
    expect(result.code, result.stderr).toBe(ExitCode.RATE_LIMITED);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
    // The error, then the resume line: the last thing said, a command a POSIX shell reads as one.
    const [error, ...rest] = result.stderr.split(/(?<=\n)/);
    expect(error).toMatch(/^okta-auth: 429 /);
    const line = /^okta-auth: resume with: okta-auth (.*)\n$/.exec(rest.join(''));
    expect(line, result.stderr).not.toBeNull();
    const words = execFileSync('/bin/sh', ['-c', `set -- ${line?.[1] ?? ''}; printf '%s\\0' "$@"`], { encoding: 'utf8' }).split('\0').slice(0, -1);
    expect(words).toEqual(['api', 'GET', expect.stringMatching(/^\/api\/v1\/users\?.*after=/), '--paginate', '--ndjson']);
  });
});
