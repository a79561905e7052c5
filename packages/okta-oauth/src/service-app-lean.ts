import type { OktaCredential } from '@org/okta-auth-core';
import type { ClientAuth } from './client-auth/client-auth.js';
import { isCryptoKey, prepareCryptoKey } from './client-auth/crypto-key-input.js';
import { buildPrivateKeyJwt, type ClientAssertionSigner, type ClientKeyReader, type PrivateKeyJwtOptions } from './client-auth/private-key-jwt.js';
import { configError } from './errors.js';
import type { WebCryptoKey } from './internal/web-crypto.js';
import { buildServiceAppCredential, type ServiceAppCredentialOptions as AllServiceAppCredentialOptions } from './service-app-build.js';

/**
 * Options of `createServiceAppCredential` from `@org/okta-oauth/service-app`: those of
 * `@org/okta-oauth`'s, but `privateKey` is a WebCrypto `CryptoKey` only (a PEM or JWK is
 * `INVALID_CONFIG` there: read it with `importPrivateKey`, whose result spreads in here).
 *
 * @example
 * ```ts
 * import { importPrivateKey, type ServiceAppCredentialOptions } from '@org/okta-oauth/service-app';
 *
 * declare const pem: string; // the app's PEM private key
 * const options: ServiceAppCredentialOptions = {
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   ...(await importPrivateKey(pem, { keyId: 'key-2026-01' })),
 *   scopes: ['okta.users.read'],
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface ServiceAppCredentialOptions extends Omit<AllServiceAppCredentialOptions, 'privateKey'> {
  /**
   * The private key registered (as a public key) with the app: a WebCrypto `CryptoKey` (type
   * `private`, usage `sign`); read a PEM or private JWK with `importPrivateKey`. Shorthand for
   * `clientAuth: privateKeyJwt(privateKey, { keyId, algorithm })`; give one of the two.
   */
  readonly privateKey?: WebCryptoKey | undefined;
}

/**
 * `/service-app`'s key reader: a `CryptoKey` only; a PEM or JWK is `INVALID_CONFIG` naming where
 * it is read (`importPrivateKey`, shown as `usage`, or the root entry's `name`).
 */
const cryptoKeyOnly =
  (name: string, what: string, takes: string, usage: string): ClientKeyReader =>
  (key, options) => {
    if (isCryptoKey(key)) return prepareCryptoKey(key, options);
    throw configError(
      `${what} is ${typeof key === 'string' ? 'a string (PEM or JWK text)' : 'not a CryptoKey'}: ${name} from @org/okta-oauth/service-app takes ${takes}. Read a PEM or private JWK with importPrivateKey (${usage}), or use ${name} from @org/okta-oauth, which reads every key form.`,
    );
  };

/**
 * A credential for an Okta API service app, as `createServiceAppCredential` from
 * `@org/okta-oauth` (client credentials with `private_key_jwt`, DPoP by default, cached and
 * renewed tokens), but `privateKey` is a WebCrypto `CryptoKey` (with `keyId`), so the bundle
 * carries no PEM or JWK readers. A PEM or private JWK is `INVALID_CONFIG` naming the fix: read it
 * with `importPrivateKey`, or pass `clientAuth` (`privateKeyJwt(…)`, which reads every key
 * form, or a KMS signer). Its credential has no `revoke()` method: revoke its token with
 * `revoke(credential)`, so a bundle that never revokes does not ship revocation.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createServiceAppCredential, importPrivateKey } from '@org/okta-oauth/service-app';
 *
 * declare const pem: string; // the app's PEM private key
 * const credential = createServiceAppCredential({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   ...(await importPrivateKey(pem, { keyId: 'key-2026-01' })),
 *   scopes: ['okta.users.read'],
 *   dpop: 'required',
 * });
 * const okta = createOktaFetch({ credential });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function createServiceAppCredential(options: ServiceAppCredentialOptions): OktaCredential {
  return buildServiceAppCredential(
    options,
    cryptoKeyOnly('createServiceAppCredential', 'privateKey', 'a CryptoKey', 'createServiceAppCredential({ ...options, ...(await importPrivateKey(pem)) })'),
  );
}

/**
 * `private_key_jwt` (RFC 7523 §2.2), as `privateKeyJwt` from `@org/okta-oauth`, but the key is a
 * WebCrypto `CryptoKey` (type `private`, usage `sign`; its algorithm is read from
 * `key.algorithm`) or a {@link ClientAssertionSigner} for a key in a KMS or HSM, so the bundle
 * carries no PEM or JWK readers. A PEM or private JWK is `INVALID_CONFIG` naming
 * `importPrivateKey`.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential, importPrivateKey, privateKeyJwt } from '@org/okta-oauth/service-app';
 *
 * declare const pem: string; // the app's PEM private key
 * const { privateKey, ...keyOptions } = await importPrivateKey(pem, { keyId: 'key-2026-01' });
 * const credential = createServiceAppCredential({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   clientAuth: privateKeyJwt(privateKey, keyOptions),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#jwt-with-private-key
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function privateKeyJwt(key: WebCryptoKey | ClientAssertionSigner, options?: PrivateKeyJwtOptions): ClientAuth {
  return buildPrivateKeyJwt(
    key,
    options,
    cryptoKeyOnly('privateKeyJwt', 'The key', 'a CryptoKey or a signer { alg, kid, sign }', 'const { privateKey, ...keyOptions } = await importPrivateKey(pem); privateKeyJwt(privateKey, keyOptions)'),
  );
}
