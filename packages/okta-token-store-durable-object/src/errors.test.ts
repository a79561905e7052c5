import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { isOktaDurableObjectStoreError, OktaDurableObjectStoreError } from './errors.js';

describe("isOktaDurableObjectStoreError: the packages' one cross-realm guard (core brandError)", () => {
  it('accepts an instance, which is an okta-auth error too', () => {
    const error = new OktaDurableObjectStoreError('STORE_UNAVAILABLE', 'The token store object did not answer.');
    expect(isOktaDurableObjectStoreError(error)).toBe(true);
    expect(isOktaAuthError(error)).toBe(true);
  });

  it('accepts an instance of another copy of the package (the Symbol.for brand), refuses a look-alike', () => {
    const copy = Object.assign(new Error('from another copy'), { name: 'OktaDurableObjectStoreError', code: 'STORE_UNAVAILABLE' });
    expect(isOktaDurableObjectStoreError(copy)).toBe(false);
    Object.defineProperty(copy, Symbol.for('@org/okta-token-store-durable-object/error'), { value: true });
    expect(copy instanceof OktaDurableObjectStoreError).toBe(false);
    expect(isOktaDurableObjectStoreError(copy)).toBe(true);
    expect(isOktaDurableObjectStoreError(null)).toBe(false);
  });
});
