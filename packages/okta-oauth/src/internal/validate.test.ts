import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { normalizeScope } from '../user/validate.js';
import { checkDpop, checkDpopOptions, checkScopes } from './validate.js';

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

describe('one reading of the DPoP options; the sign-in client\'s deprecated aliases only with legacy', () => {
  it('maps true, false and { keyPair, algorithm } with legacy, and refuses them without', async () => {
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect(checkDpop({ dpop: true }, 'off', true)).toEqual({ mode: 'required', algorithm: undefined, keyPair: undefined });
    expect(checkDpop({ dpop: false, dpopAlgorithm: 'ES384' }, 'auto', true)).toEqual({ mode: 'off', algorithm: 'ES384', keyPair: undefined });
    expect(checkDpop({ dpop: { keyPair, algorithm: 'ES256' } }, 'off', true)).toEqual({ mode: 'required', algorithm: 'ES256', keyPair });
    expect(checkDpop({ dpop: 'auto' }, 'off', true).mode).toBe('auto');
    for (const read of [(o: object) => checkDpop(o, 'auto'), (o: object) => checkDpopOptions(o, 'auto')]) {
      expect(read({}).mode).toBe('auto');
      expect(() => read({ dpop: true })).toThrow(/dpop is true: use "required"/);
      expect(() => read({ dpop: { keyPair } })).toThrow(/dpop must be "required", "auto" or "off", not object/);
      expect(() => read({ dpopKeyPair: {} })).toThrow(/dpopKeyPair must be a WebCrypto CryptoKeyPair/);
    }
    expect(() => checkDpop({ dpop: { algorithm: 'HS256' } }, 'off', true)).toThrow(/dpopAlgorithm must be one of/);
  });
});
