/**
 * Every refusal of an algorithm or mode name shows it one way (`refusedName`, `algorithms.ts`):
 * a short string quoted, a long one (a client secret or key put in the wrong place) by its length
 * only, anything else by its type, and a BigInt (which `JSON.stringify` cannot write) is still the
 * typed `INVALID_CONFIG`, not a raw `TypeError`.
 */
import { describe, expect, it } from 'vitest';
import type { JWK } from 'jose';
import { clientSecretJwt } from '../client-auth/client-secret.js';
import { fromJwk } from '../client-auth/jwk-input.js';
import { checkAlgorithmOption } from '../client-auth/key-algorithm.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import type { ClientAssertionSigner } from '../client-auth/private-key-jwt.js';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';
import { isOktaOAuthError } from '../errors.js';
import { refusal } from '../test-helpers/refusal.js';
import { refusedName } from './algorithms.js';
import { checkDpopMode } from './validate.js';

const secret = 'Xy7_q-0123456789abcdefghijklmnopqrstuv'; // shaped as an Okta client secret (38 characters)
const signer = (alg: unknown): ClientAssertionSigner => ({ alg, kid: 'k1', sign: () => new Uint8Array(64) }) as unknown as ClientAssertionSigner;
const dpopRefusal = async (algorithm: unknown): Promise<string> =>
  await generateDpopKeyPair(algorithm as DpopAlgorithm).then(
    () => 'accepted',
    (error: unknown) => (isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`),
  );

describe('refusedName', () => {
  it('quotes a string of up to 16 characters, shows a longer one by its length, anything else by its type', () => {
    expect(refusedName('HS999')).toBe('"HS999"');
    expect(refusedName('a"b')).toBe('"a\\"b"');
    expect(refusedName('x'.repeat(16))).toBe(`"${'x'.repeat(16)}"`);
    expect(refusedName('x'.repeat(17))).toBe('(a string of 17 characters, not shown)');
    expect([1n, 256, null, undefined, {}, Symbol('s'), () => 1].map(refusedName)).toEqual(['bigint', 'number', 'object', 'undefined', 'object', 'symbol', 'function']);
  });
});

describe('the refusals that show a name', () => {
  const sites: [string, (value: unknown) => Promise<string> | string, string][] = [
    // The code before the message: INVALID_KEY for a key's or signer's algorithm, INVALID_CONFIG for an option.
    ['clientSecretJwt algorithm', (value) => refusal(() => clientSecretJwt('s'.repeat(32), { algorithm: value as 'HS256' })), 'INVALID_CONFIG: clientSecretJwt: algorithm '],
    ['a signer\'s alg', (value) => refusal(() => privateKeyJwt(signer(value))), "INVALID_KEY: The client assertion signer's alg "],
    ['a JWK alg', (value) => refusal(() => checkAlgorithmOption(value, 'JWK "alg"')), 'INVALID_KEY: The client key JWK "alg" '],
    ['dpopAlgorithm', dpopRefusal, 'INVALID_CONFIG: dpopAlgorithm '],
    ['dpop mode', (value) => refusal(() => checkDpopMode(value)), 'INVALID_CONFIG: dpop must be "required", "auto" or "off", not '],
  ];

  it.each(sites)('%s: a BigInt is a typed refusal naming its type', async (_, refuse, start) => {
    expect(await refuse(10n)).toContain(`${start}bigint`);
  });

  it.each(sites)('%s: a secret in its place is not echoed, only its length', async (_, refuse, start) => {
    const said = await refuse(secret);
    expect(said).toContain(`${start}(a string of ${secret.length} characters, not shown)`);
    expect(said).not.toContain(secret.slice(0, 8));
  });

  it.each(sites)('%s: a short wrong name is quoted', async (_, refuse, start) => {
    expect(await refuse('HS999')).toContain(`${start}"HS999"`);
  });
});

// A JWK's kty and crv are names too: a JWK built by hand (`{ kty: 'EC', crv: process.env.… }`) may hold anything there.
describe("a JWK's kty and crv, shown as a refused name", () => {
  const kty = (value: unknown): string => refusal(() => fromJwk({ kty: value, d: 'AAAA' } as JWK, undefined));
  const crv = (value: unknown): string => refusal(() => fromJwk({ kty: 'EC', d: 'AAAA', crv: value } as JWK, undefined));

  it('quotes a short wrong name, and shows a long one (a secret in its place) by its length only', () => {
    expect(kty('OKP')).toBe('INVALID_KEY: The client JWK has kty "OKP"; Okta accepts RSA and EC keys.');
    expect(crv('P-192')).toBe('INVALID_KEY: The client JWK uses curve "P-192"; Okta accepts P-256, P-384 and P-521.');
    for (const said of [kty(secret), crv(secret)]) {
      expect(said).toContain(`(a string of ${secret.length} characters, not shown)`);
      expect(said).not.toContain(secret.slice(0, 8));
    }
  });

  it('refuses a crv that is not a string by its type (a Symbol is no TypeError, an array naming a curve is no curve, an object is not asked for its text)', () => {
    const asked = { toString: () => secret };
    expect([crv(Symbol('P-256')), crv(['P-256']), crv(asked), crv(undefined)]).toEqual(
      ['symbol', 'object', 'object', 'undefined'].map((type) => `INVALID_KEY: The client JWK uses curve ${type}; Okta accepts P-256, P-384 and P-521.`),
    );
  });
});
