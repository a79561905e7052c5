import { describe, expect, it } from 'vitest';
import { isOktaApiError } from './api-error.js';
import { brandError, isBrandedError, isOktaAuthError, OktaAuthError, sharedRecords } from './errors.js';

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

describe("the realm's one record of answers and attempts (sharedRecords)", () => {
  it('is one frozen object under its key: its maps cannot be replaced, so every later copy reads the same ones', () => {
    const key = Symbol.for('@org/okta-auth-core/records/v1');
    const registry = sharedRecords();
    const { answers } = registry;
    expect(sharedRecords()).toBe(registry);
    expect(Object.getOwnPropertyDescriptor(globalThis, key)).toMatchObject({ value: registry, writable: false, enumerable: false, configurable: false });
    // mend166 (rev166c): the object was not frozen, so `registry.answers = new WeakMap()` gave a later copy another map.
    expect(Object.isFrozen(registry)).toBe(true);
    expect(() => Object.assign(registry, { answers: new WeakMap() })).toThrow(TypeError);
    expect(Reflect.set(registry, 'deadlines', new WeakMap())).toBe(false);
    expect(sharedRecords().answers).toBe(answers);
  });
});
