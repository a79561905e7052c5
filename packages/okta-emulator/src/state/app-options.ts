import type { JWK } from 'jose';
import type { GroupsClaim, RotationMode, TokenEndpointAuthMethod } from './model.js';

/*
 * What a test passes to create an app (`createServiceApp`, `createSignInApp`, `createOinApp`) and what it
 * gets back: the public option and credential shapes; `apps.ts` makes the app records from them.
 */

/**
 * Options for `OktaEmulator.createServiceApp`.
 *
 * @example
 * ```ts
 * const app = org.createServiceApp({ keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface ServiceAppOptions {
  /** Key type of the generated client-authentication key(s). Default `'RSA'` (2048-bit, RS256); `'EC'` is P-256, ES256. */
  keyType?: 'RSA' | 'EC' | undefined;
  /** Require DPoP-bound tokens ("Require Demonstrating Proof of Possession"). Default `true`, as for new Okta API service apps. */
  requireDpop?: boolean | undefined;
  /** Granted `okta.*` scopes, each one of Okta's (https://developer.okta.com/docs/api/oauth2/); an unknown one is `INVALID_OPTION`. */
  scopes: string[];
  /** How many key pairs to generate and register (1 to 100, default 1); the first one is returned. */
  keyCount?: number | undefined;
  /** Extra public JWKs (each with a `kid`) to register alongside the generated key(s). */
  publicJwks?: JWK[] | undefined;
}

/**
 * What `OktaEmulator.createServiceApp` returns: the client id and the first generated key pair.
 *
 * @example
 * ```ts
 * import { importPKCS8 } from 'jose';
 * import { startEmulator } from '@org/okta-emulator';
 *
 * const org = await startEmulator();
 * const { clientId, keyId, privateKeyPem } = org.createServiceApp({ scopes: ['okta.users.read'] });
 * const key = await importPKCS8(privateKeyPem, 'RS256'); // RSA unless keyType: 'EC'
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
export interface ServiceAppCredentials {
  /** The app's client id. */
  clientId: string;
  /** The first key's `kid`. */
  keyId: string;
  /** The private key as PKCS#8 PEM. */
  privateKeyPem: string;
  /** The private key as a JWK, with `kid` and `alg`. */
  privateJwk: JWK;
  /** The registered public key as a JWK, with `kid`, `alg` and `use`. */
  publicJwk: JWK;
}

/**
 * Options for `OktaEmulator.createSignInApp`.
 *
 * @example
 * ```ts
 * const spa = org.createSignInApp({ type: 'spa', redirectUris: ['http://localhost:5173/callback'], scopes: ['okta.users.read'] });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export interface SignInAppOptions {
  /**
   * `'spa'`: public browser client, no secret, PKCE required. `'web'`: confidential client with a
   * secret. `'native'`: public client (PKCE) that may also use the device grant, the only app type
   * Okta allows it for.
   */
  type: 'spa' | 'web' | 'native';
  /** The sign-in redirect URIs the app accepts (exact match). */
  redirectUris: string[];
  /** The sign-out redirect URIs the app accepts. */
  postLogoutRedirectUris?: string[] | undefined;
  /** Extra granted scopes (e.g. `okta.users.read`); the OIDC scopes and `offline_access` are always allowed. */
  scopes?: string[] | undefined;
  /** Ask for DPoP-bound tokens, as the app setting "Require DPoP" does. */
  requireDpop?: boolean | undefined;
  /** `rotate` (Okta's default for a SPA) issues a new refresh token on each use; `static` (a web or native app's default) keeps it. */
  refreshTokenRotation?: RotationMode | undefined;
  /**
   * How long a rotated refresh token stays usable, in seconds from 0 to 60: Okta's "Grace period for token
   * rotation" (`leeway`); default 30. Used again after it, the token revokes its whole family.
   */
  refreshTokenLeewaySeconds?: number | undefined;
  /** The app's groups claim filter; the ID token carries it when the `groups` scope is granted. */
  groupsClaim?: GroupsClaim | undefined;
  /** The app's name (Okta's `label`), shown on the sign-in page ("to continue to …"); default: its client id. */
  label?: string | undefined;
  /** A line for the person on the sign-in page, such as which test user to sign in as. */
  signInHint?: string | undefined;
  /**
   * A web app's client authentication: `'client_secret_basic'` (default, as Okta's),
   * `'client_secret_post'`, `'client_secret_jwt'` (HS256/384/512 over the secret) or
   * `'private_key_jwt'` (a key pair is generated, like `createServiceApp`'s, and the app has no
   * secret). SPA and native apps are always `'none'`.
   */
  tokenEndpointAuthMethod?: Exclude<TokenEndpointAuthMethod, 'none'> | undefined;
  /** For a `private_key_jwt` web app: key type of the generated key. Default `'RSA'`. */
  keyType?: 'RSA' | 'EC' | undefined;
  /** For a `private_key_jwt` web app: extra public JWKs (each with a `kid`), such as a KMS key's. */
  publicJwks?: JWK[] | undefined;
}

/**
 * What `OktaEmulator.createSignInApp` returns: the client id, the secret of a web app that has
 * one, and the key pair of a `private_key_jwt` web app.
 *
 * @example
 * ```ts
 * const { clientId, privateKeyPem, keyId } = org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'], tokenEndpointAuthMethod: 'private_key_jwt' });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/
 */
export interface SignInAppCredentials {
  /** The app's client id. */
  clientId: string;
  /** The client secret of a web app that authenticates with one (`client_secret_*`). */
  clientSecret?: string;
  /** The id (`ocs…`) of that secret, for `deactivateAppSecret` once `addAppSecret`'s has replaced it. */
  secretId?: string;
  /** The `kid` of the generated key (a `private_key_jwt` web app). */
  keyId?: string;
  /** The private key as PKCS#8 PEM (a `private_key_jwt` web app). */
  privateKeyPem?: string;
  /** The private key as a JWK, with `kid` and `alg` (a `private_key_jwt` web app). */
  privateJwk?: JWK;
}

/**
 * Options for `OktaEmulator.createOinApp`.
 *
 * @example
 * ```ts
 * const oin = org.createOinApp({ scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'client_secret_post' });
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 */
export interface OinAppOptions {
  /** Granted `okta.*` scopes, each one of Okta's (https://developer.okta.com/docs/api/oauth2/); an unknown one is `INVALID_OPTION`. */
  scopes: string[];
  /** How the integration authenticates: `'client_secret_basic'` (default) or `'client_secret_post'`. */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post' | undefined;
}

/**
 * What `OktaEmulator.createOinApp` returns: the integration's client id and client secret for this org,
 * and the secret's id.
 *
 * @example
 * ```ts
 * import { startEmulator, type OinAppCredentials } from '@org/okta-emulator';
 *
 * const org = await startEmulator();
 * const tenant: OinAppCredentials = org.createOinApp({ scopes: ['okta.users.read'] });
 * const basic = `Basic ${btoa(`${tenant.clientId}:${tenant.clientSecret}`)}`; // client_secret_basic
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/#request-an-access-token
 */
export interface OinAppCredentials {
  /** The integration's client id in this org. */
  clientId: string;
  /** Its client secret. */
  clientSecret: string;
  /** The secret's id (`ocs…`), for `deactivateAppSecret` once `addAppSecret`'s has replaced it. */
  secretId: string;
}
