/**
 * `@org/okta-oauth/service-app`: what a service app or an OIN API service integration ships,
 * without user sign-in: the service-app and OIN-app credentials, the client authentication
 * methods, DPoP key pairs, token stores and the errors. Everything here is also exported by
 * `@org/okta-oauth`, with one difference: this entry's `createServiceAppCredential` and
 * `privateKeyJwt` take the private key as a `CryptoKey` only (or, for `privateKeyJwt`, a signer;
 * read a PEM or JWK with `importPrivateKey`), so the PEM and JWK readers are not in a bundle that
 * does not need them, and its credential has no `revoke()` method (`revoke(credential)` is it), so
 * revocation is not in a bundle that never revokes. Importing from this entry point also
 * keeps a bundler from even looking at the sign-in code.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createServiceAppCredential, type WebCryptoKey } from '@org/okta-oauth/service-app';
 *
 * declare const privateKey: WebCryptoKey; // the app's private key, imported for signing (importPrivateKey)
 * const credential = createServiceAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey, keyId: 'key-2026-01', scopes: ['okta.users.read'] });
 * const okta = createOktaFetch({ credential });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @module
 */
export type { ServiceAppCredentialOptions } from './service-app-lean.js';
export { createServiceAppCredential, privateKeyJwt } from './service-app-lean.js';
export type { ImportedPrivateKey } from './client-auth/import-private-key.js';
export { importPrivateKey } from './client-auth/import-private-key.js';
export type { ServiceAppEnvOptions } from './service-app-env.js';
export { serviceAppCredentialFromEnv } from './service-app-env.js';
export type { OinAppCredentialOptions } from './oin-app.js';
export type { OinAppCredential, RevokeOptions, ServiceAppCredential } from './credential/revoke-app-token.js';
export { createOinAppCredential } from './oin-app.js';
export { revoke } from './credential/revoke-app-token.js';
export type { MultiOrgCredentials, MultiOrgCredentialsOptions } from './multi-org.js';
export { createMultiOrgCredentials } from './multi-org.js';
export type { ClientAssertionAlgorithm, ClientPrivateKeyInput } from './client-auth/client-key.js';
export type { ClientAuth, ClientAuthMethod, ClientAuthRequest } from './client-auth/client-auth.js';
export type { ClientSecretJwtOptions } from './client-auth/client-secret.js';
export { clientSecretBasic, clientSecretJwt, clientSecretPost, noClientAuth } from './client-auth/client-secret.js';
export type { ClientAssertionSigner, PrivateKeyJwtOptions } from './client-auth/private-key-jwt.js';
export type { DpopAlgorithm } from './dpop/dpop-key.js';
export type { DpopKeyPairOptions } from './dpop/dpop-key-pair.js';
export { generateDpopKeyPair, importDpopKeyPair } from './dpop/dpop-key-pair.js';
export type { WebCryptoKey, WebCryptoKeyPair } from './internal/web-crypto.js';
export type { DpopMode } from './token-endpoint/token-endpoint.js';
export type { OktaStorage, SingleFlightOptions, StorageSetOptions } from './token-cache/storage.js';
export type { MemoryTokenStoreOptions, TokenStore, TokenStoreEntry } from './token-cache/token-store.js';
export { createMemoryTokenStore } from './token-cache/token-store.js';
export type { OAuthErrorCode, OktaOAuthErrorDetails } from './errors.js';
export { OktaOAuthError, isOktaOAuthError } from './errors.js';
