import { describe, expect, it, vi } from 'vitest';
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

  it('guards recognise errors from a second copy of the package, where instanceof fails', async () => {
    vi.resetModules();
    const other = await import('./user/errors.js');
    expect(other.OktaSignInError).not.toBe(OktaSignInError);
    const foreign = new other.OktaSignInError('LOGIN_REQUIRED', 'Sign in again.');
    expect(foreign).not.toBeInstanceOf(OktaOAuthError);
    expect(isOktaSignInError(foreign) && isOktaOAuthError(foreign) && isOktaAuthError(foreign)).toBe(true);
  });

  it('guards refuse look-alikes without the marker symbols', () => {
    expect(isOktaOAuthError({ name: 'OktaOAuthError', code: 'INVALID_KEY' })).toBe(false);
    expect(isOktaSignInError(new Error('x'))).toBe(false);
    expect(isOktaSignInError(new OktaOAuthError('INVALID_KEY', 'bad key'))).toBe(false);
  });
});
