import { Secret, type OktaCredential } from '@org/okta-auth-core';
import { configError, readOptions } from '../errors.js';
import { otherCopy } from '../user/context.js';
import type { OAuthFormContext } from '../user/http.js';
import { revokeAt, typedFailure } from '../user/revocation.js';
import { appPartsOf, type AppCredentialParts } from './client-credentials.js';

/**
 * Options of {@link OinAppCredential.revoke}.
 *
 * @example
 * ```ts
 * declare const credential: OinAppCredential;
 * await credential.revoke({ signal: AbortSignal.timeout(10_000) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.1
 */
export interface RevokeOptions {
  /** Aborts the revocation request (a token whose revocation it aborted stays held, for a later `revoke()`). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * The credential {@link createOinAppCredential} makes: an `OktaCredential` that can also revoke
 * its access token, for offboarding a customer org.
 *
 * @example
 * ```ts
 * import { createOinAppCredential } from '@org/okta-oauth';
 *
 * declare const tenant: { oktaDomain: string; clientId: string; clientSecret: string };
 * const credential = createOinAppCredential({ orgUrl: tenant.oktaDomain, clientId: tenant.clientId, clientSecret: tenant.clientSecret, scopes: ['okta.users.read'] });
 * await credential.revoke(); // the customer is offboarded: no token of it stays usable
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export interface OinAppCredential extends OktaCredential {
  /**
   * Offboards the credential's token: revokes the access token this process holds and the one the
   * token store holds (a shared store) at the org's `/oauth2/v1/revoke` with the credential's client
   * authentication (RFC 7009), and forgets each (deleted from the store if it still holds it, each call
   * bounded as every store call is) once Okta answered, or refused the client (`invalid_client`). A token
   * whose revocation failed otherwise (a 5xx, `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED`) stays
   * held, so calling `revoke()` again revokes it. Nothing held: nothing is sent, so a second call is free.
   * A later `authorize()` asks Okta for a new token. Rejects, once every token was tried, with the first
   * failure: `OAUTH_ERROR` (Okta refused: `invalid_client` for an integration already uninstalled,
   * whose tokens Okta ended), `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED`; never with a token or secret.
   */
  revoke(options?: RevokeOptions): Promise<void>;
}

/**
 * The credential `createServiceAppCredential` of `@org/okta-oauth` (and `serviceAppCredentialFromEnv`) makes: an
 * `OktaCredential` that can also revoke its access token, when it leaked, when the app's private key may have, or at
 * shutdown. `@org/okta-oauth/service-app`'s returns an `OktaCredential` without the method: call {@link revoke}.
 *
 * @example
 * ```ts
 * import { createServiceAppCredential } from '@org/okta-oauth';
 *
 * declare const pem: string; // the app's private key
 * const credential = createServiceAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey: pem, keyId: 'key-2026-01', scopes: ['okta.users.read'] });
 * await credential.revoke(); // the token it held is no longer valid at Okta
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 * @see https://developer.okta.com/docs/guides/revoke-tokens/main/
 */
export interface ServiceAppCredential extends OktaCredential {
  /**
   * Revokes the access token this process holds and the one the token store holds (a shared store) at the
   * org's `/oauth2/v1/revoke`, authenticated by the app's `private_key_jwt` assertion (RFC 7009; a DPoP-bound
   * token is revoked without a DPoP proof, as Okta takes it), and forgets each (deleted from the store if it still
   * holds it) once Okta answered, or refused the client (`invalid_client`: the app deactivated, or its key removed;
   * revoke before you deactivate a compromised key, then rotate). A token being obtained meanwhile is not kept. A
   * token whose revocation failed otherwise (a 5xx, `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED`) stays
   * held, so calling `revoke()` again revokes it. Nothing held: nothing is sent. A later `authorize()` asks Okta for
   * a new token. Rejects, once every token was tried, with the first failure: `OAUTH_ERROR`, `RATE_LIMITED`,
   * `TIMEOUT`, `NETWORK_ERROR`, `ABORTED` (or a KMS signer's own error); never with a token or the key.
   */
  revoke(options?: RevokeOptions): Promise<void>;
}

/**
 * Revokes the access token of a credential `createServiceAppCredential` or `createOinAppCredential` made: the one
 * it holds and the one its token store holds (a shared store), at the org's `/oauth2/v1/revoke` with the
 * credential's client authentication (RFC 7009: a service app's `private_key_jwt` assertion, signed on Okta's
 * clock; a DPoP-bound token is revoked without a DPoP proof, as Okta takes it), and forgets each, as
 * {@link ServiceAppCredential.revoke} says. A function rather than a method, so a bundle that never revokes does
 * not ship revocation: the credential of `@org/okta-oauth/service-app`'s `createServiceAppCredential` has no
 * `revoke()`; `credential.revoke(options)` of `@org/okta-oauth`'s (and of `createOinAppCredential`'s) is this.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` when `credential` is not one of those (rejected, nothing sent), or
 * `options` is not an object. Rejects, once every token was tried, with the first failure: `OAUTH_ERROR`,
 * `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED` (or a KMS signer's own error); never with a token or the key.
 * @example
 * ```ts
 * import { createServiceAppCredential, revoke, type WebCryptoKey } from '@org/okta-oauth/service-app';
 *
 * declare const privateKey: WebCryptoKey; // the app's private key (importPrivateKey)
 * const credential = createServiceAppCredential({ orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey, keyId: 'key-2026-01', scopes: ['okta.users.read'] });
 * await revoke(credential, { signal: AbortSignal.timeout(10_000) }); // the token it held is no longer valid at Okta
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 * @see https://developer.okta.com/docs/guides/revoke-tokens/main/
 */
export async function revoke(credential: OktaCredential, options?: RevokeOptions): Promise<void> {
  const { failure } = await revokeAppTokens(credential, [], options);
  if (failure) throw failure.error;
}

/** Whether `credential` is one `createOinAppCredential` or `createServiceAppCredential` made (its tokens reachable by {@link revokeAppTokens}). @internal */
export const isAppCredential = (credential: unknown): credential is OktaCredential => appPartsOf(credential) !== undefined;

/** The tokens of an app credential, this process's and the store's; nothing sent, nothing dropped. */
async function heldTokens({ cache }: AppCredentialParts): Promise<Set<string>> {
  const held = await cache;
  return new Set([held.peek()?.accessToken, (await held.read())?.accessToken].filter((token) => token !== undefined));
}

/** Takes `tokens` out of the credential's cache (a flight under way keeps nothing) and its store, if they still hold them. */
async function dropTokens({ cache }: AppCredentialParts, tokens: ReadonlySet<string>): Promise<void> {
  const held = await cache;
  const local = held.peek()?.accessToken;
  if (local !== undefined && tokens.has(local)) held.clear();
  // Each token leaves the store if it still holds it.
  for (const token of tokens) await held.drop(token);
}

/** The revocation request's client: the credential's client authentication on Okta's clock, no DPoP proof (Okta's `/revoke` takes the client's authentication alone). */
function revocationClient({ endpoint }: AppCredentialParts): OAuthFormContext {
  return { http: { ...endpoint.transport, origin: endpoint.origin }, clientAuth: endpoint.clientAuth, clock: endpoint.clock, clientId: endpoint.clientAuth.clientId, hints: endpoint.hints, dpop: undefined };
}

/** What {@link revokeAppTokens} did: how many revocations Okta accepted, how many tokens `earlier` still hold, and the first failure. @internal */
export interface Revoked {
  readonly accepted: number;
  /** The tokens the `earlier` credentials hold once every token was tried: another client's, or one Okta did not accept. */
  readonly left: number;
  readonly failure?: { readonly error: unknown } | undefined;
}

/**
 * Revokes the tokens of `credential` and of `earlier` OIN credentials of the same org and client id (ones a rotated
 * secret replaced, whose cache keys are bound to the old secret, or another tenant's), each authenticated by `credential`:
 * Okta takes a revocation from any of the client's active secrets (RFC 7009 §2.1: the token must be issued to the client),
 * and the old secret may be deactivated already. One of another org or client id (a reinstall) is never sent. A token
 * leaves the caches and the store of the credentials holding it once Okta answered its revocation (revoked, or already
 * invalid: both 200); `credential`'s own also when Okta refused the client (`invalid_client`: uninstalled). One refused
 * otherwise stays held: an earlier credential's refused with `invalid_client` (a claimant's secret, not the client's), for
 * its owner's offboarding; any failing for another reason (a 5xx, the network, an abort), for a retry. Resolves, once
 * every token was tried, with how many revocations Okta accepted, how many tokens `earlier` still hold (of another client
 * id too) and the first failure. `INVALID_CONFIG`, nothing sent, when the package did not make `credential`. @internal
 */
export async function revokeAppTokens(credential: OktaCredential, earlier: readonly OktaCredential[], given?: RevokeOptions): Promise<Revoked> {
  const own = appPartsOf(credential);
  if (own === undefined) throw configError(`revoke: pass the credential createServiceAppCredential or createOinAppCredential returned${otherCopy}`);
  const { signal } = readOptions(given, 'revoke(options)');
  const { origin, clientAuth, tokenEndpoint } = own.endpoint;
  const client = revocationClient(own);
  // The org's revocation endpoint, beside its token endpoint.
  const endpoint = new URL('/oauth2/v1/revoke', tokenEndpoint);
  // Each token, with the credentials that hold it.
  const tokens = new Map<string, AppCredentialParts[]>();
  for (const parts of new Set([own, ...earlier.map(appPartsOf)])) {
    if (parts?.endpoint.origin === origin && parts.endpoint.clientAuth.clientId === clientAuth.clientId) for (const token of await heldTokens(parts)) tokens.set(token, [...(tokens.get(token) ?? []), parts]);
  }
  let accepted = 0;
  let failure: { readonly error: unknown } | undefined;
  for (const [token, holders] of tokens) {
    let drop = holders;
    try {
      await revokeAt(client, endpoint, new Secret(token), 'access_token', signal);
      accepted++;
    } catch (error) {
      failure ??= { error: typedFailure(error) ?? error };
      drop = (error as { error?: unknown } | null)?.error === 'invalid_client' && holders.includes(own) ? [own] : [];
    }
    for (const parts of drop) await dropTokens(parts, new Set([token]));
  }
  let left = 0;
  for (const made of earlier) {
    const parts = appPartsOf(made);
    if (parts !== undefined) left += (await heldTokens(parts)).size;
  }
  return { accepted, left, failure };
}
