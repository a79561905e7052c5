import type { JWK } from 'jose';
import { base64urlDecode } from '@org/okta-auth-core/internal';
import { refusedName } from '../internal/algorithms.js';
import { bitLength, checkAlgorithmOption, checkRsaBits, curveAlgorithms, fitAlgorithm, keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';

/**
 * Refuses a set of keys given as the one client key, as text or as an object: a JWK Set (`{ keys }`, a rotation's
 * old and new keys) or an array of JWKs. Which key signs is not guessed. @internal
 */
export function refuseKeySet(value: object): void {
  if (Array.isArray(value) || 'keys' in value) throw keyError('The client private key is a set of keys (a JWK Set, or an array of JWKs); pass the one private JWK.');
}

/** Parses a private JWK given as JSON text; refuses a set of keys and non-objects. @internal */
export function parseJwkText(text: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw keyError('The client private key looks like JSON but does not parse: give a private JWK, or a PEM private key ("-----BEGIN PRIVATE KEY-----").');
  }
  if (typeof value === 'object' && value !== null) refuseKeySet(value);
  if (typeof value !== 'object' || value === null) throw keyError('The client private key JSON is not a JWK object.');
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

/** The bytes of a coordinate (and of `d`) on a curve of `curveAlgorithms`: its bits in bytes (P-521: 66). */
const curveBytes = (name: string): number => Math.ceil(Number(name.slice(2)) / 8);

/**
 * Why an EC JWK's `x`, `y` or `d` does not fit its `crv` (a P-256 key labelled P-384, a cut key),
 * by lengths only, never a value; `undefined` when they fit or `crv` is not Okta's. WebCrypto's
 * own refusal names no fix. Up to two leading zero bytes may be missing (some exporters drop them,
 * and WebCrypto takes such keys). The text follows "The … JWK's". @internal
 */
export function curveProblem(jwk: JWK): string | undefined {
  const names = Object.keys(curveAlgorithms);
  const named = names.find((name) => name === jwk.crv);
  if (named === undefined) return undefined;
  const size = curveBytes(named);
  const fits = (length: number, bytes: number): boolean => length <= bytes && length >= bytes - 2;
  for (const member of ['x', 'y', 'd'] as const) {
    const value = jwk[member];
    let length = -1;
    try {
      if (typeof value === 'string' && value !== '') length = base64urlDecode(value).length;
    } catch {
      // named below
    }
    if (length < 0) return `"${member}" is missing or not base64url: give the JWK as exported, unaltered.`;
    if (fits(length, size)) continue;
    const other = names.find((name) => fits(length, curveBytes(name)));
    if (member === 'x' && other !== undefined) {
      return `"crv" is ${named} but its key is a ${other} key (coordinates of ${length} bytes, not ${size}): set "crv" to "${other}" (and drop or fix "alg"), or give the ${named} key.`;
    }
    const expected = member === 'x' ? `which fits no curve Okta accepts (${names.map((name) => `${name}: ${curveBytes(name)}`).join(', ')})` : `not the ${size} of a ${named} key`;
    return `"${member}" has ${length} bytes, ${expected}: check that the JWK is complete and unaltered.`;
  }
  return undefined;
}

/**
 * Why a JWK is not a signing key (RFC 7517 §4.2, §4.3): a `use` other than "sig" (an encryption
 * key's "enc"), or `key_ops` without "sign"; `undefined` when it may sign, or carries neither. The
 * rule jose's key set applies to the org's ID-token keys for `verify` (`id-token-jwks.ts`), here
 * for `sign`, and as strict as WebCrypto's JWK import on a malformed member (`keyMaterial` strips
 * both for the import, so this is where they are read). Names a member, never a key value. The
 * text follows "The … JWK's". @internal
 */
export function useProblem(jwk: JWK): string | undefined {
  const { use, key_ops: ops } = jwk;
  if (use !== undefined && use !== 'sig') {
    return `"use" is ${refusedName(use)}${use === 'enc' ? ' (an encryption key)' : ''}, not "sig" (signing): give the signing key, or remove "use".`;
  }
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('sign'))) return '"key_ops" has no "sign" (not a signing key): give the signing key, or remove "key_ops".';
  return undefined;
}

/** The members besides `n` and `d` an RSA private JWK needs for WebCrypto's import. */
const rsaMembers = ['e', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Checks a private JWK (kty, `d`, `use` and `key_ops`, curve, RSA size and the members WebCrypto needs, its own `alg`) and returns its algorithm. @internal */
export function fromJwk(jwk: JWK, requested: ClientAssertionAlgorithm | undefined): ClientAssertionAlgorithm {
  if (typeof jwk.kty !== 'string') throw keyError('The client JWK has no "kty"; give an RSA or EC private JWK.');
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw keyError(`The client JWK has kty ${refusedName(jwk.kty)}; Okta accepts RSA and EC keys.`);
  if (jwk.d === undefined) {
    throw keyError('The client JWK is a public key (it has no "d"); private_key_jwt signs with the private JWK (register the public one in Okta).');
  }
  memberBytes(jwk.d, 'JWK\'s "d" (its private part) is not');
  const notSigning = useProblem(jwk);
  if (notSigning !== undefined) throw keyError(`The client JWK's ${notSigning}`);
  let natural: ClientAssertionAlgorithm;
  if (jwk.kty === 'EC') {
    // A name only: an array ['P-256'] would be read as the key 'P-256'.
    const fromCurve = typeof jwk.crv === 'string' ? curveAlgorithms[jwk.crv] : undefined;
    if (fromCurve === undefined) throw keyError(`The client JWK uses curve ${refusedName(jwk.crv)}; Okta accepts P-256, P-384 and P-521.`);
    const problem = curveProblem(jwk);
    if (problem !== undefined) throw keyError(`The client JWK's ${problem}`);
    natural = fromCurve;
  } else {
    checkRsaBits(bitLength(memberBytes(jwk.n, 'RSA JWK\'s "n" (its modulus) is missing or not')));
    // RFC 7518 §6.3.2 lets a JWK carry only "d", but WebCrypto imports none without the CRT members:
    // refused now, naming the member, not at the first token request with no member named.
    for (const member of rsaMembers) memberBytes(jwk[member], `RSA JWK's "${member}" is missing or not`);
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
