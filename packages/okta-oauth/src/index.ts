// Service apps, OIN apps, DPoP and the token cache.
export type { ServiceAppCredentialOptions } from './service-app.js';
export { createServiceAppCredential } from './service-app.js';
export type { ServiceAppEnvOptions } from './service-app-env.js';
export { serviceAppCredentialFromEnv } from './service-app-env.js';
export type { OinAppCredentialOptions } from './oin-app.js';
export { createOinAppCredential } from './oin-app.js';
export type { MultiOrgCredentials, MultiOrgCredentialsOptions } from './multi-org.js';
export { createMultiOrgCredentials } from './multi-org.js';
export type { ClientAssertionAlgorithm, ClientPrivateKeyInput } from './client-auth/client-key.js';
export type { DpopAlgorithm } from './dpop/dpop-key.js';
export type { WebCryptoKey, WebCryptoKeyPair } from './internal/web-crypto.js';
export type { DpopMode } from './token-endpoint/token-endpoint.js';
export type { OktaStorage, SingleFlightOptions, StorageSetOptions } from './token-cache/storage.js';
export type { TokenStore, TokenStoreEntry } from './token-cache/token-store.js';
export { createMemoryTokenStore } from './token-cache/token-store.js';
export type { OAuthErrorCode, OktaOAuthErrorDetails } from './errors.js';
export { OktaOAuthError, isOktaOAuthError } from './errors.js';

// User sign-in: authorization code + PKCE, device sign-in, the refreshing user credential.
export type { StartSignInOptions, StartedSignIn } from './user/authorize.js';
export type { FinishSignInOptions, SignInResult } from './user/callback.js';
export type { GetAccessTokenOptions, UserCredential, UserCredentialOptions } from './user/credential-options.js';
export type { DevicePollOptions, DeviceSignIn, StartDeviceSignInOptions } from './user/device.js';
export type { OrgServerMetadata } from './user/discovery.js';
export type { IdTokenFailure, OktaSignInErrorCode, OktaSignInErrorOptions } from './user/errors.js';
export { OktaSignInError, isOktaSignInError } from './user/errors.js';
export type { IdTokenClaims } from './user/id-token.js';
export type { IntrospectOptions, IntrospectionResult, NotRevoked, SignOutOptions, SignOutResult } from './user/revocation.js';
export type { SignInClient, SignInClientOptions } from './user/sign-in-client.js';
export { createSignInClient } from './user/sign-in-client.js';
export type { SignInEnvOptions } from './user/sign-in-env.js';
export { signInClientFromEnv } from './user/sign-in-env.js';
export type { MemoryStorageOptions, SignInStorage, WebStorageLike } from './user/storage.js';
export { createMemoryStorage, createSessionStorage, createWebStorage, memoryStorage, sessionStorageStore, webStorageStore } from './user/storage.js';
export type { StoredUserTokens, UserTokenFields } from './user/tokens.js';
export { UserTokens } from './user/tokens.js';
export type { SignInTransaction } from './user/transaction.js';
