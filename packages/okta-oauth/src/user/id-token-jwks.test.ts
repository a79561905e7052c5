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
  ])('takes %s', (_name, options) => {
    expect(typeof createJwksIdTokenVerifier(options)).toBe('function');
  });

  it.each([
    ['negative', -1, 'must be a non-negative number'],
    ['NaN', Number.NaN, 'must be a non-negative number'],
    ['Infinity', Number.POSITIVE_INFINITY, 'must be a non-negative number'],
    ['a string', '600000', 'must be a non-negative number'],
    ['null', null, 'must be a non-negative number'],
    ['over a day', keySetMaxAgeLimitMs + 1, 'must be at most 86400000 (a day)'],
  ])('refuses a keySetMaxAgeMs that is %s, saying what to pass', (_name, keySetMaxAgeMs, rule) => {
    expect(() => createJwksIdTokenVerifier({ keySetMaxAgeMs } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining(`createJwksIdTokenVerifier: keySetMaxAgeMs ${rule}`) }),
    );
  });

  it.each([
    ['a number', 600_000],
    ['a string', 'keySetMaxAgeMs'],
    ['an array', [600_000]],
  ])('refuses options that are %s', (_name, options) => {
    expect(() => createJwksIdTokenVerifier(options as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('takes an options object') }));
  });
});
