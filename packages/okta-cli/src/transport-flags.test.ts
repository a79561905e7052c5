/**
 * `--timeout`, `--max-wait` and `--retries` (docs/SECURITY.md, Bounds; `okta-auth --help`): whole
 * numbers within each flag's range become core's `timeoutMs`, `retry.maxWaitMs` and `retry.limit`;
 * anything else is a usage error (exit 2). Core's advice naming those options is printed naming the
 * flags, through `plain`, the one way a message is printed whole. Over the command line:
 * `commands/transport-flags.server.test.ts`, `commands/rate-limited.server.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { usageError } from './exit-codes.js';
import { plain } from './io.js';
import { transportOptions } from './transport-flags.js';

const read = (values: Record<string, string>) => transportOptions(values, usageError);

describe('transportOptions', () => {
  it("gives core's defaults (nothing) without the flags, and each flag's value in core's unit", () => {
    expect(read({})).toEqual({});
    expect(read({ timeout: '1' })).toEqual({ timeoutMs: 1000 });
    expect(read({ timeout: '3600', 'max-wait': '0', retries: '20' })).toEqual({ timeoutMs: 3_600_000, retry: { limit: 20, maxWaitMs: 0 } });
    expect(read({ 'max-wait': '3600', retries: '0' })).toEqual({ retry: { limit: 0, maxWaitMs: 3_600_000 } });
  });

  it.each([
    ['timeout', '0', "--timeout is each request's time limit, reading the answer included, in whole seconds, from 1 to 3600; got \"0\"."],
    ['timeout', '3601', 'from 1 to 3600; got "3601".'],
    ['timeout', '1.5', 'got "1.5".'],
    ['timeout', '', 'got "".'],
    ['timeout', '1e3', 'got "1e3".'],
    ['max-wait', '-1', "--max-wait is the most a request waits out Okta's rate limit, in whole seconds, from 0 to 3600; got \"-1\"."],
    ['max-wait', '3601', 'got "3601".'],
    ['retries', '21', '--retries is how many times a rate-limited (429) request is retried, from 0 to 20; got "21".'],
    ['retries', ' 2', 'got " 2".'],
    ['retries', '9'.repeat(40), `got "${'9'.repeat(20)}".`],
  ])('refuses --%s %j as a usage error (exit 2)', (flag, value, message) => {
    expect(() => read({ [flag]: value })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(message) as string }));
  });
});

describe('plain', () => {
  it('names the flag where a message names the option it sets', () => {
    expect(plain('past the 65000 ms left of retry.maxWaitMs; raise retry.maxWaitMs.')).toBe('past the 65000 ms left of --max-wait; raise --max-wait.');
    expect(plain('not retried: retry.limit (2) spent; raise retry.limit')).toBe('not retried: --retries (2) spent; raise --retries');
    expect(plain('got no complete answer within 30000 ms (timeoutMs).')).toBe('got no complete answer within 30000 ms (--timeout).');
    expect(plain('the 1000 ms left of retry.maxWaitMs and timeoutMs; raise retry.maxWaitMs and timeoutMs')).toBe('the 1000 ms left of --max-wait and --timeout; raise --max-wait and --timeout');
  });

  it('leaves what is not that option alone (a flag as typed, a longer name)', () => {
    for (const text of ['Unknown option \'--timeoutMs\'', 'x.timeoutMs', 'timeoutMsX', 'retry.limits', 'maxWaitMs', "ky's timeout"]) expect(plain(text)).toBe(text);
  });
});
