import { isOktaAuthError } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { isOktaRedisStoreError, OktaRedisStoreError } from './errors.js';

describe('isOktaRedisStoreError: the packages\' one cross-realm guard (core brandError)', () => {
  it('accepts an instance, which is an okta-auth error too', () => {
    const error = new OktaRedisStoreError('REDIS_UNAVAILABLE', 'Redis did not answer.');
    expect(isOktaRedisStoreError(error)).toBe(true);
    expect(isOktaAuthError(error)).toBe(true);
  });

  it('accepts an instance of another copy of the package (the Symbol.for brand, not instanceof)', () => {
    const copy = Object.assign(new Error('from another copy'), { name: 'OktaRedisStoreError', code: 'REDIS_UNAVAILABLE' });
    Object.defineProperty(copy, Symbol.for('@org/okta-token-store-redis/error'), { value: true });
    expect(copy instanceof OktaRedisStoreError).toBe(false);
    expect(isOktaRedisStoreError(copy)).toBe(true);
  });

  it('refuses an object that only carries the name (the guard used to trust it)', () => {
    expect(isOktaRedisStoreError({ name: 'OktaRedisStoreError', code: 'INVALID_CONFIG' })).toBe(false);
    expect(isOktaRedisStoreError(Object.assign(new Error('x'), { name: 'OktaRedisStoreError', code: 'INVALID_CONFIG' }))).toBe(false);
    expect(isOktaRedisStoreError(new Error('x'))).toBe(false);
    expect(isOktaRedisStoreError(null)).toBe(false);
  });
});
