import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '@org/okta-auth-core';
import { OktaOAuthError, isOktaOAuthError } from './errors.js';
import { OktaSignInError, isOktaSignInError } from './user/errors.js';

describe('one error base class per package', () => {
  it('sign-in errors are OktaOAuthErrors, with their own guard and narrowed code', () => {
    const error = new OktaSignInError('ID_TOKEN_INVALID', 'The ID token failed validation.', { reason: 'nonce', status: 200 });
    expect(error).toBeInstanceOf(OktaOAuthError);
    expect(isOktaOAuthError(error) && isOktaSignInError(error) && isOktaAuthError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'OktaSignInError', code: 'ID_TOKEN_INVALID', reason: 'nonce', status: 200 });
    const base = new OktaOAuthError('INVALID_KEY', 'bad key');
    expect(isOktaSignInError(base)).toBe(false);
    expect(isOktaOAuthError(base)).toBe(true);
  });

  it('guards work across realms (a plain object carrying the markers is not enough without the marker symbols)', () => {
    expect(isOktaOAuthError({ name: 'OktaOAuthError', code: 'INVALID_KEY' })).toBe(false);
    expect(isOktaSignInError(new Error('x'))).toBe(false);
  });
});
