import type { JWK } from 'jose';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import { importClientKey, materialThumbprint, readClientKey } from './client-key.js';
import { isCryptoKey, rememberThumbprint } from './crypto-key-input.js';
import { keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';
import type { PrivateKeyJwtOptions } from './private-key-jwt.js';
import { checkKeyId } from '../internal/validate.js';
import { readOptions } from '../errors.js';

/**
 * What {@link importPrivateKey} returns: named like the options of `createServiceAppCredential`,
 * so the result spreads into them.
 *
 * @example
 * ```ts
 * import { importPrivateKey, type ImportedPrivateKey } from '@org/okta-oauth/service-app';
 *
 * declare const pem: string; // the app's PEM private key
 * const { privateKey, algorithm, keyId }: ImportedPrivateKey = await importPrivateKey(pem, { keyId: 'key-2026-01' });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-a-public-private-key-pair
 */
export interface ImportedPrivateKey {
  /** The private key: a non-extractable WebCrypto `CryptoKey` with the `sign` usage. */
  readonly privateKey: WebCryptoKey;
  /** The client assertion algorithm the key implies (RS256 for RSA unless asked, ES256/384/512 by curve). */
  readonly algorithm: ClientAssertionAlgorithm;
  /** The `keyId` option, or the JWK's own `kid`; `undefined` when neither is given. */
  readonly keyId: string | undefined;
}

/**
 * Reads a client private key given as a PEM string (PKCS#8, PKCS#1 or SEC1, literal `\n`
 * allowed) or a private JWK (object or JSON text), checks it as `@org/okta-oauth` does
 * (RSA of 2048+ bits or EC P-256/384/521, a private key, an `algorithm` that fits) and imports it
 * non-extractable with WebCrypto. This is how a PEM or JWK reaches `createServiceAppCredential`
 * from `@org/okta-oauth/service-app`, which takes a `CryptoKey` so that its bundle carries no
 * key readers. The token cache still names the key by its RFC 7638 thumbprint (computed from what
 * was read), so a shared token store shares tokens as it does for a PEM.
 *
 * Throws `OktaOAuthError` `INVALID_KEY` (never showing key material) for a key that does not fit.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, importPrivateKey } from '@org/okta-oauth/service-app';
 *
 * declare const pem: string; // the app's PEM private key, e.g. from a secret manager
 * const credential = createServiceAppCredential({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   ...(await importPrivateKey(pem, { keyId: 'key-2026-01' })),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-a-public-private-key-pair
 * @see https://www.w3.org/TR/WebCryptoAPI/#SubtleCrypto-method-importKey
 */
export async function importPrivateKey(
  key: string | JWK,
  given?: PrivateKeyJwtOptions,
): Promise<ImportedPrivateKey> {
  const options = readOptions(given, 'importPrivateKey(key, options)');
  if (isCryptoKey(key)) throw keyError('The client private key is already a CryptoKey: give it as privateKey (with keyId) as it is.');
  const read = readClientKey(key, { keyId: checkKeyId(options.keyId), algorithm: options.algorithm });
  const privateKey = await importClientKey(read);
  rememberThumbprint(privateKey, () => materialThumbprint(read));
  return { privateKey, algorithm: read.algorithm, keyId: read.keyId };
}
