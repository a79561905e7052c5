import type { JWK } from 'jose';
import { base64urlDecode } from '@org/okta-auth-core/internal';
import { bitLength, checkAlgorithmOption, checkRsaBits, curveAlgorithms, fitAlgorithm, keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';

/** Parses a private JWK given as JSON text; refuses a JWK Set and non-objects. @internal */
export function parseJwkText(text: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw keyError('The client private key looks like JSON but does not parse: give a private JWK, or a PEM private key ("-----BEGIN PRIVATE KEY-----").');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw keyError('The client private key JSON is not a JWK object.');
  if ('keys' in value) throw keyError('The client private key is a JWK Set; pass the one private JWK (an element of "keys").');
  return value;
}

/** A JWK member's bytes; else `INVALID_KEY` naming the member, never its value. */
function memberBytes(value: unknown, what: string): Uint8Array {
  try {
    if (typeof value === 'string' && value !== '') return base64urlDecode(value);
  } catch {
    // named below
  }
  throw keyError(`The client ${what} a base64url string; give the private JWK as exported, unaltered.`);
}

/** Checks a private JWK (kty, `d`, curve, RSA size, its own `alg`) and returns its algorithm. @internal */
export function fromJwk(jwk: JWK, requested: ClientAssertionAlgorithm | undefined): ClientAssertionAlgorithm {
  if (typeof jwk.kty !== 'string') throw keyError('The client JWK has no "kty"; give an RSA or EC private JWK.');
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw keyError(`The client JWK has kty "${jwk.kty}"; Okta accepts RSA and EC keys.`);
  if (jwk.d === undefined) {
    throw keyError('The client JWK is a public key (it has no "d"); private_key_jwt signs with the private JWK (register the public one in Okta).');
  }
  memberBytes(jwk.d, 'JWK\'s "d" (its private part) is not');
  let natural: ClientAssertionAlgorithm;
  if (jwk.kty === 'EC') {
    const fromCurve = curveAlgorithms[jwk.crv ?? ''];
    if (fromCurve === undefined) throw keyError(`The client JWK uses curve "${jwk.crv ?? ''}"; Okta accepts P-256, P-384 and P-521.`);
    natural = fromCurve;
  } else {
    checkRsaBits(bitLength(memberBytes(jwk.n, 'RSA JWK\'s "n" (its modulus) is missing or not')));
    natural = 'RS256';
  }
  const declared = checkAlgorithmOption(jwk.alg, 'JWK "alg"');
  if (declared !== undefined) {
    natural = fitAlgorithm(natural, declared, `a ${jwk.kty} JWK`);
    if (requested !== undefined && requested !== declared) {
      throw keyError(`The algorithm "${requested}" differs from the JWK's own "alg" ("${declared}"); remove one of them.`);
    }
  }
  return fitAlgorithm(natural, requested, `a ${jwk.kty}${jwk.kty === 'EC' ? ` ${jwk.crv ?? ''}` : ''} key`);
}
