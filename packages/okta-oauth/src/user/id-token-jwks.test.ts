/** `createJwksIdTokenVerifier`'s options: a key-set max age from 0 to a day, else `INVALID_CONFIG` saying what to pass. */
import { describe, expect, it } from 'vitest';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';
import { keySetMaxAgeLimitMs } from './id-token-key-set.js';

describe('createJwksIdTokenVerifier', () => {
  it.each([
    ['no options', undefined],
    ['null', null],
    ['{}', {}],
    ['0 (fetch for every token)', { keySetMaxAgeMs: 0 }],
    ['5 minutes', { keySetMaxAgeMs: 300_000 }],
    ['a day', { keySetMaxAgeMs: keySetMaxAgeLimitMs }],
    // From JavaScript: the default, as any duration option given null.
    ['a keySetMaxAgeMs of null', { keySetMaxAgeMs: null }],
  ])('takes %s', (_name, options) => {
    expect(typeof createJwksIdTokenVerifier(options as never)).toBe('function');
  });

  it.each([['negative', -1], ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY], ['a string', '600000'], ['over a day', keySetMaxAgeLimitMs + 1]])(
    'refuses a keySetMaxAgeMs that is %s, saying what to pass',
    (_name, keySetMaxAgeMs) => {
      expect(() => createJwksIdTokenVerifier({ keySetMaxAgeMs } as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', message: 'The keySetMaxAgeMs option must be a number of milliseconds from 0 to 86400000 (0 ms to 24 h).' }),
      );
    },
  );

  it.each([
    ['a number', 600_000],
    ['a string', 'keySetMaxAgeMs'],
    ['an array', [600_000]],
  ])('refuses options that are %s', (_name, options) => {
    expect(() => createJwksIdTokenVerifier(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('takes an options object') }));
  });
});
