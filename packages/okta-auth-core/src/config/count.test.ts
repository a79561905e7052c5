/**
 * The one check of a count option (`checkCount`): what it takes, what it refuses and in which
 * words, that a range may end at `Infinity` (`maxPages`), that a `fallback` of `NaN` makes the
 * value required (`createInFlightLimit(max)`, an argument, named as one), and that each package's own error class carries the refusal.
 */
import { describe, expect, it } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { checkCount, maxKept } from './count.js';

const orgs = [1, 1000] as const;
const refusal = 'The maxOrgs option must be a whole number from 1 to 1000.';

describe('checkCount', () => {
  it.each([
    ['undefined, the default', undefined, 50],
    ['null, the default (as an options argument given null)', null, 50],
    ['the least', 1, 1],
    ['the most', 1000, 1000],
    ['one between', 7, 7],
  ])('takes %s: %s is %s', (_, value, expected) => {
    expect(checkCount(value, 'maxOrgs', 50, orgs)).toBe(expected);
  });

  it.each([
    ['NaN', Number.NaN],
    ['a numeric string', '5'],
    ['a fraction', 1.5],
    ['zero, below the least', 0],
    ['a negative', -1],
    ['one past the most', 1001],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['1e12', 1e12],
    ['true', true],
    ['an array of one number', [5]],
    ['a bigint', 5n],
    ['an object whose valueOf is a number', { valueOf: () => 5 }],
  ])('refuses %s with INVALID_CONFIG naming the option and its range', (_, value) => {
    let error: unknown;
    try {
      checkCount(value, 'maxOrgs', 50, orgs);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(OktaAuthError);
    expect([(error as OktaAuthError).code, (error as Error).message]).toEqual(['INVALID_CONFIG', refusal]);
  });

  it('a range from 0 takes 0 (retry.limit)', () => {
    expect(checkCount(0, 'retry.limit', 2, [0, 20])).toBe(0);
    expect(() => checkCount(21, 'retry.limit', 2, [0, 20])).toThrow(new OktaAuthError('INVALID_CONFIG', 'The retry.limit option must be a whole number from 0 to 20.'));
  });

  it('a range that ends at Infinity takes Infinity, and still no fraction nor NaN (maxPages)', () => {
    const pages = [1, Number.POSITIVE_INFINITY] as const;
    expect(checkCount(undefined, 'maxPages', Number.POSITIVE_INFINITY, pages)).toBe(Number.POSITIVE_INFINITY);
    expect(checkCount(Number.POSITIVE_INFINITY, 'maxPages', 1, pages)).toBe(Number.POSITIVE_INFINITY);
    expect(checkCount(1e300, 'maxPages', 1, pages)).toBe(1e300);
    for (const value of [0, 1.5, Number.NaN, '3']) expect(() => checkCount(value, 'maxPages', 1, pages)).toThrow('The maxPages option must be a whole number from 1 to Infinity.');
  });

  it('a fallback of NaN makes the value required: nothing is refused as a wrong value is', () => {
    for (const value of [undefined, null]) {
      expect(() => checkCount(value, 'createInFlightLimit(max)', Number.NaN, [1, 1000])).toThrow(new OktaAuthError('INVALID_CONFIG', 'createInFlightLimit(max) must be a whole number from 1 to 1000.'));
    }
  });

  it('names an argument (a name ending in a bracket) as itself, an option as an option: one wording rule, why kept', () => {
    // mend166 (rev166c): `createInFlightLimit(max)` was called an option, which no argument is.
    expect(() => checkCount(0, 'createInFlightLimit(max)', Number.NaN, [1, 1000], undefined, 'Okta allows 75')).toThrow(
      new OktaAuthError('INVALID_CONFIG', 'createInFlightLimit(max) must be a whole number from 1 to 1000 (Okta allows 75).'),
    );
    expect(() => checkCount(0, 'credential.retry.limit', 2, [1, 20])).toThrow(new OktaAuthError('INVALID_CONFIG', 'The credential.retry.limit option must be a whole number from 1 to 20.'));
  });

  it('says what the count is, given why', () => {
    expect(() => checkCount(0, 'maxBuckets', 50_000, [1, maxKept], undefined, 'buckets kept in memory')).toThrow(
      new OktaAuthError('INVALID_CONFIG', 'The maxBuckets option must be a whole number from 1 to 1000000 (buckets kept in memory).'),
    );
  });

  it("throws the package's own error (its class and code) when given one", () => {
    class StoreError extends Error {
      readonly code = 'INVALID_CONFIG';
    }
    expect(() => checkCount('10', 'maxEntries', 100, [1, 10], (message) => new StoreError(message))).toThrow(
      new StoreError('The maxEntries option must be a whole number from 1 to 10.'),
    );
  });

  it('keeps memory bounded: maxKept is finite, a million', () => {
    expect(maxKept).toBe(1_000_000);
  });
});
