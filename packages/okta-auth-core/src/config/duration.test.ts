/**
 * The one check of a duration option (`checkDuration`): what it takes, how it rounds, what it
 * refuses and in which words, and that each package's own error class carries the refusal.
 */
import { describe, expect, it } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { checkDuration } from './duration.js';

const lease = [1, 300_000] as const;

describe('checkDuration', () => {
  it.each([
    ['absent', undefined, 5000],
    ['null (none, as an options argument given null)', null, 5000],
    ['the least', 1, 1],
    ['the most', 300_000, 300_000],
    ['a fraction, rounded up to a whole ms', 1500.2, 1501],
    ['a float sum just past a whole ms', 0.1 * 3 * 1000, 301],
    ['a fraction below the most, rounded up to it', 299_999.5, 300_000],
    ['a fraction of the least, rounded up to it', 0.5, 1],
  ])('%s: %s is %s', (_, value, expected) => {
    expect(checkDuration(value, 'leaseTtlMs', 5000, lease)).toBe(expected);
  });

  it.each([[0], [-0.5], [-1], [300_000.5], [300_001], [Number.NaN], [Infinity], ['5000'], [true], [{}]])('%s is INVALID_CONFIG naming the option and its range', (value) => {
    let error: unknown;
    try {
      checkDuration(value, 'leaseTtlMs', 5000, lease);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(OktaAuthError);
    expect([(error as OktaAuthError).code, (error as Error).message]).toEqual([
      'INVALID_CONFIG',
      'The leaseTtlMs option must be a number of milliseconds from 1 to 300000 (1 ms to 5 min).',
    ]);
  });

  it.each([
    [[0, 86_400_000], '0 to 86400000 (0 ms to 24 h)'],
    [[1000, 86_400_000], '1000 to 86400000 (1 s to 24 h)'],
    [[1, 60_000], '1 to 60000 (1 ms to 1 min)'],
    [[1, 31_536_000_000], '1 to 31536000000 (1 ms to 365 days)'],
    [[1, 2 ** 31 - 1], '1 to 2147483647 (1 ms to 2147483647 ms)'],
  ] as const)('tells the range %j as %s', (range, told) => {
    expect(() => checkDuration(-1, 'x', 0, range)).toThrow(`The x option must be a number of milliseconds from ${told}.`);
  });

  it('a range from 0 takes 0 and refuses what is below it, a fraction too', () => {
    expect(checkDuration(0, 'keySetMaxAgeMs', 600_000, [0, 86_400_000])).toBe(0);
    expect(() => checkDuration(-0.5, 'keySetMaxAgeMs', 600_000, [0, 86_400_000])).toThrow('from 0 to 86400000 (0 ms to 24 h).');
  });

  it("throws the package's own error (its class and code) when given one", () => {
    class StoreError extends Error {
      readonly code = 'INVALID_CONFIG';
    }
    expect(() => checkDuration('1s', 'ttlMs', 1, [1, 10], (message) => new StoreError(message))).toThrow(
      new StoreError('The ttlMs option must be a number of milliseconds from 1 to 10 (1 ms to 10 ms).'),
    );
  });

  // coord165: the Redis store's `positiveMs` and the Durable Object's `ms` each had this rule and its wording.
  describe('given below: [name, ms, why], a duration that must be under another (a lock under the wait for it)', () => {
    const why = "a crashed holder's lock must end while the other processes still wait for it";
    const lock = (value: unknown, maxWaitMs: number) => checkDuration(value, 'lockTtlMs', 2000, [1, 300_000], undefined, ['maxWaitMs', maxWaitMs, why]);

    it.each([
      ['one under it', 3999, 4000, 3999],
      ['the default under it', undefined, 4000, 2000],
      ['a fraction rounded up, still under it', 1999.5, 2001, 2000],
    ])('takes %s', (_, value, maxWaitMs, expected) => {
      expect(lock(value, maxWaitMs)).toBe(expected);
    });

    it.each([
      ['equal to it', 4000, 4000, '4000 ms'],
      ['past it', 5000, 4000, '5000 ms'],
      ['the default past it', undefined, 1000, 'its default, 2000 ms'],
      ['a fraction rounded up to it', 0.5, 1, '1 ms'],
    ])('refuses %s, naming both options and what to change', (_, value, maxWaitMs, given) => {
      expect(() => lock(value, maxWaitMs)).toThrow(
        new OktaAuthError('INVALID_CONFIG', `The lockTtlMs option (${given}) must be below maxWaitMs (${maxWaitMs} ms): ${why}. Lower lockTtlMs or raise maxWaitMs.`),
      );
    });

    it("checks the range first, and refuses with the package's own error", () => {
      class StoreError extends Error {}
      const refuse = (message: string) => new StoreError(message);
      expect(() => checkDuration(0, 'leaseTtlMs', 2000, [1, 10], refuse, ['maxWaitMs', 4000, why])).toThrow(new StoreError('The leaseTtlMs option must be a number of milliseconds from 1 to 10 (1 ms to 10 ms).'));
      expect(() => checkDuration(9, 'leaseTtlMs', 2000, [1, 10], refuse, ['maxWaitMs', 5, why])).toThrow(StoreError);
    });
  });
});
