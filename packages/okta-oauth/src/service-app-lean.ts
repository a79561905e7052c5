import type { OktaCredential } from '@org/okta-auth-core';
import type { ClientPrivateKeyInput, ClientSigningKey } from './client-auth/client-key.js';
import { isCryptoKey, prepareCryptoKey } from './client-auth/crypto-key-input.js';
import type { PrivateKeyJwtOptions } from './client-auth/private-key-jwt.js';
import { configError } from './errors.js';
import { buildServiceAppCredential, type ServiceAppCredentialOptions } from './service-app-build.js';

/** `/service-app`'s key reader: a `CryptoKey` only; a PEM or JWK is told where it is read. */
function cryptoKeyOnly(key: ClientPrivateKeyInput, options: PrivateKeyJwtOptions): ClientSigningKey {
  if (isCryptoKey(key)) return prepareCryptoKey(key, options);
  throw configError(
    `privateKey is ${typeof key === 'string' ? 'a string (PEM or JWK text)' : 'not a CryptoKey'}: createServiceAppCredential from @org/okta-oauth/service-app takes a CryptoKey. Read a PEM or private JWK with importPrivateKey (createServiceAppCredential({ ...options, ...(await importPrivateKey(pem)) })), or use createServiceAppCredential from @org/okta-oauth, which reads every key form.`,
  );
}

/**
 * A credential for an Okta API service app, as `createServiceAppCredential` from
 * `@org/okta-oauth` (client credentials with `private_key_jwt`, DPoP by default, cached and
 * renewed tokens), but `privateKey` is a WebCrypto `CryptoKey` (with `keyId`), so the bundle
 * carries no PEM or JWK readers. A PEM or private JWK is `INVALID_CONFIG` naming the fix: read it
 * with `importPrivateKey`, or pass `clientAuth` (`privateKeyJwt(…)`, which reads every key
 * form, or a KMS signer).
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
  return buildServiceAppCredential(options, cryptoKeyOnly);
}
