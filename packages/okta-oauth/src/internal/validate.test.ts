import { describe, expect, it } from 'vitest';
import { refusal } from '../test-helpers/refusal.js';
import { isOktaOAuthError } from '../errors.js';
import { normalizeScope } from '../user/validate.js';
import { checkClientId, checkDpop, checkDpopOptions, checkOptionalString, checkScopes, checkTokenStore, checkTransport } from './validate.js';

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
    expect(checkDpop({ dpop: false }, 'auto', true)).toEqual({ mode: 'off', algorithm: undefined, keyPair: undefined });
    // A key or algorithm beside "off" would be ignored: refused, naming both; alone, where the default is "off" (sign-in), it means "required".
    expect(() => checkDpop({ dpop: false, dpopAlgorithm: 'ES384' }, 'auto', true)).toThrow(/^dpop is "off" beside dpopAlgorithm, which would be ignored: drop one of them/);
    expect(() => checkDpopOptions({ dpop: 'off', dpopKeyPair: keyPair }, 'auto')).toThrow(/dpop is "off" beside dpopKeyPair/);
    expect(checkDpop({ dpopKeyPair: keyPair }, 'off', true)).toEqual({ mode: 'required', algorithm: undefined, keyPair });
    expect(checkDpop({ dpopAlgorithm: 'ES384' }, 'off', true).mode).toBe('required');
    expect(checkDpopOptions({ dpopKeyPair: keyPair }, 'auto').mode).toBe('auto');
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

describe('the other shared option checks', () => {
  it('takes a client id of up to 200 printable characters, trimmed', () => {
    expect(checkClientId(` ${'x'.repeat(200)}\t`)).toBe('x'.repeat(200));
    expect(refusal(() => checkClientId('x'.repeat(201)))).toMatch(/^INVALID_CONFIG: clientId is not a client id/);
    expect(refusal(() => checkClientId(undefined, 'OKTA_CLIENT_ID'))).toMatch(/^INVALID_CONFIG: OKTA_CLIENT_ID is missing/);
  });

  it('takes a token store with get, set and remove (OktaStorage) or delete (TokenStore), nothing less', () => {
    const fn = () => undefined;
    for (const store of [{ get: fn, set: fn, remove: fn }, { get: fn, set: fn, delete: fn }]) expect(checkTokenStore(store)).toBe(store);
    expect(checkTokenStore(undefined)).toBeUndefined();
    for (const store of [null, 'store', { get: fn, set: fn }, { get: fn, remove: fn }, { set: fn, delete: fn }]) {
      expect(refusal(() => checkTokenStore(store))).toMatch(/^INVALID_CONFIG: tokenStore must be/);
    }
  });

  it('trims an optional string and refuses an empty one', () => {
    expect(checkOptionalString(' kid-1 ', 'keyId')).toBe('kid-1');
    expect(checkOptionalString(undefined, 'keyId')).toBeUndefined();
    for (const value of ['', '  ', 42]) expect(refusal(() => checkOptionalString(value, 'keyId'))).toBe('INVALID_CONFIG: keyId must be a non-empty string when given.');
  });

  it("passes on only the transport options, and the core's INVALID_CONFIG as this package's error", () => {
    const fetch = globalThis.fetch;
    expect(checkTransport({ fetch, timeoutMs: 5_000, userAgent: 'app/1', retry: undefined, scopes: ['x'] } as never)).toEqual({ fetch, timeoutMs: 5_000, userAgent: 'app/1' });
    expect(refusal(() => checkTransport({ timeoutMs: -1 }))).toMatch(/^INVALID_CONFIG: .*timeoutMs/);
  });
});
