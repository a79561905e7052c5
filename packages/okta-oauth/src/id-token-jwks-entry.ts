/**
 * `@org/okta-oauth/id-token-jwks`: the ID token signature check with jose against the org's
 * JWKS, for `createSignInClient` from `@org/okta-oauth/sign-in` (whose default relies on TLS).
 * `createSignInClient` from `@org/okta-oauth` uses it by default.
 *
 * @example
 * ```ts
 * import { createSignInClient } from '@org/okta-oauth/sign-in';
 * import { jwksIdTokenVerifier } from '@org/okta-oauth/id-token-jwks';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'], idTokenVerifier: jwksIdTokenVerifier });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @module
 */
export { createJwksIdTokenVerifier, jwksIdTokenVerifier } from './user/id-token-jwks.js';
export type { JwksIdTokenVerifierOptions } from './user/id-token-jwks.js';
export type { IdTokenVerifier, IdTokenVerifierContext } from './user/id-token.js';
