// Mutation testing, thirty-first round (`scope.ts`): the scope list's bound is inclusive, at its edge.
import { describe, expect, it } from 'vitest';
import { OktaApiError } from '../errors/api-error.js';
import { isScopeList, maxScopeLength } from './scope.js';

/** A scope list of `length` characters: `okta.x` scopes, one space apart, padded in its last scope. */
const scopes = (length: number): string => {
  const list = 'okta.x '.repeat(Math.floor(length / 7)).trimEnd();
  return `${list}${'y'.repeat(length - list.length)}`;
};

describe('isScopeList: at most maxScopeLength characters', () => {
  it('takes a list of exactly 8192 characters and refuses one of 8193', () => {
    expect(maxScopeLength).toBe(8192);
    expect(scopes(8192)).toHaveLength(8192);
    expect(isScopeList(scopes(8192))).toBe(true);
    expect(isScopeList(scopes(8193))).toBe(false);
  });

  it("names a missing scope of exactly 8192 characters in an OktaApiError, and not one longer", () => {
    const missing = (scope: string) =>
      OktaApiError.fromParts({ status: 403, statusText: 'Forbidden', headers: new Headers({ 'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"` }), bodyText: '' }, { method: 'GET', url: new URL('https://acme.okta.com/api/v1/users') }).missingScope;
    expect(missing(scopes(8192))).toBe(scopes(8192));
    expect(missing(scopes(8193))).toBeUndefined();
  });
});
