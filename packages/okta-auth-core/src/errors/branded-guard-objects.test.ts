/**
 * The cross-realm guard takes objects alone: a function carrying the error brand and a string
 * `code` (what `brandError`, which takes any object, would brand) is no okta-auth error, as a
 * primitive is not. (mut98: `typeof error === 'object'` made `true`, or joined to `error !== null`
 * by `||`, survived: every look-alike tested was an object, null or a string.)
 */
import { describe, expect, it } from 'vitest';
import { brandError, isBrandedError, isOktaAuthError, OktaAuthError } from './errors.js';

describe('isBrandedError takes objects alone', () => {
  it('a function branded as an error, with a string code, is none', () => {
    const branded = Object.assign(() => undefined, { code: 'TIMEOUT' });
    brandError(branded, '@org/okta-auth-core/error');
    expect(isOktaAuthError(branded)).toBe(false);
    expect(isBrandedError(branded, OktaAuthError, '@org/okta-auth-core/error')).toBe(false);
    // The same brand and code on an object is another copy's error.
    const object = { code: 'TIMEOUT' };
    brandError(object, '@org/okta-auth-core/error');
    expect(isOktaAuthError(object)).toBe(true);
  });
});
