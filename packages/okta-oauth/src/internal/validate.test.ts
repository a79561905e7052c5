import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { normalizeScope } from '../user/validate.js';
import { checkScopes } from './validate.js';

describe('one scope rule for service apps and sign-in', () => {
  it.each([
    ['a space-separated string', 'openid  offline_access okta.users.read'],
    ['a comma-separated string', 'openid,offline_access, okta.users.read'],
    ['an array', ['openid', 'offline_access', 'okta.users.read', 'openid']],
  ])('reads %s the same way in both', (_, input) => {
    expect(checkScopes(input)).toEqual(['openid', 'offline_access', 'okta.users.read']);
    expect(normalizeScope(input, 'scopes')).toBe('openid offline_access okta.users.read');
  });

  it('refuses the same inputs in both, with the same error', () => {
    for (const bad of [[], '', ' , ', ['a"b'], 42]) {
      let service: unknown;
      let signIn: unknown;
      try {
        checkScopes(bad);
      } catch (error) {
        service = error;
      }
      try {
        normalizeScope(bad, 'scopes');
      } catch (error) {
        signIn = error;
      }
      expect(isOktaOAuthError(service) && service.code).toBe('INVALID_CONFIG');
      expect(isOktaOAuthError(signIn) && signIn.code).toBe('INVALID_CONFIG');
      expect((signIn as Error).message).toBe((service as Error).message);
    }
  });
});
