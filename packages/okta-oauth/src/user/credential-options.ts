import type { OktaCredential, Secret } from '@org/okta-auth-core';
import type { IdTokenClaims } from './id-token.js';
import type { SignOutOptions, SignOutResult } from './revocation.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { UserTokens } from './tokens.js';

/**
 * Options of {@link SignInClient.credential}.
 * @example
 * ```ts
 * declare const db: { saveTokens(userId: string, tokens: StoredUserTokens): Promise<void>; deleteTokens(userId: string): Promise<void> };
 * declare const userId: string;
 * const credential = client.credential(tokens, {
 *   onTokens: (next) => (next ? db.saveTokens(userId, next.toStorable()) : db.deleteTokens(userId)),
 *   renewBeforeSeconds: 120,
 * });
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export interface UserCredentialOptions {
  /**
   * Called with the new tokens after every refresh (persist them: with
   * rotation the old refresh token stops working), and with `null` when the
   * tokens are dropped (a rejected refresh token, or sign-out). Awaited, at
   * most until the request's signal fires or `timeoutMs` passes (then
   * `TIMEOUT`); if it throws or times out, the request that caused the
   * refresh fails with that error but the new tokens are kept in memory and
   * later requests use them. The same bound applies to `storage`; over a
   * storage with `singleFlight` (the Redis store), a renewal the storage did
   * not store itself is used only once this credential's write of it lands
   * (a failed write is made again by the next request, before any use), and
   * `onTokens` is told of it then, once, by the request whose write landed.
   */
  readonly onTokens?: ((tokens: UserTokens | null) => void | Promise<void>) | undefined;
  /**
   * Keeps the tokens in this storage (written on every change, removed on
   * sign-out), and, in browsers with Web Locks, coordinates refreshes across
   * tabs: one tab refreshes, the others pick the result up from storage
   * (only tokens of the same user, by the ID token's `sub`, are picked up; tokens without an ID token never are).
   * Nothing is stored unless you pass this. A store shared by processes
   * (one that offers `singleFlight`: a server's Redis) needs a `storageKey`
   * per user and session (`INVALID_CONFIG` without one).
   */
  readonly storage?: OktaStorage | undefined;
  /** The storage key. @default `okta-oauth:<clientId>:tokens` */
  readonly storageKey?: string | undefined;
  /**
   * The floor of the renewal margin, in seconds. The access token is renewed on the first
   * request that needs it (no timers) by the package's one renewal rule, the same as for
   * service apps: `max(renewBeforeSeconds, 10% of the token's lifetime)` before it expires,
   * but never earlier than half-way through its lifetime (a one-hour token with the default:
   * after 54 minutes). For tokens restored from storage, whose lifetime is unknown, the
   * margin is `renewBeforeSeconds`. @default 60
   */
  readonly renewBeforeSeconds?: number | undefined;
}

/**
 * Options of {@link UserCredential.getAccessToken}.
 * @example
 * ```ts
 * const token = await credential.getAccessToken({ forceRefresh: true });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export interface GetAccessTokenOptions {
  /** Refresh even if the access token is still fresh. */
  readonly forceRefresh?: boolean | undefined;
  /** Stops this caller's wait (a shared refresh carries on). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A signed-in user's credential for Okta's APIs (`kind: 'user'`), as `client.credential()` of
 * `@org/okta-oauth/sign-in` returns it. Pass it wherever the core takes an `OktaCredential`. It
 * runs on the same token pipeline as service-app credentials: it renews the access token with the
 * refresh token when a request finds it expired or about to expire (passive renew-on-read, no
 * timers, the same renewal margin), one refresh at a time however many requests wait, follows
 * refresh-token rotation, and retries once after a 401 `invalid_token`. A rejected refresh token
 * (a 400 `invalid_grant`; a 5xx or 429 naming it is Okta not answering, the tokens kept) drops the tokens and fails with `LOGIN_REQUIRED`. Sign-out is the function
 * `signOut(client, credential)`, so an app that never signs out does not ship revocation; the
 * credential of `@org/okta-oauth` ({@link UserCredential}) has it as a method too.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import { signOut, type SignInClientBase, type SignInTransaction } from '@org/okta-oauth/sign-in';
 *
 * declare const client: SignInClientBase;
 * declare const transaction: SignInTransaction; // from client.startSignIn()
 * declare const callbackUrl: string; // where Okta redirected
 *
 * const credential = client.credential(await client.finishSignIn(callbackUrl, transaction));
 * const okta = createOktaFetch({ credential });
 * const users = await (await okta('/api/v1/users?limit=20')).json();
 * const { logoutUrl } = await signOut(client, credential);
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export interface UserCredentialBase extends OktaCredential {
  readonly kind: 'user';
  /**
   * The current tokens; `undefined` after sign-out or `LOGIN_REQUIRED`, and while a renewal is held
   * back until this credential's write of it lands (over a storage with `singleFlight`, see `onTokens`).
   */
  readonly tokens: UserTokens | undefined;
  /**
   * The ID token claims (`undefined` when `tokens` is): validated at sign-in and on each refresh that
   * returns an ID token; for tokens passed in without them (restored from
   * storage), decoded from the ID token, which was validated when received.
   */
  readonly claims: IdTokenClaims | undefined;
  /** A fresh access token (refreshed if needed), for APIs you call yourself. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<Secret>;
}

/**
 * A signed-in user's credential as `client.credential()` of `@org/okta-oauth` returns it: a
 * {@link UserCredentialBase} with `signOut()`, which is `signOut(client, credential)`.
 * @example
 * ```ts
 * import { createOktaFetch } from '@org/okta-auth-core';
 * import type { SignInClient, SignInTransaction } from '@org/okta-oauth';
 *
 * declare const client: SignInClient;
 * declare const transaction: SignInTransaction; // from client.startSignIn()
 * declare const callbackUrl: string; // where Okta redirected
 *
 * const credential = client.credential(await client.finishSignIn(callbackUrl, transaction));
 * const okta = createOktaFetch({ credential });
 * const users = await (await okta('/api/v1/users?limit=20')).json();
 * const { logoutUrl } = await credential.signOut();
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
export interface UserCredential extends UserCredentialBase {
  /**
   * Ends the local session first (drops the tokens, removes them from storage, calls
   * `onTokens(null)`), then revokes them at Okta and reports what was and was not revoked.
   * Never throws for Okta's answers; throws your own code's error as itself (after revoking):
   * `onTokens`/`storage`'s, else that of the revocations' client authentication (a KMS signer).
   * The same as `signOut(client, credential, options)`.
   */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;
}
