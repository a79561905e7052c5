// Service apps, OIN apps, DPoP and the token cache: also the @org/okta-oauth/service-app entry point.
export type {
  ClientAssertionAlgorithm,
  ClientAssertionSigner,
  ClientAuth,
  ClientAuthMethod,
  ClientAuthRequest,
  ClientSecretJwtOptions,
  ClientPrivateKeyInput,
  DpopAlgorithm,
  DpopKeyPairOptions,
  DpopMode,
  ImportedPrivateKey,
  MemoryTokenStoreOptions,
  MultiOrgCredentials,
  MultiOrgCredentialsOptions,
  OAuthErrorCode,
  OinAppCredentialOptions,
  OinAppCredential,
  RevokeOptions,
  ServiceAppCredential,
  OktaOAuthErrorDetails,
  OktaStorage,
  PrivateKeyJwtOptions,
  ServiceAppEnvOptions,
  SingleFlightOptions,
  StorageSetOptions,
  TokenStore,
  TokenStoreEntry,
  WebCryptoKey,
  WebCryptoKeyPair,
} from './service-app-entry.js';
export {
  OktaOAuthError,
  clientSecretBasic,
  clientSecretJwt,
  clientSecretPost,
  createMemoryTokenStore,
  createMultiOrgCredentials,
  createOinAppCredential,
  generateDpopKeyPair,
  importDpopKeyPair,
  importPrivateKey,
  isOktaOAuthError,
  noClientAuth,
  revoke,
  serviceAppCredentialFromEnv,
} from './service-app-entry.js';
// The root entry's service app factory and privateKeyJwt read every key form (PEM, JWK, CryptoKey); /service-app's take a CryptoKey.
export { privateKeyJwt } from './client-auth/private-key-jwt.js';
export { createServiceAppCredential } from './service-app.js';
export type { ServiceAppCredentialOptions } from './service-app.js';

// User sign-in: authorization code + PKCE, device sign-in, the refreshing user credential.
export type { StartSignInOptions, StartedSignIn } from './user/authorize.js';
export type { FinishSignInOptions, SignInResult } from './user/callback.js';
export type { GetAccessTokenOptions, UserCredential, UserCredentialBase, UserCredentialOptions } from './user/credential-options.js';
export type { DeviceSignIn, StartDeviceSignInOptions } from './user/device.js';
export type { DevicePollOptions, DevicePollWait, DevicePollWaitReason } from './user/device-poll.js';
export type { OrgServerMetadata } from './user/discovery.js';
export type { IdTokenFailure, OktaSignInErrorCode, OktaSignInErrorOptions } from './user/errors.js';
export { OktaSignInError, isOktaSignInError } from './user/errors.js';
export type { IdTokenClaims, IdTokenVerifier, IdTokenVerifierContext } from './user/id-token.js';
export { createJwksIdTokenVerifier, jwksIdTokenVerifier } from './user/id-token-jwks.js';
export type { JwksIdTokenVerifierOptions } from './user/id-token-jwks.js';
export type { JsonWebKeySetJson } from './user/jwks.js';
export type { IntrospectOptions, IntrospectionResult, NotRevoked, SignOutOptions, SignOutResult } from './user/revocation.js';
export type { SignInClient, SignInClientOptions } from './user/sign-in-client.js';
export type { SignInClientBase } from './user/sign-in-options.js';
export { createSignInClient } from './user/sign-in-client.js';
export { metadata, restoreCredential, signOut, userInfo } from './user/client-functions.js';
export type { UserInfoClaims, UserInfoOptions } from './user/userinfo.js';
export type { SignInEnvOptions } from './user/sign-in-env.js';
export { signInClientFromEnv } from './user/sign-in-env.js';
// The old names stay exported (deprecated) until 1.0.
// eslint-disable-next-line @typescript-eslint/no-deprecated
export type { MemoryStorageOptions, SignInStorage, WebStorageLike } from './user/storage.js';
// eslint-disable-next-line @typescript-eslint/no-deprecated
export { createMemoryStorage, createSessionStorage, createWebStorage, memoryStorage, sessionStorageStore, webStorageStore } from './user/storage.js';
export type { StoredUserTokens, UserTokenFields } from './user/tokens.js';
export { UserTokens } from './user/tokens.js';
export type { SignInTransaction } from './user/transaction.js';
// A browser app's DPoP key, kept in IndexedDB across reloads (the /sign-in entry's client has no DPoP).
export type { BrowserDpopKeyOptions } from './dpop/browser-dpop-key.js';
export { deleteBrowserDpopKeyPair, loadBrowserDpopKeyPair } from './dpop/browser-dpop-key.js';
