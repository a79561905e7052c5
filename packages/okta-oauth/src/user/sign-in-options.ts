import type { OktaTransportOptions, Secret } from '@org/okta-auth-core';
import type { ClientAuth } from '../client-auth/client-auth.js';
import type { ClientPrivateKeyInput } from '../client-auth/client-key.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import type { DpopMode } from '../token-endpoint/token-endpoint.js';
import type { StartSignInOptions, StartedSignIn } from './authorize.js';
import type { FinishSignInOptions, SignInResult } from './callback.js';
import type { UserCredential, UserCredentialBase, UserCredentialOptions } from './credential-options.js';
import type { DeviceSignIn, StartDeviceSignInOptions } from './device.js';
import type { OrgServerMetadata } from './discovery.js';
import type { IdTokenVerifier } from './id-token.js';
import type { IntrospectOptions, IntrospectionResult, SignOutOptions, SignOutResult } from './revocation.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { UserTokens } from './tokens.js';
import type { SignInTransaction } from './transaction.js';

/**
 * Options of {@link createSignInClient}. Everything is checked when the
 * client is created; nothing is sent until a method is called.
 * @example
 * ```ts
 * const options: SignInClientOptions = {
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4e5f6g7h8i9',
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'offline_access', 'okta.users.read'],
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export interface SignInClientOptions extends OktaTransportOptions {
  /** The Okta org (`https://acme.okta.com`); the org authorization server lives at its root. */
  readonly orgUrl: string | URL;
  /** The OIDC app's client ID. */
  readonly clientId: string;
  /**
   * For a confidential web app using a client secret, sent as `client_secret_basic`: shorthand
   * for `clientAuth: clientSecretBasic(clientSecret)`.
   */
  readonly clientSecret?: string | Secret | undefined;
  /**
   * For a confidential app using `private_key_jwt`: a CryptoKey, a private JWK or a PEM (PKCS#8,
   * PKCS#1 or SEC1); shorthand for `clientAuth: privateKeyJwt(privateKey, { keyId })`.
   */
  readonly privateKey?: ClientPrivateKeyInput | undefined;
  /** The `kid` of `privateKey`, when the app has several keys (a JWK's own `kid` is used otherwise). */
  readonly keyId?: string | undefined;
  /**
   * The app's client authentication, as set in Okta (`token_endpoint_auth_method`): any of
   * {@link clientSecretBasic}, {@link clientSecretPost}, {@link clientSecretJwt},
   * {@link privateKeyJwt} (a key, or a KMS signer) for a web app, {@link noClientAuth} for an
   * SPA or native app. Instead of `clientSecret`/`privateKey`. @default noClientAuth()
   */
  readonly clientAuth?: ClientAuth | undefined;
  /** The redirect URI registered on the app (needed for `startSignIn`, not for device sign-in). */
  readonly redirectUri?: string | URL | undefined;
  /** Where Okta sends the browser after sign-out (registered on the app as a sign-out redirect URI). */
  readonly postLogoutRedirectUri?: string | URL | undefined;
  /**
   * The scopes to ask for: `openid` for an ID token, `offline_access` for a
   * refresh token, and the `okta.*` scopes granted to the app. An array or a string separated
   * by spaces or commas (`'openid,offline_access'` is two scopes), as for service apps.
   */
  readonly scopes: readonly string[] | string;
  /** Accept `http://` loopback org URLs (tests and `@org/okta-emulator` only). @default false */
  readonly allowInsecureLoopback?: boolean | undefined;
  /** Tolerated clock difference with Okta for ID token `exp`, `iat` and `auth_time`, in seconds. @default 120 */
  readonly clockSkewSeconds?: number | undefined;
  /** How long a sign-in may take from `startSignIn` to `finishSignIn`, in seconds; a transaction dated more than `clockSkewSeconds` in the future is refused too, and `startSignIn` removes such transactions of this client from `storage`. @default 1800 */
  readonly transactionMaxAgeSeconds?: number | undefined;
  /**
   * Where `startSignIn` keeps the transaction, so `finishSignIn(callbackUrl)`
   * can find it by `state`. @default createMemoryStorage() — use
   * `createSessionStorage()` for a browser redirect, or pass the transaction
   * to `finishSignIn` yourself (server-side sessions).
   */
  readonly storage?: OktaStorage | undefined;
  /**
   * DPoP (RFC 9449), the same option as for service apps (`createServiceAppCredential`):
   * - `'off'` (default for sign-in, unless `dpopKeyPair` or `dpopAlgorithm` is given: then
   *   `'required'`): no proofs; DPoP-bound stored tokens are not restored. Beside `dpopKeyPair` or
   *   `dpopAlgorithm`, `'off'` is `INVALID_CONFIG` (drop one of them).
   * - `'required'`: a proof with every token request and every API call; Okta must issue DPoP
   *   tokens (`DPOP_NOT_BOUND` otherwise, no silent downgrade), as the app's "Require DPoP" asks.
   * - `'auto'`: proofs are sent; a Bearer answer is used as a plain Bearer token.
   *
   * Deprecated aliases (still accepted): `true` is `'required'`, `false` is `'off'`, and
   * `{ keyPair?, algorithm? }` is `'required'` with {@link SignInClientOptions.dpopKeyPair}
   * and {@link SignInClientOptions.dpopAlgorithm}.
   * @default 'off'
   */
  readonly dpop?:
    | DpopMode
    | boolean
    | {
        /** @deprecated Use `dpopKeyPair`. */
        readonly keyPair?: WebCryptoKeyPair | undefined;
        /** @deprecated Use `dpopAlgorithm`. */
        readonly algorithm?: DpopAlgorithm | undefined;
      }
    | undefined;
  /** The DPoP proof algorithm of a new key pair; given without `dpop`, DPoP is `'required'`. @default 'ES256' */
  readonly dpopAlgorithm?: DpopAlgorithm | undefined;
  /**
   * A DPoP key pair to reuse so stored DPoP-bound tokens keep working (in a browser, `loadBrowserDpopKeyPair()`: non-extractable, kept in IndexedDB across reloads); a new one is made otherwise.
   * Given without `dpop`, DPoP is `'required'` (as the deprecated `dpop: { keyPair }`). Tokens stored with another key are not restored (`restoreCredential` answers `undefined`).
   */
  readonly dpopKeyPair?: WebCryptoKeyPair | undefined;
  /** The current time in epoch milliseconds. @default Date.now */
  readonly now?: (() => number) | undefined;
  /**
   * The ID token signature check. `createSignInClient` from `@org/okta-oauth` checks signatures
   * with {@link jwksIdTokenVerifier} (jose, the org's JWKS) by default; the one from
   * `@org/okta-oauth/sign-in` has none by default: ID tokens come only from the token endpoint
   * over TLS, which stands for the signature (OIDC Core §3.1.3.7 step 6); every claim is checked
   * either way. Pass `jwksIdTokenVerifier` (from `@org/okta-oauth/id-token-jwks`) to check it there too.
   */
  readonly idTokenVerifier?: IdTokenVerifier | undefined;
  /**
   * How device polling waits between polls: a test seam (tests pass a fake that moves their clock). Bounded by the
   * caller's signal only: `poll({ signal })` ends `ABORTED` when it fires, even if this sleep ignores it or never settles;
   * without a signal, a sleep that never settles holds the poll. What it throws or rejects with ends the poll as itself; a
   * result that is not a promise ends it `INVALID_CONFIG`, asking Okta nothing more.
   * @default setTimeout, abortable
   */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/**
 * What every sign-in client has. `createSignInClient` of `@org/okta-oauth/sign-in` returns that
 * entry's `SignInClientBase`, this without device sign-in and introspection, which that client
 * refuses (`INVALID_CONFIG`); it is still given wherever this type is taken. Sign-out, the storage restore and the discovery document are the functions
 * {@link signOut}, {@link restoreCredential} and {@link metadata} that take the client, so an app
 * that does not call them does not ship them.
 * @example
 * ```ts
 * import { createSignInClient, type SignInClientBase } from '@org/okta-oauth/sign-in';
 *
 * const client: SignInClientBase = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] });
 * const { url, transaction } = await client.startSignIn();
 * ```
 * @see https://developer.okta.com/docs/guides/sign-into-spa-redirect/main/
 */
export interface SignInClientBase {
  /** The org origin. */
  readonly origin: string;
  /** The app's client ID. */
  readonly clientId: string;
  /**
   * Starts an authorization code + PKCE (S256) sign-in: the URL to send the
   * user to, and the transaction to keep until the callback.
   */
  startSignIn(options?: StartSignInOptions): Promise<StartedSignIn>;
  /**
   * Finishes a sign-in from the callback URL (absolute, or the path and
   * query your server received; a `URL`, or any URL object with an `href`
   * such as Next.js's `request.nextUrl`; or its `URLSearchParams`, which has no address to check): checks that
   * this client started the transaction and that the callback came to its redirect URI, then `iss`, `state`, turns a callback
   * `error` into a typed error, exchanges the code with the code verifier and
   * validates the ID token. The transaction is taken from `storage` (removed) whether passed or not;
   * without `transaction`, it is looked up there by `state`: on a server, pass the one kept in the user's session.
   */
  finishSignIn(callbackUrl: string | URL | URLSearchParams, transaction?: SignInTransaction, options?: FinishSignInOptions): Promise<SignInResult>;
  /**
   * A credential for Okta's APIs from the user's tokens, renewing them as requests need it.
   * Signing it out is {@link signOut}`(client, credential)`. Tokens whose ID token names another
   * org or client (or cannot be read) are `INVALID_CONFIG`: they would go to this org. DPoP-bound
   * tokens of another DPoP key (their `dpopJkt`) make its first request `INVALID_CONFIG`, sent nowhere.
   */
  credential(tokens: UserTokens | SignInResult, options?: UserCredentialOptions): UserCredentialBase;
  /**
   * Starts a device sign-in (RFC 8628) for command-line tools and devices without a browser
   * (`INVALID_CONFIG` from `@org/okta-oauth/sign-in`'s client: use `@org/okta-oauth`'s).
   */
  startDeviceSignIn(options?: StartDeviceSignInOptions): Promise<DeviceSignIn>;
  /** Asks Okta whether a token of this client is active (`@org/okta-oauth`'s client only; a public client sends its `client_id` alone). */
  introspect(token: string | Secret, options?: IntrospectOptions): Promise<IntrospectionResult>;
}

/**
 * Signs users in to Okta's org authorization server and turns their tokens
 * into a credential for Okta's APIs. Made by `createSignInClient` of `@org/okta-oauth`: a
 * {@link SignInClientBase} with {@link signOut}, {@link restoreCredential} and {@link metadata}
 * as methods too.
 * @example
 * ```ts
 * declare const options: SignInClientOptions; // your app's
 * const client: SignInClient = createSignInClient(options);
 * const { url, transaction } = await client.startSignIn();
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export interface SignInClient extends SignInClientBase {
  /** A credential for Okta's APIs from the user's tokens, renewing them as requests need it, with `signOut()` (another org's or client's tokens: `INVALID_CONFIG`). */
  credential(tokens: UserTokens | SignInResult, options?: UserCredentialOptions): UserCredential;
  /**
   * The credential of a user signed in earlier, from the tokens a credential
   * kept in `options.storage` (after a page reload, say); `undefined` when
   * there are none (or they are unreadable) and the user must sign in. {@link restoreCredential}.
   */
  restoreCredential(options: UserCredentialOptions & { readonly storage: OktaStorage }): Promise<UserCredential | undefined>;
  /** Revokes the refresh and access tokens and builds Okta's end-session URL: {@link signOut}. */
  signOut(tokens: UserTokens | UserCredentialBase, options?: SignOutOptions): Promise<SignOutResult>;
  /** The org's discovery document (fetched once, then cached): {@link metadata}. */
  metadata(options?: { readonly signal?: AbortSignal | undefined }): Promise<OrgServerMetadata>;
}
