/**
 * `--timeout`, `--max-wait` and `--retries` (docs/SECURITY.md, Bounds; `okta-auth --help`): whole
 * numbers within each flag's range become core's `timeoutMs`, `retry.maxWaitMs` and `retry.limit`;
 * anything else is a usage error (exit 2). A library's advice naming those options is printed naming
 * the flags and their unit (`inCliWords`), the CLI's own messages as they are. Over the command line:
 * `commands/transport-flags.server.test.ts`, `commands/rate-limited.server.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { OktaAuthError } from '@org/okta-auth-core';
import { OktaSignInError } from '@org/okta-oauth';
import { configError, describeError, usageError } from './exit-codes.js';
import { plain } from './io.js';
import { inCliWords, transportOptions } from './transport-flags.js';

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
    ['max-wait', '-1', "--max-wait is the most one request waits in all before its retries (429s, 5xx backoffs), in whole seconds, from 0 to 3600; got \"-1\"."],
    ['max-wait', '3601', 'got "3601".'],
    ['retries', '21', '--retries is how many times a rate-limited (429) request is retried, from 0 to 20; got "21".'],
    ['retries', ' 2', 'got " 2".'],
    ['retries', '9'.repeat(40), `got "${'9'.repeat(20)}".`],
  ])('refuses --%s %j as a usage error (exit 2)', (flag, value, message) => {
    expect(() => read({ [flag]: value })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining(message) as string }));
  });
});

describe('inCliWords', () => {
  const said = (message: string) => inCliWords(new OktaAuthError('RATE_LIMITED', message));

  it("names the flag where a library's advice names the option it sets, and that bound's ms in seconds, the flags' unit", () => {
    expect(said('not waited for: its wait of 66000 ms for the reset is past the 65000 ms left of retry.maxWaitMs; raise retry.maxWaitMs.')).toBe(
      'not waited for: its wait of 66 s for the reset is past the 65 s left of --max-wait; raise --max-wait.',
    );
    expect(said('its wait of 3601500 ms for the reset is past the 0 ms left of retry.maxWaitMs; raise retry.maxWaitMs')).toBe('its wait of 3601.5 s for the reset is past the 0 s left of --max-wait; raise --max-wait');
    expect(said('not retried: retry.limit (2) spent; raise retry.limit')).toBe('not retried: --retries (2) spent; raise --retries');
    // retry: false is set by the CLI alone, for doctor's probe: no flag sets it, so the words say who did.
    expect(said('429 E0000047 (GET acme.okta.com/api/v1/users, request id x): not retried (retry: false)')).toBe('429 E0000047 (GET acme.okta.com/api/v1/users, request id x): not retried (doctor asks once)');
    expect(said('got no complete answer within 30000 ms (timeoutMs).')).toBe('got no complete answer within 30 s (--timeout).');
    expect(said("got no complete answer within the request's timeout (timeoutMs).")).toBe("got no complete answer within the request's timeout (--timeout).");
    expect(said('past the 1234 ms left of retry.maxWaitMs and timeoutMs; raise retry.maxWaitMs and timeoutMs')).toBe('past the 1.234 s left of --max-wait and --timeout; raise --max-wait and --timeout');
    expect(said("make the storage's set() settle within timeoutMs (or raise timeoutMs).")).toBe("make the storage's set() settle within --timeout (or raise --timeout).");
  });

  it('leaves the rest of a library message alone (a path, a name, a bound the CLI sets no flag for)', () => {
    for (const text of ['Okta answered 404 to GET /api/v1/users/timeoutMs', 'scope "retry.limit" and timeoutMs', "past the 3000 ms left of ky's timeout; raise ky's timeout", 'raise timeoutMsX', 'raise retry.limits', 'not retried (retry: falsely)', 'with retry: false', 'within 5 ms (timeoutMs2)']) {
      expect(said(text)).toBe(text);
    }
  });

  it("leaves the CLI's own messages, which quote a profile name or a path as given, and plain, as they are", () => {
    const message = 'No profile "timeoutMs" in /home/timeoutMs/.okta/okta.yaml. Add it under okta: profiles: timeoutMs: (orgUrl, token, …); raise retry.maxWaitMs';
    expect(inCliWords(configError(message))).toBe(message);
    expect(inCliWords(new Error(message))).toBe(message);
    expect(plain(message)).toBe(message);
    expect(describeError(configError(message))).toBe(message);
    expect(describeError(new OktaAuthError('TIMEOUT', 'within 1000 ms (timeoutMs)'))).toBe('within 1 s (--timeout)');
  });

  it("ends a sign-in's end (LOGIN_REQUIRED) with the command that signs in again, for the profile the run used", () => {
    const refused = new OktaSignInError('LOGIN_REQUIRED', 'Okta rejected the refresh token (expired, revoked, already used, or the user deactivated): sign in again.');
    expect(describeError(refused, 'rot')).toBe('Okta rejected the refresh token (expired, revoked, already used, or the user deactivated): run okta-auth login --profile rot.');
    expect(describeError(refused, 'default')).toBe('Okta rejected the refresh token (expired, revoked, already used, or the user deactivated): run okta-auth login.');
    // doctor gives the command as the finding's fix: its detail says it once.
    expect(inCliWords(refused)).toBe(refused.message);
    expect(describeError(new OktaSignInError('ACCESS_DENIED', 'sign in again.'), 'rot')).toBe('sign in again.');
  });
});
