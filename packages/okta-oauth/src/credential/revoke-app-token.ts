import { Secret, type OktaCredential } from '@org/okta-auth-core';
import { readOptions } from '../errors.js';
import type { TokenCache } from '../token-cache/token-cache.js';
import type { OAuthFormContext } from '../user/http.js';
import { revokeAt, typedFailure } from '../user/revocation.js';

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
  /** Aborts the revocation request (the token is out of this process and the store already). */
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
   * Offboards the credential's token: forgets the access token this process holds and the one the
   * token store holds (a shared store: deleted if it still holds it, each call bounded as every store
   * call is), then revokes each at the org's `/oauth2/v1/revoke` with the credential's client
   * authentication (RFC 7009). Nothing held: nothing is sent, so a second call is free. A later
   * `authorize()` asks Okta for a new token. Rejects, once every token was tried, with the first
   * failure: `OAUTH_ERROR` (Okta refused: `invalid_client` for an integration already uninstalled,
   * whose tokens Okta ended), `RATE_LIMITED`, `TIMEOUT`, `NETWORK_ERROR`, `ABORTED`; never with a token or secret.
   */
  revoke(options?: RevokeOptions): Promise<void>;
}

/**
 * {@link OinAppCredential.revoke}: the tokens of `cache` (this process's and the store's) out of the cache and
 * the store first, then revoked by the sign-in client's one revocation request (`revokeAt`). @internal
 */
export async function revokeAppToken(cache: Promise<TokenCache>, ctx: OAuthFormContext, endpoint: URL, given?: RevokeOptions): Promise<void> {
  const { signal } = readOptions(given, 'revoke(options)');
  const held = await cache;
  const stored = await held.read();
  const tokens = new Set([held.peek()?.accessToken, stored?.accessToken]);
  tokens.delete(undefined);
  // A flight under way keeps nothing, here or in the store; each token leaves the store if it still holds it.
  held.clear();
  let failure: { readonly error: unknown } | undefined;
  for (const token of tokens as Set<string>) {
    await held.drop(token);
    try {
      await revokeAt(ctx, endpoint, new Secret(token), 'access_token', signal);
    } catch (error) {
      failure ??= { error: typedFailure(error) ?? error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
