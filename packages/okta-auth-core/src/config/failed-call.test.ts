/** The one reading of a store's or coordinator's failure for its event: a typed code and status, never the message. */
import { describe, expect, it } from 'vitest';
import { failedCall } from './logger.js';

describe('failedCall', () => {
  it("carries an upper-case code and an HTTP status, and nothing else of the error", () => {
    const error = Object.assign(new Error('secret-token-value'), { code: 'STORE_UNAVAILABLE', status: 404, token: 'secret-token-value' });
    expect(failedCall({ reason: 'error', error })).toEqual({ outcome: 'error', code: 'STORE_UNAVAILABLE', status: 404 });
  });

  it.each([
    ['a code that is not a word', { code: 'Bearer eyJhbGciOi', status: 0 }],
    ['no code, a status out of range', { status: 9999 }],
    ['a thrown string', 'secret'],
    ['null', null],
    ['a getter that throws', Object.defineProperty({}, 'code', { get: () => { throw new Error('no'); } })],
  ])('%s: the outcome alone', (_, error) => {
    expect(failedCall({ reason: 'error', error })).toEqual({ outcome: 'error' });
  });

  it('a timeout: the outcome alone', () => {
    expect(failedCall({ reason: 'timeout' })).toEqual({ outcome: 'timeout' });
  });
});
