import type { ClientAuth } from '../client-auth/client-auth.js';
import type { IdTokenVerifier } from './id-token.js';
import { buildSignInClient } from './sign-in-build.js';
import type { SignInClientBase as AllSignInClientBase, SignInClientOptions as AllSignInClientOptions } from './sign-in-options.js';

/**
 * Options of `createSignInClient` from `@org/okta-oauth/sign-in`: `SignInClientOptions` of `@org/okta-oauth`
 * whose `clientSecret` and `privateKey` (`keyId`) shorthands and DPoP options (`dpopAlgorithm`,
 * `dpopKeyPair`; `dpop` but `'off'` and `false`) take only `undefined`, as that client refuses any
 * other value (`INVALID_CONFIG`): pass `clientAuth` (`clientSecretBasic(secret)`, `privateKeyJwt(key)`),
 * or use `createSignInClient` from `@org/okta-oauth` for DPoP.
 * @example
 * ```ts
 * import { createSignInClient, type SignInClientOptions } from '@org/okta-oauth/sign-in';
 *
 * const options: SignInClientOptions = { orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] };
 * const client = createSignInClient(options);
 * ```
 * @see https://developer.okta.com/docs/guides/sign-into-spa-redirect/main/
 */
export interface SignInClientOptions extends Omit<AllSignInClientOptions, 'clientSecret' | 'privateKey' | 'keyId' | 'dpop' | 'dpopAlgorithm' | 'dpopKeyPair'> {
  /** The root entry's shorthand: `undefined` (none) here; pass `clientAuth: clientSecretBasic(secret)`. */
  readonly clientSecret?: undefined;
  /** The root entry's shorthand: `undefined` (none) here; pass `clientAuth: privateKeyJwt(key)`. */
  readonly privateKey?: undefined;
  /** Goes with `privateKey`: `undefined` (none) here. */
  readonly keyId?: undefined;
  /** DPoP is the root entry's: here `'off'`, `false` or `undefined`, all none. */
  readonly dpop?: 'off' | false | undefined;
  /** DPoP is the root entry's: `undefined` (none) here. */
  readonly dpopAlgorithm?: undefined;
  /** DPoP is the root entry's: `undefined` (none) here. */
  readonly dpopKeyPair?: undefined;
  /**
   * The app's client authentication, as set in Okta (`token_endpoint_auth_method`): nothing (the
   * default, {@link noClientAuth}) for an SPA or native app; for a web app the method it imports,
   * `clientSecretBasic(secret)` or `privateKeyJwt(key)` in place of `@org/okta-oauth`'s
   * `clientSecret` and `privateKey` shorthands. @default noClientAuth()
   */
  readonly clientAuth?: ClientAuth | undefined;
  /**
   * The ID token signature check: none by default here, as ID tokens come only from the token
   * endpoint over TLS, which stands for the signature (OIDC Core §3.1.3.7 step 6); every claim is
   * checked either way. Pass `jwksIdTokenVerifier` (from `@org/okta-oauth/id-token-jwks`) to check it too.
   */
  readonly idTokenVerifier?: IdTokenVerifier | undefined;
}

/**
 * The client `createSignInClient` of `@org/okta-oauth/sign-in` returns: `SignInClientBase` of
 * `@org/okta-oauth` whose `startDeviceSignIn` and `introspect` take no call (their parameter is
 * `never`), as that client refuses them (`INVALID_CONFIG`): use `createSignInClient` from
 * `@org/okta-oauth` for them. It is still given wherever the root entry's type is taken.
 * @example
 * ```ts
 * import { createSignInClient, type SignInClientBase } from '@org/okta-oauth/sign-in';
 *
 * const client: SignInClientBase = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] });
 * const { url, transaction } = await client.startSignIn();
 * ```
 * @see https://developer.okta.com/docs/guides/sign-into-spa-redirect/main/
 */
export interface SignInClientBase extends Omit<AllSignInClientBase, 'startDeviceSignIn' | 'introspect'> {
  /** Not on this client (`INVALID_CONFIG`): `createSignInClient` of `@org/okta-oauth` starts device sign-ins. */
  startDeviceSignIn(unavailable: never): Promise<never>;
  /** Not on this client (`INVALID_CONFIG`): `createSignInClient` of `@org/okta-oauth` introspects. */
  introspect(unavailable: never): Promise<never>;
}

/**
 * Creates the sign-in client of a browser (SPA) or native app: authorization code + PKCE by
 * redirect, the callback and a self-renewing credential for Okta's APIs; the same
 * client as `createSignInClient` from `@org/okta-oauth`, without what such an app does not run
 * unless it asks for it. Sign-out, the storage restore and the discovery document are the
 * functions `signOut(client, tokens)`, `restoreCredential(client, { storage })` and
 * `metadata(client)` (methods of `@org/okta-oauth`'s client), so they ship only when imported. ID tokens come only from the token endpoint over TLS: their claims are
 * all checked (iss, aud, azp, exp, iat, nonce, auth_time, sub and auth_time on refresh), their signature only
 * with `idTokenVerifier: jwksIdTokenVerifier` (OIDC Core §3.1.3.7 step 6). `clientAuth` takes any
 * method the app imports (`clientSecretBasic`, `privateKeyJwt`…); the `clientSecret` and `privateKey` shorthands, DPoP,
 * `startDeviceSignIn` and `introspect` are not in its types, and `INVALID_CONFIG` from JavaScript: use `@org/okta-oauth` for them.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` (or core `INVALID_ORG_URL`) naming the bad option.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSignInClient } from '@org/okta-oauth/sign-in';
 *
 * declare const callbackUrl: string; // where Okta redirected
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'offline_access', 'okta.users.read'],
 * });
 * const { url, transaction } = await client.startSignIn();
 * // … the user signs in at url; Okta redirects to the callback …
 * const { tokens, claims } = await client.finishSignIn(callbackUrl, transaction);
 * const okta = createOktaFetch({ credential: client.credential(tokens) });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 * @see https://www.rfc-editor.org/rfc/rfc9700
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function createSignInClient(options: SignInClientOptions): SignInClientBase {
  // Its startDeviceSignIn and introspect are the one client's stubs (INVALID_CONFIG), typed to take no call.
  const client: AllSignInClientBase = buildSignInClient(options, {});
  return client as SignInClientBase;
}
