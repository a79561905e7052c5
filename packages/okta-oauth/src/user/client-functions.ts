import { configError, readOptions } from '../errors.js';
import { callStorage, contextOf, otherCopy } from './context.js';
import { createUserCredential, sessionOf } from './credential.js';
import { type UserCredential, type UserCredentialBase, type UserCredentialOptions } from './credential-options.js';
import type { OrgServerMetadata } from './discovery.js';
import { signOutSession, signOutTokens, type SignOutOptions, type SignOutResult } from './revocation.js';
import type { SignInClient, SignInClientBase } from './sign-in-options.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { checkOwnTokens, storedTokens } from './token-entry.js';
import { UserTokens } from './tokens.js';
import { readUserInfo, type UserInfoClaims, type UserInfoOptions } from './userinfo.js';
import { checkStorage, tokenStorageKey } from './validate.js';

/**
 * Signs a user out. Given a credential: ends its local session first (drops the tokens, removes
 * them from its storage, calls its `onTokens(null)`), then revokes its refresh and access tokens
 * at Okta (RFC 7009; the refresh token first, each attempted whatever happened to the other), and
 * any a refresh in flight brings back (never handed to `onTokens` nor left in storage); throws
 * the error of its `onTokens`/`storage` after revoking. Given `UserTokens`: revokes them. Either
 * way it builds Okta's end-session URL (RP-initiated logout) when there is an ID token and a
 * `postLogoutRedirectUri`, and never throws for Okta's answers: `revoked` and `notRevoked` say
 * what happened. User code's own error in a revocation (a `privateKeyJwt` signer, a `ClientAuth`,
 * a `fetch`) is thrown as itself once both revocations were attempted. A function rather than a
 * method, so an app that never calls it does not ship revocation; `client.signOut(…)` and
 * `credential.signOut()` of `@org/okta-oauth` are this.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` when `client` is not a sign-in client, or the second
 * argument is neither `UserTokens` nor a credential this client made, or is tokens whose ID token
 * names another org or client (rejected, nothing sent).
 * @example
 * ```ts
 * import { createSignInClient, signOut, type SignInResult } from '@org/okta-oauth/sign-in';
 *
 * declare const result: SignInResult; // from client.finishSignIn()
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', postLogoutRedirectUri: 'https://app.example.com/', scopes: ['openid'] });
 * const credential = client.credential(result);
 * const { logoutUrl, notRevoked } = await signOut(client, credential, { state: 'bye' });
 * if (notRevoked.length > 0) console.warn('some tokens stay valid until they expire');
 * if (logoutUrl) location.assign(logoutUrl);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009
 * @see https://developer.okta.com/docs/reference/api/oidc/#logout
 */
export async function signOut(client: SignInClientBase, target: UserTokens | UserCredentialBase, given?: SignOutOptions): Promise<SignOutResult> {
  const ctx = contextOf(client, 'signOut');
  const options = readOptions(given, 'signOut(…, options)');
  if (target instanceof UserTokens) {
    // Revoking sends them to this org: never another org's or client's.
    checkOwnTokens(target, ctx, 'signOut');
    return signOutTokens(ctx, target, options);
  }
  const session = sessionOf(target);
  if (session === undefined) throw configError(`signOut: pass the UserTokens to revoke, or the credential client.credential() made${otherCopy}`);
  if (session.ctx !== ctx) throw configError('signOut: this credential belongs to another sign-in client; pass the client that made it.');
  return signOutSession(session, options);
}

/**
 * The credential of a user signed in earlier, from the tokens a credential kept in
 * `options.storage` (after a page reload, say); `undefined` when there are none (or they are
 * unreadable, DPoP-bound and the client has no DPoP key or another one than their stored
 * `dpopJkt` names (the key was lost), Bearer and the client's `dpop` is `'required'`, or their ID
 * token names another org or client) and the user must sign in. Storage is left as it was.
 * `client.restoreCredential(options)` of `@org/okta-oauth` is this; the credential has
 * `signOut()` when the client is `@org/okta-oauth`'s.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` without `{ storage }` or a sign-in client (rejected).
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSessionStorage, createSignInClient, restoreCredential } from '@org/okta-oauth/sign-in';
 *
 * const storage = createSessionStorage();
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid', 'offline_access'], storage });
 * const credential = await restoreCredential(client, { storage });
 * if (credential === undefined) location.assign((await client.startSignIn()).url);
 * else createOktaFetch({ credential });
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export async function restoreCredential(client: SignInClient, options: UserCredentialOptions & { readonly storage: OktaStorage }): Promise<UserCredential | undefined>;
/**
 * The credential of a user signed in earlier, as the overload above, for a client of
 * `@org/okta-oauth/sign-in` (a {@link SignInClientBase}): its credential has no `signOut()`;
 * call `signOut(client, credential)`. `undefined` when no usable tokens are stored.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` without `{ storage }` or a sign-in client (rejected).
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { createSessionStorage, createSignInClient, restoreCredential, signOut } from '@org/okta-oauth/sign-in';
 *
 * const storage = createSessionStorage();
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid', 'offline_access'], storage });
 * const credential = await restoreCredential(client, { storage });
 * if (credential !== undefined) {
 *   const okta = createOktaFetch({ credential });
 *   await signOut(client, credential);
 * }
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export async function restoreCredential(client: SignInClientBase, options: UserCredentialOptions & { readonly storage: OktaStorage }): Promise<UserCredentialBase | undefined>;
export async function restoreCredential(
  client: SignInClientBase,
  options: UserCredentialOptions & { readonly storage: OktaStorage },
): Promise<UserCredentialBase | undefined> {
  const ctx = contextOf(client, 'restoreCredential');
  if (typeof options !== 'object' || (options as unknown) === null || typeof options.storage !== 'object') {
    throw configError('restoreCredential needs { storage }: the storage the credential was given.');
  }
  checkStorage(options.storage, 'restoreCredential: storage');
  const storage = options.storage;
  const key = tokenStorageKey(ctx.clientId, storage, options.storageKey, 'restoreCredential');
  const tokens = storedTokens(await callStorage(ctx, 'get()', () => storage.get(key)), ctx, ctx.http.logger);
  // DPoP-bound tokens without a key or of another key (the key lost; storage kept: another process may hold it), or Bearer ones where
  // DPoP is required (never a silent downgrade): the user signs in again.
  if (tokens === undefined || (tokens.tokenType === 'DPoP' ? ctx.dpop === undefined || (await ctx.dpopBound?.(ctx.dpop, tokens.dpopJkt)) !== undefined : ctx.dpop?.mode === 'required')) {
    return undefined;
  }
  return createUserCredential(ctx, tokens, undefined, options, false);
}

/**
 * The org's discovery document as the client uses it (fetched once per client, then kept; a
 * failure is `DISCOVERY_FAILED` and is not kept). `client.metadata()` of `@org/okta-oauth` is this.
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` when `client` is not a sign-in client (rejected).
 * @example
 * ```ts
 * import { createSignInClient, metadata } from '@org/okta-oauth/sign-in';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'] });
 * const { issuer, endSessionEndpoint } = await metadata(client);
 * ```
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
export async function metadata(client: SignInClientBase, options?: { readonly signal?: AbortSignal | undefined }): Promise<OrgServerMetadata> {
  const ctx = contextOf(client, 'metadata');
  return ctx.discovery.get(readOptions(options, 'metadata(client, options)').signal);
}

/**
 * The signed-in user's claims from Okta's UserInfo endpoint (`userinfo_endpoint` of discovery, on
 * the org origin). Asked with the credential's access token, as any call it authorizes (Bearer, or
 * DPoP with its proof; renewed once after a 401 `invalid_token`); the answer is used only as OIDC
 * Core §5.3.2 allows: a JSON object (a signed `application/jwt` answer is not verified here, so
 * refused) of at most 1 MiB whose `sub` is exactly the ID token's. Needs the `openid` scope (Okta
 * answers UserInfo only for it; the ID token gives the `sub` to compare with); what else it holds
 * follows the granted scopes (`profile`, `email`, `groups`…). Takes a credential, not `UserTokens`:
 * pass `client.credential(tokens)`, so a renewal lands in the credential (its storage, `onTokens`).
 *
 * @throws {OktaOAuthError} `INVALID_CONFIG` when `client` is not a sign-in client, the second
 * argument is not a credential this client made, or its tokens have no ID token (ask for `openid`);
 * nothing is sent.
 * @throws {OktaSignInError} `INVALID_RESPONSE` when the answer is not JSON (`application/jwt`
 * included), not an object, over 1 MiB, without a `sub` string, or about another user (another
 * `sub`: the claims are not returned, nor named in the message); `DISCOVERY_FAILED` when
 * `userinfo_endpoint` is not on the org origin.
 * @throws {OktaApiError} (core) for a non-2xx answer: a 401 after the renewal, a 403
 * `insufficient_scope`, with the `WWW-Authenticate` challenge read and what to fix.
 * @example
 * ```ts
 * import { createSignInClient, userInfo } from '@org/okta-oauth/sign-in';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid', 'profile', 'email'] });
 * const credential = client.credential(await client.finishSignIn(location.href));
 * const { sub, name, email } = await userInfo(client, credential);
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 * @see https://developer.okta.com/docs/reference/api/oidc/#userinfo
 */
export async function userInfo(client: SignInClientBase, credential: UserCredentialBase, options?: UserInfoOptions): Promise<UserInfoClaims> {
  const ctx = contextOf(client, 'userInfo');
  const { signal } = readOptions(options, 'userInfo(…, options)');
  const session = sessionOf(credential);
  if (session === undefined) throw configError('userInfo: pass the credential client.credential(tokens) made (not the tokens: a renewal must reach the credential).');
  if (session.ctx !== ctx) throw configError('userInfo: this credential belongs to another sign-in client; pass the client that made it.');
  return readUserInfo(ctx, credential, session, signal);
}
