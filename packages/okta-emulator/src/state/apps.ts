import type { JWK } from 'jose';
import type { OrgContext } from './context.js';
import { invalidOption, shown } from '../emulator-error.js';
import { checkFields } from '../options.js';
import { isRecord } from '../http/http-types.js';
import { isOrgScope } from '../protocol/scopes.js';
import { oktaId, randomToken } from './ids.js';
import { newKeyPair } from './key-pair.js';
import { newClientSecret, secretOf } from './app-secrets.js';
import type { GroupsClaim, RotationMode, ServiceApp, SignInApp, OinApp, TokenEndpointAuthMethod } from './model.js';

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

type KeyPair = Omit<ServiceAppCredentials, 'clientId'>;

export function generateKey(keyType: 'RSA' | 'EC'): KeyPair {
  const alg = keyType === 'EC' ? 'ES256' : 'RS256';
  const { privateKey, publicKey } = newKeyPair(keyType);
  const keyId = randomToken(16);
  const privateJwk: JWK = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg };
  const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg, use: 'sig' };
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { keyId, privateKeyPem, privateJwk, publicJwk };
}

function checkPublicJwks(jwks: JWK[] | undefined, where: string): void {
  if (jwks !== undefined && !Array.isArray(jwks)) invalidOption(where, 'publicJwks', 'must be an array of public JWKs, each with a kid, or unset.');
  for (const [i, jwk] of (jwks ?? []).entries()) {
    const option = `publicJwks[${String(i)}]`;
    if (!isRecord(jwk)) invalidOption(where, option, `must be a public JWK object, such as { kty: 'EC', crv: 'P-256', x, y, kid }, not ${shown(jwk)}.`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') invalidOption(where, option, 'needs a kid: the key id a client assertion names in its header.');
    // Never quoted: it holds a private key.
    if ('d' in jwk) invalidOption(where, option, 'must be a public key, without its private part "d": give the public JWK.');
  }
}

/** Scopes are a list of names: a string would become the set of its characters, granting nothing it names. */
function checkScopes(scopes: unknown, where: string, required: boolean): void {
  if (scopes === undefined && !required) return;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string' && scope !== '')) {
    invalidOption(where, 'scopes', `must be an array of scope names, such as ['okta.users.read']${required ? ' (or [])' : ', or unset'}, not ${shown(scopes)}.`);
  }
  // The org authorization server has no custom scopes (FIDELITY T8) and only Okta's okta.* scopes (T11): a grant Okta
  // cannot make is refused here, not at /token.
  const custom = (scopes as string[] | undefined)?.find((scope) => !isOrgScope(scope));
  if (custom?.startsWith('okta.')) {
    invalidOption(where, 'scopes', `${shown(custom)} is not one of Okta's okta.* scopes (https://developer.okta.com/docs/api/oauth2/): check its spelling, such as 'okta.users.read' or 'okta.groups.manage'.`);
  }
  if (custom !== undefined) {
    invalidOption(where, 'scopes', `${shown(custom)} is not a scope of the org authorization server: it has okta.* scopes and the OpenID Connect ones, no custom scopes (those need a custom authorization server, which the emulator does not emulate).`);
  }
}

export function createServiceApp(ctx: OrgContext, opts: ServiceAppOptions): ServiceAppCredentials {
  const where = 'createServiceApp';
  const count = opts.keyCount ?? 1;
  // Each key is generated on the spot (a 2048-bit RSA key takes a while): a few are what a test needs.
  if (!(Number.isInteger(count) && count >= 1 && count <= 100)) invalidOption(where, 'keyCount', `must be a whole number from 1 to 100 (keys generated), or unset for 1, not ${shown(count)}.`);
  checkFields(opts, where, { requireDpop: 'boolean', keyType: ['RSA', 'EC'] });
  checkScopes(opts.scopes, where, true);
  checkPublicJwks(opts.publicJwks, where);
  const keys = Array.from({ length: count }, () => generateKey(opts.keyType ?? 'RSA'));
  const first = keys[0];
  if (first === undefined) throw new Error('internal: no key generated (keyCount is at least 1)');
  const app: ServiceApp = {
    kind: 'service',
    clientId: oktaId('0oa'),
    authMethod: 'private_key_jwt',
    scopes: new Set(opts.scopes),
    requireDpop: opts.requireDpop ?? true,
    keys: [...keys.map((k) => k.publicJwk), ...(opts.publicJwks ?? []).map((k) => ({ ...k }))],
  };
  ctx.store.apps.set(app.clientId, app);
  return { ...first, clientId: app.clientId };
}

export function createOinApp(ctx: OrgContext, opts: OinAppOptions): { clientId: string; clientSecret: string; secretId: string } {
  const method = opts.tokenEndpointAuthMethod ?? 'client_secret_basic';
  // Checked at run time too: a JavaScript caller (or a cast) may pass anything.
  if (!['client_secret_basic', 'client_secret_post'].includes(method)) {
    invalidOption('createOinApp', 'tokenEndpointAuthMethod', `must be 'client_secret_basic' or 'client_secret_post', or unset, not ${shown(method)}.`);
  }
  checkScopes(opts.scopes, 'createOinApp', true);
  const secret = newClientSecret();
  const app: OinApp = {
    kind: 'oin',
    clientId: oktaId('0oa'),
    authMethod: method,
    secrets: [secret],
    scopes: new Set(opts.scopes),
    requireDpop: false,
  };
  ctx.store.apps.set(app.clientId, app);
  return secretOf(app.clientId, secret);
}

const webMethods: readonly string[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];
function checkUris(uris: unknown, option: string): void {
  if (!Array.isArray(uris)) invalidOption('createSignInApp', option, "must be an array of absolute URLs, such as ['http://localhost:5173/callback'].");
  for (const uri of uris as readonly unknown[]) {
    try {
      new URL(uri as string);
    } catch (error) {
      // A parser's error holds the value whole (here `input`; a RegExp's SyntaxError quotes it): kept as the cause only for no secret.
      invalidOption('createSignInApp', option, `must hold absolute URLs, such as 'http://localhost:5173/callback', not ${shown(uri)}.`, { error, value: uri });
    }
  }
}

export function createSignInApp(ctx: OrgContext, opts: SignInAppOptions): SignInAppCredentials {
  const where = 'createSignInApp';
  if (!['spa', 'web', 'native'].includes(opts.type)) invalidOption(where, 'type', `must be 'spa', 'web' or 'native', not ${shown(opts.type)}.`);
  // keyType as a service app's: 'ec' (or anything) was taken and made an RSA key.
  checkFields(opts, where, { requireDpop: 'boolean', refreshTokenRotation: ['rotate', 'static'], label: 'text', signInHint: 'text', keyType: ['RSA', 'EC'] });
  const claim = opts.groupsClaim;
  if (claim?.filter !== undefined && !['EQUALS', 'STARTS_WITH', 'CONTAINS', 'REGEX'].includes(claim.filter)) {
    invalidOption(where, 'groupsClaim.filter', `must be 'EQUALS', 'STARTS_WITH', 'CONTAINS' or 'REGEX', not ${shown(claim.filter)}.`);
  }
  if (claim?.filter === 'REGEX') {
    try {
      new RegExp(claim.value);
    } catch (error) {
      invalidOption(where, 'groupsClaim.value', `must be a regular expression (filter 'REGEX'), such as '^team-', not ${shown(claim.value)}.`, { error, value: claim.value });
    }
  }
  if (!Array.isArray(opts.redirectUris) || opts.redirectUris.length === 0) invalidOption(where, 'redirectUris', "must be a non-empty array of URLs, such as ['http://localhost:5173/callback'].");
  checkUris(opts.redirectUris, 'redirectUris');
  checkUris(opts.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris');
  const method = opts.type === 'web' ? (opts.tokenEndpointAuthMethod ?? 'client_secret_basic') : 'none';
  if (opts.type !== 'web' && opts.tokenEndpointAuthMethod !== undefined) {
    invalidOption(where, 'tokenEndpointAuthMethod', `must be unset for a ${opts.type} app: it is a public client, whose tokenEndpointAuthMethod is 'none' (type 'web' has the others).`);
  }
  // 'none' too: a web app is a confidential client (it was taken, and the app then had a secret it never asked for).
  if (opts.type === 'web' && !webMethods.includes(method)) invalidOption(where, 'tokenEndpointAuthMethod', `must be one of ${webMethods.join(', ')}, or unset, not ${shown(method)}.`);
  const leeway: unknown = opts.refreshTokenLeewaySeconds;
  if (leeway !== undefined && !(Number.isInteger(leeway) && (leeway as number) >= 0 && (leeway as number) <= 60)) {
    invalidOption(where, 'refreshTokenLeewaySeconds', `must be a whole number of seconds from 0 to 60 (Okta's range), or unset, not ${shown(leeway)}.`);
  }
  checkScopes(opts.scopes, where, false);
  checkPublicJwks(opts.publicJwks, where);
  const key = method === 'private_key_jwt' ? generateKey(opts.keyType ?? 'RSA') : undefined;
  const secret = opts.type === 'web' && method !== 'private_key_jwt' ? newClientSecret() : undefined;
  const app: SignInApp = {
    kind: opts.type,
    clientId: oktaId('0oa'),
    authMethod: method,
    secrets: secret === undefined ? [] : [secret],
    keys: [...(key === undefined ? [] : [key.publicJwk]), ...(opts.publicJwks ?? []).map((k) => ({ ...k }))],
    scopes: new Set(opts.scopes ?? []),
    requireDpop: opts.requireDpop ?? false,
    redirectUris: [...opts.redirectUris],
    postLogoutRedirectUris: [...(opts.postLogoutRedirectUris ?? [])],
    refreshTokenRotation: opts.refreshTokenRotation ?? undefined,
    refreshTokenLeewaySeconds: opts.refreshTokenLeewaySeconds,
    groupsClaim: opts.groupsClaim === undefined ? undefined : { ...opts.groupsClaim },
    label: opts.label ?? undefined, // null is unset, as for every optional field (checkFields)
    signInHint: opts.signInHint ?? undefined,
  };
  ctx.store.apps.set(app.clientId, app);
  if (key !== undefined) return { clientId: app.clientId, keyId: key.keyId, privateKeyPem: key.privateKeyPem, privateJwk: key.privateJwk };
  return secret === undefined ? { clientId: app.clientId } : secretOf(app.clientId, secret);
}
