/**
 * A client key given as a WebCrypto `CryptoKey`, and `importPrivateKey`, at their edges (mutation
 * testing, thirty-fifth round): the algorithm each of the six kinds Okta accepts signs with
 * (RFC 7518 §3.3, §3.4), a key with neither hash nor curve named as it is, `isCryptoKey` where the
 * runtime has no `CryptoKey` class, the thumbprint of a key of unknown public half (a promise of
 * nothing), and `importPrivateKey`'s options that are no object. Unit level: no server.
 */
import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { isCryptoKey, prepareCryptoKey } from './crypto-key-input.js';
import { importPrivateKey } from './import-private-key.js';

const keyError = (run: () => unknown) => failure.sync(run, isOktaOAuthError);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('prepareCryptoKey', () => {
  it.each([
    ['rsa2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, 'RS256'],
    ['rsa2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, 'RS384'],
    ['rsa2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' }, 'RS512'],
    ['p256', { name: 'ECDSA', namedCurve: 'P-256' }, 'ES256'],
    ['p384', { name: 'ECDSA', namedCurve: 'P-384' }, 'ES384'],
    ['p521', { name: 'ECDSA', namedCurve: 'P-521' }, 'ES512'],
  ] as const)('signs a %s CryptoKey imported as %o with %s, and takes that algorithm when asked for it', async (kind, params, alg) => {
    const key = await crypto.subtle.importKey('jwk', testKey(kind).jwk, params, false, ['sign']);
    expect(prepareCryptoKey(key, {}).algorithm).toBe(alg);
    expect(prepareCryptoKey(key, { algorithm: alg }).algorithm).toBe(alg);
  });

  it('names a key with neither hash nor curve (Ed25519) as it is, and refuses it', async () => {
    const { privateKey } = await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify']);
    const error = keyError(() => prepareCryptoKey(privateKey, {}));
    expect(error.code).toBe('INVALID_KEY');
    expect(error.message).toBe(
      'The client CryptoKey is Ed25519; Okta accepts RSASSA-PKCS1-v1_5 with SHA-256, SHA-384 or SHA-512, and ECDSA on P-256, P-384 or P-521.',
    );
  });

  it('refuses a secret (HMAC) CryptoKey as one private_key_jwt cannot sign with', async () => {
    const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    expect(keyError(() => prepareCryptoKey(hmac, {})).message).toMatch(/^The client CryptoKey is a secret key; private_key_jwt signs with the private key/);
  });

  it('answers the thumbprint of a non-extractable key imported elsewhere as a promise of nothing (no cache binding)', async () => {
    const key = await crypto.subtle.importKey('jwk', testKey('p256').jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const thumbprint = prepareCryptoKey(key, {}).thumbprint();
    expect(thumbprint).toBeInstanceOf(Promise);
    expect(await thumbprint).toBeUndefined();
  });
});

describe('isCryptoKey', () => {
  it('answers false, not a TypeError, where the runtime has no CryptoKey class', async () => {
    const key = await crypto.subtle.importKey('jwk', testKey('p256').jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    expect(isCryptoKey(key)).toBe(true);
    vi.stubGlobal('CryptoKey', undefined);
    expect(isCryptoKey(key)).toBe(false);
    expect(isCryptoKey(testKey('p256').pem)).toBe(false);
  });
});

describe('importPrivateKey', () => {
  it.each([
    [42, 'a number'],
    ['RS256', 'a string'],
    [['RS256'], 'an array'],
  ] as const)('refuses options %o with INVALID_CONFIG naming importPrivateKey(key, options)', async (options, what) => {
    const error = await failure(importPrivateKey(testKey('p256').pem, options as never), isOktaOAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe(`importPrivateKey(key, options) takes an options object or nothing, not ${what}.`);
  });
});
