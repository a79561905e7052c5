/**
 * The helpers core's tests read a call's outcome with must not hide a failure: a call that threw
 * `undefined` is not one that returned, and a call that returned a promise is not one that
 * returned (its rejection would go unseen: `rejected` is for that).
 */
import { describe, expect, it } from 'vitest';
import { OktaAuthError } from '../errors/errors.js';
import { rejected, run, thrown, told } from './outcome.js';

const throwsUndefined = (): never => {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- the case under test
  throw undefined;
};
// eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the case under test
const rejectsUndefined = (): Promise<never> => Promise.reject(undefined);

describe('test-helpers/outcome', () => {
  it('thrown: a call that threw undefined is told from one that returned', () => {
    expect(thrown(() => 1)).toBeUndefined();
    expect(told(thrown(throwsUndefined), 'returned')).not.toBe('returned');
  });

  it('rejected: a promise that rejected with undefined is told from one that resolved', async () => {
    expect(await rejected(() => Promise.resolve(1))).toBeUndefined();
    expect(told(await rejected(rejectsUndefined), 'resolved')).not.toBe('resolved');
    expect(told(await rejected(throwsUndefined), 'resolved')).not.toBe('resolved');
  });

  it('run: a rejection with undefined fails the test instead of reading as resolved', async () => {
    expect(await run(() => Promise.resolve(1))).toBeUndefined();
    const error = new OktaAuthError('INVALID_CONFIG', 'x');
    expect(await run(() => Promise.reject(error))).toBe(error);
    expect(await rejected(() => run(rejectsUndefined))).toBeInstanceOf(Error);
  });

  it('thrown: a call returning a promise is refused (its rejection would go unread)', () => {
    const pending = Promise.reject(new Error('refused later'));
    pending.catch(() => undefined);
    expect(told(thrown(() => pending), 'returned')).not.toBe('returned');
  });
});
