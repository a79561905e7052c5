import { OktaOAuthError } from '../errors.js';
import { isSigningAlgorithm, refusedName, signingAlgorithms } from '../internal/algorithms.js';

/**
 * The client-assertion algorithms Okta accepts. Chosen from the key unless given.
 *
 * @example
 * ```ts
 * declare const options: ServiceAppCredentialOptions; // your service app's
 * createServiceAppCredential({ ...options, algorithm: 'RS384' }); // an RSA key, signed with SHA-384
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
export type ClientAssertionAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/**
 * The algorithm of each curve Okta accepts: the one list of those curves (jwk-input.ts derives a
 * coordinate's size from the name). Without a prototype: a JWK's `crv` is looked up here, and
 * "constructor" or "toString" must find nothing (not an Object method taken for an algorithm). Pure: a
 * bundle that reads no PEM or JWK (the `CryptoKey` service app's) drops it. @internal
 */
export const curveAlgorithms: Readonly<Record<string, ClientAssertionAlgorithm>> = /* @__PURE__ */ Object.assign(Object.create(null) as Record<string, ClientAssertionAlgorithm>, {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
} as const);

const minimumRsaBits = 2048;

/** The one `INVALID_KEY` builder of the client key checks. @internal */
export function keyError(message: string, cause?: unknown): OktaOAuthError {
  return new OktaOAuthError('INVALID_KEY', message, cause === undefined ? {} : { cause });
}

/** A cause without key material: WebCrypto errors name the problem only, but keep just name + message. @internal */
export function safeCause(error: unknown): unknown {
  return error instanceof Error ? new Error(`${error.name}: ${error.message}`.slice(0, 200)) : undefined;
}

/**
 * The `INVALID_KEY` error for a key that imported but cannot sign (a JWK with a malformed
 * optional member, say): WebCrypto's own error names no fix. @internal
 */
export function signingFailure(algorithm: ClientAssertionAlgorithm, error: unknown): OktaOAuthError {
  if (error instanceof OktaOAuthError) return error;
  return keyError(`The client private key could not sign a ${algorithm} client assertion; check that the key is complete and unaltered.`, safeCause(error));
}

/** Checks an `algorithm` option (or a JWK's `alg`). @internal */
export function checkAlgorithmOption(algorithm: unknown, what = 'algorithm'): ClientAssertionAlgorithm | undefined {
  if (algorithm === undefined) return undefined;
  if (typeof algorithm !== 'string' || !isSigningAlgorithm(algorithm)) {
    throw keyError(`The client key ${what} ${refusedName(algorithm)} is not one Okta accepts for client assertions: use one of ${signingAlgorithms.join(', ')}.`);
  }
  return algorithm;
}

/** Picks the algorithm: the key's natural one unless a compatible one was asked for. @internal */
export function fitAlgorithm(natural: ClientAssertionAlgorithm, requested: ClientAssertionAlgorithm | undefined, what: string): ClientAssertionAlgorithm {
  if (requested === undefined || requested === natural) return natural;
  if (natural.startsWith('RS') && requested.startsWith('RS')) return requested;
  const choices = natural.startsWith('RS') ? 'RS256, RS384 or RS512' : natural;
  throw keyError(`The algorithm "${requested}" does not match the client key (${what}); use ${choices}, or leave algorithm unset.`);
}

/** Refuses an RSA key under 2048 bits. @internal */
export function checkRsaBits(bits: number): void {
  if (bits < minimumRsaBits) throw keyError(`The client RSA key has ${bits} bits; Okta and this library need at least ${minimumRsaBits}. Generate a new key.`);
}

/** The bit length of a big-endian unsigned integer (an RSA modulus). @internal */
export function bitLength(bytes: Uint8Array): number {
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  const leading = bytes[first] ?? 0;
  return Math.max((bytes.length - first - 1) * 8 + (leading === 0 ? 0 : Math.floor(Math.log2(leading)) + 1), 0);
}
