/**
 * The one check of a fleet rate-limit coordinator's options (`checkRateLimitOptions`) and the one
 * clamp of an observed reset (`resetInMs`). What each coordinator refuses is the shared table of
 * @org/okta-test-utils/rate-limit-scenarios, run by both packages' tests.
 */
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { maxDurationMs } from './duration.js';
import { checkRateLimitOptions, resetInMs } from './rate-limit-options.js';

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
