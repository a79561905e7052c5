/**
 * User sign-in for Okta's org authorization server: the public surface of
 * `src/user`, re-exported by name from the package's `src/index.ts`.
 */
export type { StartSignInOptions, StartedSignIn } from './authorize.js';
export type { FinishSignInOptions, SignInResult } from './callback.js';
export type { PrivateKeyInput } from './client-auth.js';
export type { GetAccessTokenOptions, UserCredential, UserCredentialOptions } from './credential.js';
export type { DevicePollOptions, DeviceSignIn, StartDeviceSignInOptions } from './device.js';
export type { OrgServerMetadata } from './discovery.js';
export type { IdTokenFailure, OktaSignInErrorCode, OktaSignInErrorOptions } from './errors.js';
export { OktaSignInError, isOktaSignInError } from './errors.js';
export type { IdTokenClaims } from './id-token.js';
export type { IntrospectOptions, IntrospectionResult, SignOutOptions, SignOutResult } from './revocation.js';
export type { SignInClient, SignInClientOptions } from './sign-in-client.js';
export { createSignInClient } from './sign-in-client.js';
export type { MemoryStorageOptions, SignInStorage, WebStorageLike } from './storage.js';
export { memoryStorage, sessionStorageStore, webStorageStore } from './storage.js';
export type { StoredUserTokens, UserTokenFields } from './tokens.js';
export { UserTokens } from './tokens.js';
export type { SignInTransaction } from './transaction.js';
