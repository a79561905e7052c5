import { parseOrgUrl, type OktaCredential, type OktaTransportOptions } from '@org/okta-auth-core';
import { refuseForeignOptions } from '@org/okta-auth-core/internal';
import { bindClientAuth, serviceAppAuth, type ClientAuth } from './client-auth/client-auth.js';
import type { ClientAssertionAlgorithm, ClientPrivateKeyInput } from './client-auth/client-key.js';
import type { ClientKeyReader } from './client-auth/private-key-jwt.js';
import { signingKeyAuth } from './client-auth/key-jwt.js';
import { serviceAppOwner } from './credential/app-advice.js';
import { clientCredentialsParts } from './credential/client-credentials.js';
import type { DpopAlgorithm } from './dpop/dpop-key.js';
import { dpopPart } from './dpop/dpop-session.js';
import { configError } from './errors.js';
import { checkClientId, checkDpopOptions, checkKeyId, checkScopes, checkTokenStore, checkTransport, refuseUserScopes } from './internal/validate.js';
import type { OktaStorage } from './token-cache/storage.js';
import type { TokenStore } from './token-cache/token-store.js';
import type { DpopMode } from './token-endpoint/token-endpoint.js';
import { serviceAppHints } from './token-endpoint/token-error.js';
import type { WebCryptoKeyPair } from './internal/web-crypto.js';

/**
 * Options for `createServiceAppCredential` (from `@org/okta-oauth` or `@org/okta-oauth/service-app`).
 *
 * @example
 * ```ts
 * const options: ServiceAppCredentialOptions = {
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   privateKey: process.env.OKTA_PRIVATE_KEY!, // PEM (PKCS#8, PKCS#1, SEC1) or private JWK JSON
 *   keyId: 'key-2026-01',
 *   scopes: ['okta.users.read', 'okta.groups.read'],
 * };
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export interface ServiceAppCredentialOptions extends OktaTransportOptions {
  /** The org URL, such as `https://acme.okta.com` (the org authorization server). */
  readonly orgUrl: string | URL;
  /** The service app's client id. */
  readonly clientId: string;
  /**
   * The private key registered (as a public key) with the app: a WebCrypto `CryptoKey` (type
   * `private`, usage `sign`) and, with `createServiceAppCredential` from `@org/okta-oauth`, also a
   * PEM string (PKCS#8, PKCS#1 or SEC1) or a private JWK (object or JSON text). From
   * `@org/okta-oauth/service-app` a PEM or JWK is `INVALID_CONFIG`: read it with `importPrivateKey`.
   * RSA keys need at least 2048 bits; EC keys P-256, P-384 or P-521. Shorthand for
   * `clientAuth: privateKeyJwt(privateKey, { keyId, algorithm })`; give one of the two.
   */
  readonly privateKey?: ClientPrivateKeyInput | undefined;
  /** The key's `kid` in Okta. Needed when the app has more than one key. Defaults to the JWK's `kid`. */
  readonly keyId?: string | undefined;
  /** The client assertion algorithm. Defaults to RS256 for RSA keys and ES256/384/512 by curve. */
  readonly algorithm?: ClientAssertionAlgorithm | undefined;
  /**
   * The client authentication, instead of `privateKey`: {@link privateKeyJwt} with a key, or with
   * a signer `{ alg, kid, sign }` for a key held in a KMS or HSM. Okta allows only
   * `private_key_jwt` for service apps; any other method is `INVALID_CONFIG`.
   */
  readonly clientAuth?: ClientAuth | undefined;
  /** The Okta API scopes to request (granted to the app), as an array or a string separated by spaces or commas. */
  readonly scopes: readonly string[] | string;
  /**
   * DPoP (RFC 9449) with a separate, non-extractable key pair:
   * - `'auto'` (default): a proof goes with every token request; if Okta answers
   *   `token_type: DPoP` the token is used with fresh proofs, if it answers Bearer (the app does
   *   not require DPoP) the token is used as a plain Bearer token.
   * - `'required'`: as `auto`, but a Bearer answer is an error (`DPOP_NOT_BOUND`): no silent downgrade.
   * - `'off'`: no proofs; an app that requires DPoP then fails with `invalid_dpop_proof`.
   */
  readonly dpop?: DpopMode | undefined;
  /** The DPoP proof algorithm. @default 'ES256' */
  readonly dpopAlgorithm?: DpopAlgorithm | undefined;
  /** Your own DPoP key pair (for example a non-extractable pair kept in IndexedDB). Default: generated per credential. */
  readonly dpopKeyPair?: WebCryptoKeyPair | undefined;
  /** Where tokens are cached. Default: in memory, per credential. */
  readonly tokenStore?: TokenStore | OktaStorage | undefined;
  /** Accept `http://127.0.0.1:…` org URLs, for tests against `@org/okta-emulator`. Never in production. */
  readonly allowInsecureLoopback?: boolean | undefined;
}

/**
 * The one service app factory, with the key reader its entry point gives. Its credential has no `revoke()`: the
 * root entry adds it (`withRevoke`); `@org/okta-oauth/service-app`'s has `revoke(credential)`. @internal
 */
export function buildServiceAppCredential(options: ServiceAppCredentialOptions, readKey: ClientKeyReader): OktaCredential {
  if (typeof options !== 'object' || (options as unknown) === null) throw configError('createServiceAppCredential needs an options object.');
  // okta-sdk-nodejs's names for the key's id and the method, which a spread config carries; the rest are normalizeTransport's.
  refuseForeignOptions(options, { kid: 'keyId', authorizationMode: 'the factory you call' }, configError);
  const org = parseOrgUrl(options.orgUrl, { allowInsecureLoopback: options.allowInsecureLoopback === true });
  const clientId = checkClientId(options.clientId);
  const scopes = refuseUserScopes(checkScopes(options.scopes, 'scopes', options));
  const dpop = checkDpopOptions(options, 'auto');
  const keyId = checkKeyId(options.keyId);
  return clientCredentialsParts({
    kind: 'service-app',
    org,
    clientAuth: bindClientAuth(clientId, serviceAppClientAuth(options, keyId, readKey), serviceAppAuth),
    scopes,
    tokenStore: checkTokenStore(options.tokenStore),
    transport: checkTransport(options),
    hints: serviceAppHints,
    owner: serviceAppOwner,
    // Made last, once every option is checked (its key pair is generated from here on).
    dpop: dpopPart(org.origin, dpop),
  });
}

/** `clientAuth`, or `privateKey` (with `keyId`, `algorithm`) as its shorthand: exactly one. */
function serviceAppClientAuth(options: ServiceAppCredentialOptions, keyId: string | undefined, readKey: ClientKeyReader): ClientAuth {
  const key = (options.privateKey as ClientPrivateKeyInput | null | undefined) ?? undefined;
  if (options.clientAuth !== undefined) {
    if (key !== undefined || keyId !== undefined || options.algorithm !== undefined) {
      throw configError('Give clientAuth or privateKey (with keyId, algorithm), not both: privateKey is the shorthand for clientAuth: privateKeyJwt(privateKey, { keyId, algorithm }).');
    }
    return options.clientAuth;
  }
  if (key === undefined) {
    throw configError('privateKey is missing: give the private key whose public key is registered with the app (a CryptoKey; a PEM or private JWK with @org/okta-oauth, or through importPrivateKey), or clientAuth: privateKeyJwt({ alg, kid, sign }) for a key in a KMS.');
  }
  return signingKeyAuth(readKey(key, { keyId, algorithm: options.algorithm }));
}
