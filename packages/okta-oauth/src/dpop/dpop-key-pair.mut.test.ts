/**
 * What the thirty-second mutation round found no test reading in `dpop-key-pair.ts`: the key the
 * credentials generate for themselves is non-extractable (RFC 9449 §2: the private key stays
 * where it was made), `importDpopKeyPair` takes RSA keys and its default ES256, and each of its
 * refusals says which key it wanted (never key material).
 */
import { exportJWK } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';
import { generateDpopKeyPair, importDpopKeyPair } from './dpop-key-pair.js';

/** `INVALID_CONFIG: <message>`, or what else happened. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'accepted',
    (error: unknown) => (isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`),
  );
}

describe('the DPoP key a credential generates for itself', () => {
  it.each(['ES256', 'RS256'] as const)('is a non-extractable %s private key', async (algorithm) => {
    // The key lives in a private field of DpopKey: read it where WebCrypto hands it over.
    const generate = vi.spyOn(crypto.subtle, 'generateKey');
    try {
      const key = await DpopKey.generate(algorithm);
      expect(key.algorithm).toBe(algorithm);
      expect(generate).toHaveBeenCalledTimes(1);
      const pair = (await generate.mock.results[0]?.value) as CryptoKeyPair;
      expect([pair.privateKey.extractable, pair.publicKey.extractable]).toEqual([false, true]);
    } finally {
      generate.mockRestore();
    }
  });
});

describe('importDpopKeyPair', () => {
  it('takes an RSA private JWK for RS256: a non-extractable private key, a public key that verifies, proofs signed', async () => {
    const pair = await importDpopKeyPair(testKey('rsa2048').jwk, 'RS256');
    expect([pair.privateKey.extractable, pair.privateKey.usages]).toEqual([false, ['sign']]);
    expect(pair.publicKey.usages).toEqual(['verify']);
    expect(pair.privateKey.algorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
    expect((await DpopKey.fromKeyPair(pair, 'RS256')).publicJwk).toEqual({ kty: 'RSA', e: testKey('rsa2048').publicJwk.e, n: testKey('rsa2048').publicJwk.n });
  });

  it('takes ES256 when no algorithm is given', async () => {
    const pair = await importDpopKeyPair(testKey('p256').jwk);
    expect(pair.privateKey.algorithm).toEqual({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(pair.publicKey.usages).toEqual(['verify']);
  });

  it.each([
    ['an RSA JWK for ES256', () => testKey('rsa2048').jwk, 'ES256', 'The DPoP key is not a private EC P-256 JWK for ES256.'],
    ['a public EC JWK', () => testKey('p256').publicJwk, 'ES256', 'The DPoP key is not a private EC P-256 JWK for ES256.'],
    ['a P-256 JWK for ES384', () => testKey('p256').jwk, 'ES384', 'The DPoP key is not a private EC P-384 JWK for ES384.'],
    ['an EC JWK for RS256', () => testKey('p256').jwk, 'RS256', 'The DPoP key is not a private RSA JWK for RS256.'],
    ['a public RSA JWK', () => testKey('rsa2048').publicJwk, 'RS256', 'The DPoP key is not a private RSA JWK for RS256.'],
  ] as const)('refuses %s, naming the key it wants', async (_name, jwk, algorithm: DpopAlgorithm, message) => {
    expect(await refusal(importDpopKeyPair(jwk(), algorithm))).toBe(`INVALID_CONFIG: ${message}`);
  });

  it.each([
    ['null', null],
    ['a PEM string', testKey('p256').pem],
    ['the algorithm first', 'ES256'],
  ])('refuses %s where the JWK goes, saying what to give', async (_name, value) => {
    expect(await refusal(importDpopKeyPair(value as never, 'ES256'))).toBe("INVALID_CONFIG: importDpopKeyPair takes the private JWK first, as crypto.subtle.exportKey('jwk', privateKey) gives it.");
  });

  it('refuses a JWK of the right sizes that WebCrypto cannot import (a point off the curve), quoting none of it', async () => {
    const { jwk } = testKey('p256');
    const other = await exportJWK((await generateDpopKeyPair('ES256', { extractable: true })).publicKey);
    const message = await refusal(importDpopKeyPair({ ...jwk, x: other.x ?? '' }, 'ES256'));
    expect(message).toBe('INVALID_CONFIG: The DPoP private JWK could not be imported for ES256; check that it is complete.');
  });
});

describe('generateDpopKeyPair', () => {
  it('refuses an algorithm Okta does not take, listing those it does', async () => {
    expect(await refusal(generateDpopKeyPair('PS256' as never))).toBe('INVALID_CONFIG: dpopAlgorithm "PS256" is not one Okta accepts: use one of RS256, RS384, RS512, ES256, ES384, ES512.');
  });
});
