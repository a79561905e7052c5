import {
  OktaAuthError,
  findChallenge,
  parseWwwAuthenticate,
  type AuthorizationHeaders,
  type OktaCredential,
  type RequestAttempt,
  type Secret,
} from '@org/okta-auth-core';
import { decodeJwt } from 'jose';
import { waitFor } from '../internal/abort.js';
import { claimsOf, requestTokens, type ClientContext } from './context.js';
import { OktaOAuthError, isOktaOAuthError } from '../errors.js';
import { dpopUserAgentHeader } from '../internal/dpop-header.js';
import { OktaSignInError, isOktaSignInError } from './errors.js';
import type { IdTokenClaims } from './id-token.js';
import { revokeToken, signOut, type SignOutOptions, type SignOutResult } from './revocation.js';
import type { SignInStorage } from './storage.js';
import { UserTokens } from './tokens.js';
import { nonNegative } from './validate.js';

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
   * tokens are dropped (a rejected refresh token, or sign-out). Awaited; if
   * it throws, the request that caused the refresh fails with that error
   * but the new tokens are kept in memory.
   */
  readonly onTokens?: ((tokens: UserTokens | null) => void | Promise<void>) | undefined;
  /**
   * Keeps the tokens in this storage (written on every change, removed on
   * sign-out), and, in browsers with Web Locks, coordinates refreshes across
   * tabs: one tab refreshes, the others pick the result up from storage
   * (only tokens of the same user, by the ID token's `sub`, are picked up).
   * Nothing is stored unless you pass this. A store shared by several users
   * (a server's Redis) needs a `storageKey` per user.
   */
  readonly storage?: SignInStorage | undefined;
  /** The storage key. @default `okta-oauth:<clientId>:tokens` */
  readonly storageKey?: string | undefined;
  /**
   * Renew the access token this many seconds before it expires, on the
   * first request that needs it (no timers). @default 60
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
 * A signed-in user's credential for Okta's APIs (`kind: 'user'`). Pass it
 * wherever the core takes an `OktaCredential`. It renews the access token
 * with the refresh token when a request finds it expired or about to expire
 * (passive renew-on-read: no timers), one refresh at a time however many
 * requests wait, follows refresh-token rotation, and retries once after a
 * 401 `invalid_token`. A rejected refresh token (`invalid_grant`) drops the
 * tokens and fails with `LOGIN_REQUIRED`.
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
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta/main/
 */
export interface UserCredential extends OktaCredential {
  readonly kind: 'user';
  /** The current tokens; `undefined` after sign-out or `LOGIN_REQUIRED`. */
  readonly tokens: UserTokens | undefined;
  /**
   * The ID token claims: validated at sign-in and on each refresh that
   * returns an ID token; for tokens passed in without them (restored from
   * storage), decoded from the ID token, which was validated when received.
   */
  readonly claims: IdTokenClaims | undefined;
  /** A fresh access token (refreshed if needed), for APIs you call yourself. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<Secret>;
  /** Revokes the tokens at Okta, drops them, and calls `onTokens(null)`. */
  signOut(options?: SignOutOptions): Promise<SignOutResult>;
}

/** Where a credential keeps its tokens unless told otherwise. @internal */
export function defaultTokenStorageKey(clientId: string): string {
  return `okta-oauth:${clientId}:tokens`;
}

/**
 * The claims of tokens' ID token, decoded without validation: for tokens
 * that were validated when received and came back from the user's storage.
 */
function decodeClaims(set: UserTokens): IdTokenClaims | undefined {
  if (set.idToken === undefined) return undefined;
  try {
    return Object.freeze(decodeJwt<IdTokenClaims>(set.idToken.reveal()));
  } catch {
    return undefined;
  }
}

interface Navigator {
  locks?: { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
}

/** @internal */
export function createUserCredential(
  ctx: ClientContext,
  initial: UserTokens,
  initialClaims: IdTokenClaims | undefined,
  options: UserCredentialOptions = {},
  /** False when the tokens were just read from `options.storage`. */
  persistInitial = true,
): UserCredential {
  if (!(initial instanceof UserTokens)) {
    throw new OktaSignInError('INVALID_CONFIG', 'credential: pass the UserTokens from finishSignIn, poll() or UserTokens.fromStorable().');
  }
  if (initial.tokenType === 'DPoP' && ctx.dpop === undefined) {
    throw new OktaSignInError('INVALID_CONFIG', 'credential: these tokens are DPoP-bound; create the sign-in client with the same dpop key.');
  }
  if (options.onTokens !== undefined && typeof options.onTokens !== 'function') {
    throw new OktaSignInError('INVALID_CONFIG', 'credential: onTokens must be a function.');
  }
  const renewBefore = nonNegative(options.renewBeforeSeconds, 60, 'credential: renewBeforeSeconds');
  const storage = options.storage;
  const storageKey = options.storageKey ?? defaultTokenStorageKey(ctx.clientId);
  let tokens: UserTokens | undefined = initial;
  let claims: IdTokenClaims | undefined = initialClaims ?? decodeClaims(initial);
  /** Tokens a 401 said are no longer accepted. */
  let stale: UserTokens | undefined;
  let refreshing: Promise<UserTokens> | undefined;
  const used = new WeakMap<RequestAttempt, UserTokens>();
  /** The first write of the tokens to storage; its failure surfaces on the first request. */
  let initialWrite: Promise<void> | undefined =
    storage !== undefined && persistInitial ? Promise.resolve(storage.set(storageKey, JSON.stringify(initial.toStorable()))) : undefined;
  initialWrite?.catch(() => undefined);

  function subjectOf(set: UserTokens): string | undefined {
    return decodeClaims(set)?.sub;
  }

  function previousClaims(current: UserTokens): IdTokenClaims | undefined {
    return claims ?? decodeClaims(current);
  }

  async function publish(next: UserTokens | null): Promise<void> {
    if (storage !== undefined) {
      if (next === null) await storage.remove(storageKey);
      else await storage.set(storageKey, JSON.stringify(next.toStorable()));
    }
    await options.onTokens?.(next);
  }

  async function drop(): Promise<void> {
    if (initialWrite !== undefined) {
      // Let the first write land before the removal, so the tokens do not reappear.
      await initialWrite.catch(() => undefined);
      initialWrite = undefined;
    }
    tokens = undefined;
    claims = undefined;
    stale = undefined;
    await publish(null);
  }

  async function readStored(): Promise<UserTokens | undefined> {
    if (storage === undefined) return undefined;
    const text = await storage.get(storageKey);
    if (text === null || text === undefined) return undefined;
    try {
      return UserTokens.fromStorable(text);
    } catch {
      return undefined;
    }
  }

  async function refreshNow(current: UserTokens): Promise<UserTokens> {
    // Another tab (or process sharing the storage) may have refreshed already.
    const stored = await readStored();
    if (
      stored !== undefined &&
      tokens === current &&
      stored.accessToken.reveal() !== current.accessToken.reveal() &&
      stored.tokenType === current.tokenType &&
      subjectOf(stored) === subjectOf(current) &&
      !stored.isExpired(renewBefore, ctx.now())
    ) {
      tokens = stored;
      return stored;
    }
    const refreshToken = current.refreshToken;
    if (refreshToken === undefined) {
      throw new OktaSignInError('LOGIN_REQUIRED', 'The access token has expired and there is no refresh token (ask for the offline_access scope): sign in again.');
    }
    let next: UserTokens;
    try {
      next = await requestTokens(
        ctx,
        { grant_type: 'refresh_token', refresh_token: refreshToken.reveal() },
        { previousRefreshToken: refreshToken.reveal() },
      );
    } catch (error) {
      if (isOktaOAuthError(error) && error.code === 'TOKEN_REQUEST_FAILED' && error.error === 'invalid_grant') {
        if (tokens === current) await drop();
        throw new OktaSignInError('LOGIN_REQUIRED', 'Okta rejected the refresh token (expired, revoked, or already used): sign in again.', {
          error: error.error,
          error_description: error.error_description,
          status: error.status,
          requestId: error.requestId,
          cause: error,
        });
      }
      throw error;
    }
    if (next.tokenType !== current.tokenType) {
      throw new OktaOAuthError('INVALID_TOKEN_RESPONSE', `The refreshed access token is ${next.tokenType}, the original was ${current.tokenType}; it was not used.`);
    }
    const metadata = await ctx.discovery.get();
    const nextClaims = await claimsOf(ctx, metadata, next, { previous: previousClaims(current), requireIdToken: false });
    if (tokens === undefined) {
      // Signed out while the refresh was in flight: the new tokens must not outlive the sign-out.
      await Promise.allSettled([
        ...(next.refreshToken === undefined ? [] : [revokeToken(ctx, next.refreshToken, 'refresh_token', undefined)]),
        revokeToken(ctx, next.accessToken, 'access_token', undefined),
      ]);
      throw new OktaSignInError('LOGIN_REQUIRED', 'The user signed out while the tokens were being renewed: sign in again.');
    }
    if (tokens !== current) return tokens;
    tokens = next;
    if (nextClaims !== undefined) claims = nextClaims;
    await publish(next);
    return next;
  }

  /** One refresh at a time per credential, and per browser (Web Locks) when tokens live in shared storage. */
  function refresh(current: UserTokens): Promise<UserTokens> {
    refreshing ??= (async () => {
      try {
        const locks = (globalThis as { navigator?: Navigator }).navigator?.locks;
        if (storage !== undefined && locks !== undefined) {
          return await locks.request(`okta-oauth:${ctx.origin}:${ctx.clientId}:refresh`, () => refreshNow(current));
        }
        return await refreshNow(current);
      } finally {
        refreshing = undefined;
      }
    })();
    return refreshing;
  }

  /** When an early renewal last failed for a passing reason; early renewals pause for a while after. */
  let earlyRenewalFailedAt: number | undefined;
  const earlyRenewalPauseMs = 10_000;

  async function fresh(signal: AbortSignal | undefined, force = false): Promise<UserTokens> {
    if (initialWrite !== undefined) {
      const write = initialWrite;
      initialWrite = undefined;
      await write;
    }
    const current = tokens;
    if (current === undefined) throw new OktaSignInError('LOGIN_REQUIRED', 'This credential has no tokens (signed out, or the refresh token was rejected): sign in again.');
    const now = ctx.now();
    const mustRefresh = force || current === stale || current.isExpired(0, now);
    if (!mustRefresh) {
      if (!current.isExpired(renewBefore, now) || current.refreshToken === undefined) return current;
      // In the renewal window: renew early, unless an early renewal just failed (an outage
      // should not make every request wait for a doomed refresh first).
      if (earlyRenewalFailedAt !== undefined && now - earlyRenewalFailedAt < earlyRenewalPauseMs) return current;
    }
    try {
      const next = await waitFor(refresh(current), signal);
      earlyRenewalFailedAt = undefined;
      return next;
    } catch (error) {
      // Renewing early failed for a passing reason (network, 5xx) but the token still has life: use it.
      const transient = !(isOktaSignInError(error) && error.code === 'LOGIN_REQUIRED') && !(signal?.aborted ?? false);
      if (transient && !mustRefresh && !current.isExpired(0, ctx.now())) {
        earlyRenewalFailedAt = ctx.now();
        return current;
      }
      throw error;
    }
  }

  const credential: UserCredential = {
    kind: 'user',
    origin: ctx.origin,
    get tokens() {
      return tokens;
    },
    get claims() {
      return claims;
    },
    async authorize(attempt: RequestAttempt): Promise<AuthorizationHeaders> {
      if (attempt.url.origin !== ctx.origin) {
        throw new OktaAuthError('ORIGIN_MISMATCH', `Refusing to authorize a request to ${attempt.url.origin}: this user's tokens belong to ${ctx.origin}.`);
      }
      const current = await fresh(attempt.signal);
      used.set(attempt, current);
      const accessToken = current.accessToken.reveal();
      if (current.tokenType === 'DPoP' && ctx.dpop !== undefined) {
        const proof = await ctx.dpop.proof({ method: attempt.method, url: attempt.url, scope: 'resource', accessToken, nowSeconds: ctx.clock.nowSeconds() });
        return { authorization: `DPoP ${accessToken}`, dpop: proof, ...dpopUserAgentHeader() };
      }
      return { authorization: `Bearer ${accessToken}` };
    },
    challenge(response: Response, attempt: RequestAttempt): Promise<boolean> {
      const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
      const sent = used.get(attempt) ?? tokens;
      if (ctx.dpop !== undefined && sent?.tokenType === 'DPoP') {
        const nonceChallenge = challenges.find((c) => c.params.error === 'use_dpop_nonce');
        if (nonceChallenge !== undefined && ctx.dpop.observe('resource', response)) return Promise.resolve(true);
      }
      if (response.status !== 401 || sent === undefined) return Promise.resolve(false);
      const scheme = findChallenge(challenges, sent.tokenType);
      // Okta sends `error="invalid_token"` for an expired or revoked access token; older answers carry no header.
      if (scheme?.params.error !== undefined && scheme.params.error !== 'invalid_token') return Promise.resolve(false);
      if (tokens !== undefined && tokens !== sent) return Promise.resolve(true);
      if (sent.refreshToken === undefined) return Promise.resolve(false);
      stale = sent;
      return Promise.resolve(true);
    },
    explain({ status, errorCode }) {
      if (errorCode === 'insufficient_scope') {
        return `The user's token lacks a scope this API needs (granted: ${tokens?.scopes.join(' ') ?? 'unknown'}): grant it to the app (Okta API Scopes tab), add it to scopes, and sign the user in again.`;
      }
      if (errorCode === 'E0000006' || (status === 403 && errorCode === undefined)) {
        return "The signed-in user's admin role does not allow this action on this resource (user tokens carry the user's own permissions).";
      }
      if (status === 401) return "Okta refused the user's access token even after a refresh: the user may have been deactivated or signed out elsewhere.";
      return undefined;
    },
    async getAccessToken(getOptions: GetAccessTokenOptions = {}) {
      return (await fresh(getOptions.signal, getOptions.forceRefresh === true)).accessToken;
    },
    async signOut(signOutOptions: SignOutOptions = {}) {
      const current = tokens;
      if (current === undefined) return Object.freeze({ revoked: Object.freeze([]), logoutUrl: undefined });
      const result = await signOut(ctx, current, signOutOptions);
      if (tokens === current) await drop();
      return result;
    },
    toJSON() {
      return { kind: 'user', origin: ctx.origin };
    },
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return `UserCredential { origin: '${ctx.origin}' }`;
    },
  } as UserCredential;
  return credential;
}
