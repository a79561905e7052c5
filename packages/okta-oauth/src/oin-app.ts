import { parseOrgUrl, type OktaTransportOptions, type Secret } from '@org/okta-auth-core';
import { bindClientAuth, oinAppAuth, type ClientAuth } from './client-auth/client-auth.js';
import { clientSecretBasic } from './client-auth/client-secret.js';
import { oinAppOwner } from './credential/app-advice.js';
import { clientCredentialsParts, withRevoke } from './credential/client-credentials.js';
import { revoke, type OinAppCredential } from './credential/revoke-app-token.js';
import { configError } from './errors.js';
import { checkClientId, checkScopes, checkTokenStore, checkTransport, refuseUserScopes } from './internal/validate.js';
import type { OktaStorage } from './token-cache/storage.js';
import type { TokenStore } from './token-cache/token-store.js';
import { oinAppHints } from './token-endpoint/token-error.js';

/**
 * Options for {@link createOinAppCredential}: one customer org's installation of an OIN API
 * service integration.
 *
 * @example
 * ```ts
 * declare const tenant: { oktaDomain: string; clientId: string; clientSecret: string }; // from your database
 * const options: OinAppCredentialOptions = {
 *   orgUrl: tenant.oktaDomain,
 *   clientId: tenant.clientId,
 *   clientSecret: tenant.clientSecret,
 *   scopes: ['okta.users.read', 'okta.groups.read'],
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 */
export interface OinAppCredentialOptions extends OktaTransportOptions {
  /** The customer's org URL (or its custom domain). */
  readonly orgUrl: string | URL;
  /** The client id Okta generated for this customer org. */
  readonly clientId: string;
  /**
   * The client secret Okta generated for this customer org (shown once at install), sent as
   * `client_secret_basic`. Shorthand for `clientAuth: clientSecretBasic(clientSecret)`; give one of the two.
   */
  readonly clientSecret?: string | Secret | undefined;
  /**
   * The client authentication, instead of `clientSecret`: {@link clientSecretBasic} or
   * {@link clientSecretPost}, as the integration is set up in Okta. Other methods are `INVALID_CONFIG`.
   */
  readonly clientAuth?: ClientAuth | undefined;
  /** Required: the integration's scopes (or a subset). Okta refuses an empty scope. An array or a string separated by spaces or commas. */
  readonly scopes: readonly string[] | string;
  /** Where tokens are cached. Default: in memory, per credential. */
  readonly tokenStore?: TokenStore | OktaStorage | undefined;
  /** Accept `http://127.0.0.1:…` org URLs, for tests. Never in production. */
  readonly allowInsecureLoopback?: boolean | undefined;
}

/**
 * A service app's DPoP options given to an OIN credential (a JavaScript caller, or tenant data spread
 * into the options), refused: dropped, they would leave Bearer tokens where DPoP-bound ones were asked for.
 */
function refuseDpop(options: OinAppCredentialOptions): void {
  const given = options as unknown as Readonly<Record<string, unknown>>;
  // `dpop: 'off'` is what an OIN credential does; `null` is none, as everywhere.
  const name = ['dpop', 'dpopKeyPair', 'dpopAlgorithm'].find((option) => (given[option] ?? undefined) !== undefined && !(option === 'dpop' && given[option] === 'off'));
  if (name !== undefined) {
    throw configError(`${name}: an OIN API service integration's tokens are Bearer tokens obtained with the client secret, and Okta offers it no DPoP. DPoP-bound tokens are for an API service app of your own in the org, with its private key (createServiceAppCredential), not for an OIN integration.`);
  }
}

/**
 * A credential for an OIN API service integration in one customer org: client credentials
 * with `client_secret_basic`, Bearer tokens, cached and renewed like a service app's.
 * The secret is held in a `Secret` inside a closure and never printed. Its `revoke()` offboards
 * the org: its access token out of the process and the token store, and revoked at Okta.
 *
 * @example
 * ```ts
 * import { createOinAppCredential } from '@org/okta-oauth';
 *
 * declare const secretFromVault: string;
 *
 * const credential = createOinAppCredential({
 *   orgUrl: 'https://customer.okta.com',
 *   clientId: '0oa9xyz',
 *   clientSecret: secretFromVault,
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/#request-an-access-token
 */
export function createOinAppCredential(options: OinAppCredentialOptions): OinAppCredential {
  if (typeof options !== 'object' || (options as unknown) === null) throw configError('createOinAppCredential needs an options object.');
  const org = parseOrgUrl(options.orgUrl, { allowInsecureLoopback: options.allowInsecureLoopback === true });
  const clientId = checkClientId(options.clientId);
  if (options.clientAuth !== undefined && options.clientSecret !== undefined) {
    throw configError('Give clientAuth or clientSecret, not both: clientSecret is the shorthand for clientAuth: clientSecretBasic(clientSecret).');
  }
  refuseDpop(options);
  const { clientSecret } = options;
  if (options.clientAuth === undefined && clientSecret === undefined) {
    const key = (options as { privateKey?: unknown }).privateKey ?? undefined;
    const keyHint = key === undefined ? '' : ' (A privateKey is for an API service app of your own: createServiceAppCredential.)';
    throw configError(`clientSecret is missing: give the client secret Okta generated for this customer org's installation.${keyHint}`);
  }
  const clientAuth = options.clientAuth ?? clientSecretBasic(clientSecret ?? '');
  const scopes = refuseUserScopes(checkScopes(options.scopes, 'scopes', options));
  const credential = clientCredentialsParts({
    kind: 'oin-app',
    org,
    clientAuth: bindClientAuth(clientId, clientAuth, oinAppAuth),
    scopes,
    dpop: undefined,
    hints: oinAppHints,
    owner: oinAppOwner,
    tokenStore: checkTokenStore(options.tokenStore),
    transport: checkTransport(options),
  });
  return withRevoke(credential, revoke);
}
