import { describe, expect, it } from 'vitest';
import { isOktaApiError } from './api-error.js';
import { brandError, isBrandedError, isOktaAuthError, OktaAuthError } from './errors.js';

/** An error as another copy of the package (a duplicated install, an iframe) would make it. */
function foreign(brand: string, fields: Record<string, unknown>): Error {
  const error = Object.assign(new Error('from another realm'), fields);
  brandError(error, brand);
  return error;
}

describe('one cross-realm type-guard mechanism', () => {
  it('recognises its own instances and branded errors from another copy of the package', () => {
    expect(isOktaAuthError(new OktaAuthError('TIMEOUT', 'slow'))).toBe(true);
    expect(isOktaAuthError(foreign('@org/okta-auth-core/error', { code: 'TIMEOUT' }))).toBe(true);
    expect(isOktaApiError(foreign('@org/okta-auth-core/api-error', { code: 'API_ERROR', status: 404 }))).toBe(true);
    expect(isBrandedError(foreign('@org/okta-x/error', { code: 'X' }), OktaAuthError, '@org/okta-x/error')).toBe(true);
  });

  it('refuses look-alikes: a name alone, a brand without a code, another brand', () => {
    expect(isOktaApiError(Object.assign(new Error('x'), { name: 'OktaApiError', code: 'API_ERROR', status: 404 }))).toBe(false);
    expect(isOktaAuthError(foreign('@org/okta-auth-core/error', {}))).toBe(false);
    expect(isOktaApiError(foreign('@org/okta-auth-core/error', { code: 'API_ERROR', status: 404 }))).toBe(false);
    expect(isOktaAuthError(null)).toBe(false);
    expect(isOktaAuthError('TIMEOUT')).toBe(false);
  });
});
