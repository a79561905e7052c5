import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import type { OrgContext } from './context.js';
import { oktaId, randomToken } from './ids.js';
import type { GroupsClaim, RotationMode, ServiceApp, SignInApp, OinApp } from './model.js';

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
  /** Granted `okta.*` scopes. */
  scopes: string[];
  /** How many key pairs to generate and register (default 1); the first one is returned. */
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
  /** `rotate` (Okta's default for SPAs) issues a new refresh token on each use; `static` keeps it. */
  refreshTokenRotation?: RotationMode | undefined;
  /** The app's groups claim filter; the ID token carries it when the `groups` scope is granted. */
  groupsClaim?: GroupsClaim | undefined;
  /** The app's name (Okta's `label`), shown on the sign-in page ("to continue to …"); default: its client id. */
  label?: string | undefined;
  /** A line for the person on the sign-in page, such as which test user to sign in as. */
  signInHint?: string | undefined;
}

interface KeyPair {
  keyId: string;
  privateKeyPem: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

function generateKey(keyType: 'RSA' | 'EC'): KeyPair {
  const alg = keyType === 'EC' ? 'ES256' : 'RS256';
  const { privateKey, publicKey } =
    keyType === 'EC'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyId = randomToken(16);
  const privateJwk: JWK = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg };
  const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg, use: 'sig' };
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { keyId, privateKeyPem, privateJwk, publicJwk };
}

export function createServiceApp(ctx: OrgContext, opts: ServiceAppOptions): ServiceAppCredentials {
  const count = Math.max(1, opts.keyCount ?? 1);
  const keys = Array.from({ length: count }, () => generateKey(opts.keyType ?? 'RSA'));
  const first = keys[0];
  if (first === undefined) throw new Error('no key generated');
  for (const jwk of opts.publicJwks ?? []) {
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new TypeError('publicJwks entries need a kid');
    if ('d' in jwk) throw new TypeError('publicJwks entries must be public keys');
  }
  const app: ServiceApp = {
    kind: 'service',
    clientId: oktaId('0oa'),
    scopes: new Set(opts.scopes),
    requireDpop: opts.requireDpop ?? true,
    keys: [...keys.map((k) => k.publicJwk), ...(opts.publicJwks ?? []).map((k) => ({ ...k }))],
  };
  ctx.store.apps.set(app.clientId, app);
  return { ...first, clientId: app.clientId };
}

export function createOinApp(ctx: OrgContext, opts: { scopes: string[] }): { clientId: string; clientSecret: string } {
  const app: OinApp = {
    kind: 'oin',
    clientId: oktaId('0oa'),
    clientSecret: randomToken(30),
    scopes: new Set(opts.scopes),
    requireDpop: false,
  };
  ctx.store.apps.set(app.clientId, app);
  return { clientId: app.clientId, clientSecret: app.clientSecret };
}

export function createSignInApp(ctx: OrgContext, opts: SignInAppOptions): { clientId: string; clientSecret?: string } {
  if (!['spa', 'web', 'native'].includes(opts.type)) throw new TypeError(`type must be 'spa', 'web' or 'native', not ${JSON.stringify(opts.type)}`);
  const filter = opts.groupsClaim?.filter;
  if (filter !== undefined && !['EQUALS', 'STARTS_WITH', 'CONTAINS', 'REGEX'].includes(filter)) {
    throw new TypeError("groupsClaim.filter must be 'EQUALS', 'STARTS_WITH', 'CONTAINS' or 'REGEX'");
  }
  if (opts.redirectUris.length === 0) throw new TypeError('redirectUris must not be empty');
  for (const uri of [...opts.redirectUris, ...(opts.postLogoutRedirectUris ?? [])]) new URL(uri);
  const app: SignInApp = {
    kind: opts.type,
    clientId: oktaId('0oa'),
    clientSecret: opts.type === 'web' ? randomToken(30) : undefined,
    scopes: new Set(opts.scopes ?? []),
    requireDpop: opts.requireDpop ?? false,
    redirectUris: [...opts.redirectUris],
    postLogoutRedirectUris: [...(opts.postLogoutRedirectUris ?? [])],
    refreshTokenRotation: opts.refreshTokenRotation,
    groupsClaim: opts.groupsClaim === undefined ? undefined : { ...opts.groupsClaim },
    label: opts.label,
    signInHint: opts.signInHint,
  };
  if (opts.groupsClaim?.filter === 'REGEX') new RegExp(opts.groupsClaim.value);
  ctx.store.apps.set(app.clientId, app);
  return app.clientSecret === undefined ? { clientId: app.clientId } : { clientId: app.clientId, clientSecret: app.clientSecret };
}
