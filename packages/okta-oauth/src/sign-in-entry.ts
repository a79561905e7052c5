/**
 * `@org/okta-oauth/sign-in`: what a browser (SPA) or native app ships to sign users in by
 * redirect (authorization code + PKCE), handle the callback, call Okta's APIs with a
 * self-renewing credential and sign out. Its `createSignInClient` is the same client as
 * `@org/okta-oauth`'s, without the `signOut`, `restoreCredential` and `metadata` methods (they
 * are the functions of the same names, which take the client and ship only when imported), without jose (ID token claims are checked and TLS stands for the
 * signature, OIDC Core §3.1.3.7 step 6; opt in with `idTokenVerifier: jwksIdTokenVerifier` from
 * `@org/okta-oauth/id-token-jwks`), device sign-in, DPoP, the `clientSecret` and `privateKey` shorthands and
 * introspection (use `@org/okta-oauth` for those). Everything here is also exported by
 * `@org/okta-oauth`, except that `createSignInClient` there checks signatures by default.
 *
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSignInClient, createSessionStorage } from '@org/okta-oauth/sign-in';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid', 'okta.users.read'], storage: createSessionStorage() });
 * const { tokens } = await client.finishSignIn(location.href);
 * const okta = createOktaFetch({ credential: client.credential(tokens) });
 * ```
 * @see https://developer.okta.com/docs/guides/sign-into-spa-redirect/main/
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @module
 */
export type { SignInClient } from './user/sign-in-options.js';
export type { SignInClientBase, SignInClientOptions } from './user/sign-in-lean.js';
export { createSignInClient } from './user/sign-in-lean.js';
export { metadata, restoreCredential, signOut, userInfo } from './user/client-functions.js';
export type { UserInfoClaims, UserInfoOptions } from './user/userinfo.js';
export type { StartSignInOptions, StartedSignIn } from './user/authorize.js';
export type { FinishSignInOptions, SignInResult } from './user/callback.js';
export type { GetAccessTokenOptions, UserCredential, UserCredentialBase, UserCredentialOptions } from './user/credential-options.js';
export type { OrgServerMetadata } from './user/discovery.js';
export type { IdTokenFailure, OktaSignInErrorCode, OktaSignInErrorOptions } from './user/errors.js';
export { OktaSignInError, isOktaSignInError } from './user/errors.js';
export type { IdTokenClaims, IdTokenVerifier, IdTokenVerifierContext } from './user/id-token.js';
export type { JsonWebKeySetJson } from './user/jwks.js';
export type { NotRevoked, SignOutOptions, SignOutResult } from './user/revocation.js';
export type { OktaStorage, SingleFlightOptions, StorageSetOptions } from './token-cache/storage.js';
// The old names stay exported (deprecated) until 1.0.
// eslint-disable-next-line @typescript-eslint/no-deprecated
export type { MemoryStorageOptions, SignInStorage, WebStorageLike } from './user/storage.js';
// eslint-disable-next-line @typescript-eslint/no-deprecated
export { createMemoryStorage, createSessionStorage, createWebStorage, memoryStorage, sessionStorageStore, webStorageStore } from './user/storage.js';
export type { StoredUserTokens, UserTokenFields } from './user/tokens.js';
export { UserTokens } from './user/tokens.js';
export type { SignInTransaction } from './user/transaction.js';
export type { ClientAuth, ClientAuthMethod, ClientAuthRequest } from './client-auth/client-auth.js';
export { clientSecretBasic, clientSecretPost, noClientAuth } from './client-auth/client-secret.js';
export type { OAuthErrorCode, OktaOAuthErrorDetails } from './errors.js';
export { OktaOAuthError, isOktaOAuthError } from './errors.js';
