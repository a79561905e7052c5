/**
 * The one check of a fleet rate-limit coordinator's options (`checkRateLimitOptions`), the one
 * clamp of an observed reset (`resetInMs`) and the one reading of what an answer said (`seenAnswer`,
 * in `coordinateRateLimits` before any coordinator sees it). What each coordinator refuses, and the
 * buckets the answers make, are the shared tables of @org/okta-test-utils/rate-limit-scenarios, run
 * by both packages' tests.
 */
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { parseRateLimit } from '../headers/rate-limit.js';
import { coordinateRateLimits, type RateLimitObservation } from '../rate-limit/rate-limit-coordinator.js';
import { maxDurationMs } from './duration.js';
import { checkRateLimitOptions, resetInMs, seenAnswer } from './rate-limit-options.js';

describe('checkRateLimitOptions', () => {
  it('defaults: 5% headroom, a minute, spread over the window; null is not given', () => {
    expect(checkRateLimitOptions({})).toEqual({ headroom: 0.05, windowMs: 60_000, spreadMs: 60_000 });
    expect(checkRateLimitOptions({ headroom: null, windowMs: null, spreadMs: null })).toEqual({ headroom: 0.05, windowMs: 60_000, spreadMs: 60_000 });
    expect(checkRateLimitOptions({ headroom: 0, windowMs: 10_000.5, spreadMs: 0 })).toEqual({ headroom: 0, windowMs: 10_001, spreadMs: 0 });
  });

  it("refuses with the caller's error, in one wording naming the option", () => {
    class StoreError extends Error {}
    expect(() => checkRateLimitOptions({ headroom: ' ' }, (message) => new StoreError(message))).toThrow(
      new StoreError('The headroom option must be a share of each limit from 0 to below 1 (0.05 leaves 5% of it to other clients of the org).'),
    );
    let error: unknown;
    try {
      checkRateLimitOptions({ spreadMs: '0' });
    } catch (thrown) {
      error = thrown;
    }
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['INVALID_CONFIG', 'The spreadMs option must be a number of milliseconds from 1 to 31536000000 (1 ms to 365 days).']);
  });
});

describe('resetInMs', () => {
  const now = 1_800_000_000_000;
  it.each([
    ['no reset', undefined, undefined],
    ['not finite', Number.NaN, undefined],
    ['infinitely ahead: not finite', Infinity, undefined],
    ['ahead, rounded to a whole ms', now + 20_000.4, 20_000],
    ['behind', now - 5000, -5000],
    ['over a year ahead: a year', now + 2 * maxDurationMs, maxDurationMs],
    ['X-Rate-Limit-Reset: 0 (1970): a year back', 0, -maxDurationMs],
  ])('%s', (_, resetAt, expected) => {
    expect(resetInMs(resetAt, now)).toBe(expected);
  });
});

describe('seenAnswer', () => {
  const resetAt = 1_800_000_030_000;
  const rows: [name: string, observation: RateLimitObservation, expected: RateLimitObservation][] = [
    ['a plain answer as it is', { status: 200, limit: 600, remaining: 12, resetAt }, { status: 200, limit: 600, remaining: 12, resetAt }],
    ['no headers', { status: 200 }, { status: 200, limit: undefined, remaining: undefined, resetAt: undefined }],
    ["Okta's concurrent limit: a limit of 0 stays, remaining at most it", { status: 429, limit: 0, remaining: 3, resetAt }, { status: 429, limit: 0, remaining: 0, resetAt }],
    ['remaining above the limit: the limit', { status: 200, limit: 10, remaining: 15 }, { status: 200, limit: 10, remaining: 10, resetAt: undefined }],
    ['a remaining without a limit kept', { status: 200, remaining: 5 }, { status: 200, limit: undefined, remaining: 5, resetAt: undefined }],
    ['15 digits read', { status: 200, limit: 999_999_999_999_999 }, { status: 200, limit: 999_999_999_999_999, remaining: undefined, resetAt: undefined }],
    ...[-1, 1.5, 10 ** 15, 2 ** 53, Number.NaN, Infinity, -Infinity].map(
      (bad): (typeof rows)[number] => [`${bad} is not said`, { status: 429, limit: bad, remaining: bad, resetAt: bad }, { status: 429, limit: undefined, remaining: undefined, resetAt: Number.isFinite(bad) ? bad : undefined }],
    ),
  ];
  it.each(rows)('%s', (_, observation, expected) => {
    expect(seenAnswer(observation)).toEqual(expected);
  });

  it.each([0, 99, 600, 429.5, Number.NaN, -429])('status %s: nothing said', (status) => {
    expect(seenAnswer({ status, limit: 10, remaining: 0, resetAt })).toBeUndefined();
  });

  it('reads a count as the header reader does (15 digits, not 16)', () => {
    const read = (text: string) => parseRateLimit(new Headers({ 'x-rate-limit-limit': text })).limit;
    for (const text of ['999999999999999', '1000000000000000']) expect(seenAnswer({ status: 200, limit: Number(text) })?.limit).toBe(read(text));
  });

  it('is what every coordinator wrapped by coordinateRateLimits is told, reported or observed directly', async () => {
    const told: RateLimitObservation[] = [];
    const coordinator = coordinateRateLimits({ reserve: () => 0, observe: (_, observation) => void told.push(observation) });
    const scope = { origin: 'https://acme.okta.com', bucket: '/api/v1/users' };
    await coordinator.observe(scope, { status: 200, limit: -1, remaining: 20, resetAt: Number.NaN });
    await coordinator.observe(scope, { status: 0, limit: 10, remaining: 0 });
    await coordinator.observe(scope, null as unknown as RateLimitObservation);
    const headers = new Headers({ 'x-rate-limit-limit': '10', 'x-rate-limit-remaining': '15' });
    expect(await coordinator.report(new URL('https://acme.okta.com/api/v1/users'), new Response(null, { status: 200, headers }), undefined)).toBe(true);
    expect(told).toEqual([
      { status: 200, limit: undefined, remaining: 20, resetAt: undefined },
      { status: 200, limit: 10, remaining: 10, resetAt: undefined },
    ]);
  });
});
