import { configError, readOptions } from '../errors.js';
import { joseSignature, type AssertionSigner } from './assertion.js';
import { serverClock } from '../internal/server-clock.js';
import { withServerClock, type ClientAuth } from './client-auth.js';
import { prepareClientKey, type ClientAssertionAlgorithm, type ClientPrivateKeyInput, type ClientSigningKey } from './client-key.js';
import { keyError } from './key-algorithm.js';
import { assertionAuth, signingKeyAuth } from './key-jwt.js';
import { isSigningAlgorithm, refusedName, signingAlgorithms } from '../internal/algorithms.js';
import { checkKeyId } from '../internal/validate.js';

/**
 * A signer that holds the client's private key elsewhere (a KMS, an HSM, a hardware token):
 * the library builds each assertion and asks `sign` for the signature of its signing input,
 * never seeing the key.
 *
 * `sign` returns the JWS signature: RSASSA-PKCS1-v1_5 bytes for RS*, and for ES* either the
 * r‖s form or the DER form KMSs return (converted). An error it throws reaches the caller of
 * the request as itself.
 *
 * @example
 * ```ts
 * import type { ClientAssertionSigner } from '@org/okta-oauth';
 *
 * const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * const signer: ClientAssertionSigner = {
 *   alg: 'ES256',
 *   kid: 'kms-key-1',
 *   sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data)),
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/build-self-signed-jwt/main/
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.1
 */
export interface ClientAssertionSigner {
  /** The JWS algorithm the key signs with: RS256, RS384, RS512, ES256, ES384 or ES512. */
  readonly alg: ClientAssertionAlgorithm;
  /** The `kid` of the public key registered with the app (needed when the app has several keys). */
  readonly kid?: string | undefined;
  /** Signs `data` (the ASCII JWS signing input) and returns the signature. */
  sign(data: Uint8Array<ArrayBuffer>, options: { readonly signal: AbortSignal | undefined }): Promise<Uint8Array>;
}

/**
 * Options of {@link privateKeyJwt} with a key.
 *
 * @example
 * ```ts
 * const options: PrivateKeyJwtOptions = { keyId: 'key-2026-01', algorithm: 'RS384' };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
export interface PrivateKeyJwtOptions {
  /** The key's `kid` in Okta. Defaults to the JWK's `kid`. */
  readonly keyId?: string | undefined;
  /** The algorithm. Defaults to RS256 for RSA keys and ES256/384/512 by curve. */
  readonly algorithm?: ClientAssertionAlgorithm | undefined;
}

function isSigner(input: unknown): input is ClientAssertionSigner {
  return typeof input === 'object' && input !== null && typeof (input as { sign?: unknown }).sign === 'function';
}

function checkSigner(signer: ClientAssertionSigner): AssertionSigner {
  if (typeof signer.alg !== 'string' || !isSigningAlgorithm(signer.alg)) {
    throw keyError(`The client assertion signer's alg ${refusedName(signer.alg)} is not one Okta accepts: use one of ${signingAlgorithms.join(', ')}.`);
  }
  const kid = checkKeyId(signer.kid, "The client assertion signer's kid");
  // A KMS returns ECDSA signatures in DER: only this path converts them (WebCrypto's are r‖s already).
  return { alg: signer.alg, kid, sign: async (data, signal) => joseSignature(signer.alg, await signer.sign(data, { signal })) };
}

/**
 * The key reader of an entry point: the root entry's reads every key form (`prepareClientKey`),
 * `/service-app`'s only a `CryptoKey`, so its bundle has no PEM or JWK readers. @internal
 */
export type ClientKeyReader = (key: ClientPrivateKeyInput, options: PrivateKeyJwtOptions) => ClientSigningKey;

/** The one `privateKeyJwt`, with the key reader its entry point gives. @internal */
export function buildPrivateKeyJwt(key: ClientPrivateKeyInput | ClientAssertionSigner, given: PrivateKeyJwtOptions | undefined, readKey: ClientKeyReader): ClientAuth {
  const options = readOptions(given, 'privateKeyJwt(key, options)');
  if ((key as unknown) === undefined || (key as unknown) === null) {
    throw configError('privateKeyJwt needs the private key (a CryptoKey; also a PEM or private JWK from @org/okta-oauth) or a signer { alg, kid, sign }.');
  }
  let auth: ClientAuth;
  if (isSigner(key)) {
    if (options.keyId !== undefined || options.algorithm !== undefined) throw keyError('Give alg and kid in the signer itself, not as privateKeyJwt options.');
    auth = assertionAuth(checkSigner(key));
  } else auth = signingKeyAuth(readKey(key, { keyId: checkKeyId(options.keyId), algorithm: options.algorithm }));
  // Assertions carry the time: the server clock comes with them (into /sign-in too).
  return withServerClock(auth, serverClock);
}

/**
 * `private_key_jwt` (RFC 7523 §2.2): a fresh assertion signed with the client's private key per
 * attempt, with `iss` = `sub` = client id, `aud` = the endpoint invoked, `exp` 5 minutes ahead
 * and a random `jti`. The key is a PEM string, a private JWK or a WebCrypto `CryptoKey`
 * (checked now, imported non-extractable), or a {@link ClientAssertionSigner} whose `sign`
 * runs where the key lives (KMS, HSM).
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, privateKeyJwt } from '@org/okta-oauth';
 *
 * declare function kmsSign(keyId: string, data: Uint8Array): Promise<Uint8Array>; // your KMS client
 *
 * const credential = createServiceAppCredential({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   clientAuth: privateKeyJwt({ alg: 'ES256', kid: 'kms-key-1', sign: (data) => kmsSign('alias/okta', data) }),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#jwt-with-private-key
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function privateKeyJwt(key: ClientPrivateKeyInput | ClientAssertionSigner, options?: PrivateKeyJwtOptions): ClientAuth {
  return buildPrivateKeyJwt(key, options, prepareClientKey);
}
