import type { JWK } from 'jose';
import { curveProblem, useProblem } from '../client-auth/jwk-input.js';
import { configError, readOptions } from '../errors.js';
import { isSigningAlgorithm, refusedName, signingAlgorithms } from '../internal/algorithms.js';
import { keyMaterial, keyParams, publicJwk } from '../internal/jws.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import type { DpopAlgorithm } from './dpop-key.js';

function checkAlgorithm(algorithm: unknown): asserts algorithm is DpopAlgorithm {
  if (!isSigningAlgorithm(algorithm)) throw configError(`dpopAlgorithm ${refusedName(algorithm)} is not one Okta accepts: use one of ${signingAlgorithms.join(', ')}.`);
}

/**
 * Options of {@link generateDpopKeyPair}.
 *
 * @example
 * ```ts
 * const options: DpopKeyPairOptions = { extractable: true }; // to store it yourself, encrypted
 * const dpopKeyPair = await generateDpopKeyPair('ES256', options);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export interface DpopKeyPairOptions {
  /** Whether the private key can be exported (`crypto.subtle.exportKey`): `false` unless `true`. */
  readonly extractable?: boolean | undefined;
}

/**
 * Generates a DPoP key pair with WebCrypto, as the credentials do when no `dpopKeyPair` is
 * given: ECDSA on the algorithm's curve, or RSA 2048 bits with e = 65537. The private key is
 * non-extractable unless `extractable` is set (to store it yourself, encrypted; see
 * `loadSharedDpopKeyPair` in `@org/okta-token-store-redis`).
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, generateDpopKeyPair, type ServiceAppCredentialOptions } from '@org/okta-oauth';
 *
 * declare const options: ServiceAppCredentialOptions;
 * const dpopKeyPair = await generateDpopKeyPair('ES256');
 * const credential = createServiceAppCredential({ ...options, dpop: 'required', dpopKeyPair });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export async function generateDpopKeyPair(algorithm: DpopAlgorithm = 'ES256', options?: DpopKeyPairOptions): Promise<WebCryptoKeyPair> {
  checkAlgorithm(algorithm);
  return newDpopKeyPair(algorithm, readOptions(options, 'generateDpopKeyPair(algorithm, options)').extractable === true);
}

/**
 * {@link generateDpopKeyPair} for an algorithm already checked (`checkDpopAlgorithm`, as every
 * factory does): a bundle that never calls the export carries neither its check nor its message. @internal
 */
export async function newDpopKeyPair(algorithm: DpopAlgorithm, extractable = false): Promise<WebCryptoKeyPair> {
  const params = algorithm.startsWith('RS') ? { ...keyParams(algorithm), modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } : keyParams(algorithm);
  return (await crypto.subtle.generateKey(params, extractable, ['sign', 'verify'])) as WebCryptoKeyPair;
}

/**
 * Imports a DPoP key pair from its private JWK (for example one that
 * {@link generateDpopKeyPair} made extractable and you stored encrypted): the private key
 * non-extractable, the public key from the JWK's public members. Rejects with `INVALID_CONFIG`
 * when the JWK is not a private key of `algorithm`, or is marked for another use than signing
 * (`use` other than "sig", `key_ops` without "sign"; RFC 7517 §4.2, §4.3).
 *
 * @example
 * ```ts
 * import { generateDpopKeyPair, importDpopKeyPair } from '@org/okta-oauth';
 *
 * const generated = await generateDpopKeyPair('ES256', { extractable: true });
 * const privateJwk = await crypto.subtle.exportKey('jwk', generated.privateKey); // store it encrypted
 * const dpopKeyPair = await importDpopKeyPair(privateJwk, 'ES256');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517
 */
export async function importDpopKeyPair(privateJwk: JWK, algorithm: DpopAlgorithm = 'ES256'): Promise<WebCryptoKeyPair> {
  checkAlgorithm(algorithm);
  if (typeof privateJwk !== 'object' || (privateJwk as JWK | null) === null) {
    throw configError("importDpopKeyPair takes the private JWK first, as crypto.subtle.exportKey('jwk', privateKey) gives it.");
  }
  const params = keyParams(algorithm);
  const publicMembers = publicJwk(privateJwk);
  const wanted = params.name === 'ECDSA' ? 'EC' : 'RSA';
  if (privateJwk.kty !== wanted || typeof privateJwk.d !== 'string' || (wanted === 'EC' && privateJwk.crv !== params.namedCurve)) {
    throw configError(`The DPoP key is not a private ${wanted === 'EC' ? `EC ${params.namedCurve ?? ''}` : 'RSA'} JWK for ${algorithm}.`);
  }
  const problem = useProblem(privateJwk) ?? (wanted === 'EC' ? curveProblem(privateJwk) : undefined);
  if (problem !== undefined) throw configError(`The DPoP JWK's ${problem}`);
  const material = keyMaterial(privateJwk);
  try {
    const [privateKey, publicKey] = await Promise.all([
      crypto.subtle.importKey('jwk', material, params, false, ['sign']),
      crypto.subtle.importKey('jwk', publicMembers, params, true, ['verify']),
    ]);
    return { privateKey, publicKey };
  } catch {
    throw configError(`The DPoP private JWK could not be imported for ${algorithm}; check that it is complete.`);
  }
}
