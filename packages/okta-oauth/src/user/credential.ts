import { OktaAuthError, type AnswerState, type AuthorizationHeaders, type RequestAttempt } from '@org/okta-auth-core';
import { findChallenge, parseWwwAuthenticate } from '@org/okta-auth-core/internal';
import { decodeJwt } from 'jose';
import { boundUserCode, waitFor } from '@org/okta-auth-core/internal';
import { claimsOf, defaultTimeoutMs, renewWindowSeconds, requestTokens, type ClientContext } from './context.js';
import { OktaOAuthError, isOktaOAuthError, configError } from '../errors.js';
import { dpopUserAgentHeader } from '../internal/dpop-header.js';
import { OktaSignInError, isOktaSignInError } from './errors.js';
import type { IdTokenClaims } from './id-token.js';
import { revokeToken, signOut, signOutRedirect, type SignOutOptions } from './revocation.js';
import { UserTokens } from './tokens.js';
import { defaultTokenStorageKey, type GetAccessTokenOptions, type UserCredential, type UserCredentialOptions } from './credential-options.js';
import { nonNegative } from './validate.js';

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
    throw configError('credential: pass the UserTokens from finishSignIn, poll() or UserTokens.fromStorable().');
  }
  if (initial.tokenType === 'DPoP' && ctx.dpop === undefined) {
    throw configError('credential: these tokens are DPoP-bound; create the sign-in client with the same dpop key.');
  }
  if (options.onTokens !== undefined && typeof options.onTokens !== 'function') {
    throw configError('credential: onTokens must be a function.');
  }
  const renewBefore = nonNegative(options.renewBeforeSeconds, 60, 'credential: renewBeforeSeconds');
  /** How long user code (onTokens, storage) may take inside a refresh nobody's signal bounds: the core's default timeoutMs. */
  const userCodeTimeoutMs = ctx.http.timeoutMs ?? defaultTimeoutMs;
  const bounded = <T>(what: string, run: () => T | PromiseLike<T>, signal?: AbortSignal) => boundUserCode(what, run, { signal, timeoutMs: userCodeTimeoutMs });
  const storage = options.storage;
  const storageKey = options.storageKey ?? defaultTokenStorageKey(ctx.clientId);
  let tokens: UserTokens | undefined = initial;
  let claims: IdTokenClaims | undefined = initialClaims ?? decodeClaims(initial);
  /** Tokens a 401 said are no longer accepted. */
  let stale: UserTokens | undefined;
  let refreshing: Promise<UserTokens> | undefined;
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

  /** Writes the tokens to storage and tells onTokens; bounded by the signal and timeoutMs. */
  async function publish(next: UserTokens | null, signal?: AbortSignal): Promise<void> {
    if (storage !== undefined) {
      if (next === null) await bounded('The token storage remove()', () => storage.remove(storageKey), signal);
      else await bounded('The token storage set()', () => storage.set(storageKey, JSON.stringify(next.toStorable())), signal);
    }
    const onTokens = options.onTokens;
    if (onTokens !== undefined) await bounded('onTokens', () => onTokens(next), signal);
  }

  /** Ends the local session at once, then removes the tokens from storage and tells onTokens. */
  async function drop(signal?: AbortSignal): Promise<void> {
    tokens = undefined;
    claims = undefined;
    stale = undefined;
    if (initialWrite !== undefined) {
      // Let the first write land before the removal, so the tokens do not reappear.
      const write = initialWrite;
      initialWrite = undefined;
      await bounded('The token storage set()', () => write, signal).catch(() => undefined);
    }
    await publish(null, signal);
  }

  async function readStored(): Promise<UserTokens | undefined> {
    if (storage === undefined) return undefined;
    // A storage that fails or never answers counts as holding nothing newer.
    const text = await bounded('The token storage get()', () => storage.get(storageKey)).catch(() => undefined);
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
      // Only the same user's tokens: without a subject on both sides (no openid), nothing is
      // picked up, so a store shared by several users under one key never hands one user's
      // tokens to another.
      subjectOf(stored) !== undefined &&
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
      await bounded('The token storage set()', () => write, signal);
    }
    const current = tokens;
    if (current === undefined) throw new OktaSignInError('LOGIN_REQUIRED', 'This credential has no tokens (signed out, or the refresh token was rejected): sign in again.');
    const now = ctx.now();
    const mustRefresh = force || current === stale || current.isExpired(0, now);
    if (!mustRefresh) {
      if (!current.isExpired(renewWindowSeconds(current, renewBefore), now) || current.refreshToken === undefined) return current;
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
      const accessToken = current.accessToken.reveal();
      if (current.tokenType === 'DPoP' && ctx.dpop !== undefined) {
        const proof = await ctx.dpop.proof({ method: attempt.method, url: attempt.url, scope: 'resource', accessToken, nowSeconds: ctx.clock.nowSeconds(), attempt });
        return { authorization: `DPoP ${accessToken}`, dpop: proof, ...dpopUserAgentHeader() };
      }
      return { authorization: `Bearer ${accessToken}` };
    },
    challenge({ attempt, request, response }: AnswerState): Promise<boolean> {
      const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
      // Which token went out is read from the request as sent: no per-request state.
      const authorization = request.headers.get('authorization') ?? '';
      const space = authorization.indexOf(' ');
      const sentType = space > 0 ? authorization.slice(0, space) : undefined;
      const sentToken = space > 0 ? authorization.slice(space + 1) : undefined;
      if (ctx.dpop !== undefined && sentType === 'DPoP') {
        const nonceChallenge = challenges.find((c) => c.params.error === 'use_dpop_nonce');
        if (nonceChallenge !== undefined && ctx.dpop.retryForNonce('resource', response, attempt)) return Promise.resolve(true);
      }
      if (response.status !== 401 || sentType === undefined || tokens === undefined) return Promise.resolve(false);
      const scheme = findChallenge(challenges, sentType);
      // Okta sends `error="invalid_token"` for an expired or revoked access token; older answers carry no header.
      if (scheme?.params.error !== undefined && scheme.params.error !== 'invalid_token') return Promise.resolve(false);
      // Newer tokens than the refused ones are held already: retry with them.
      if (tokens.accessToken.reveal() !== sentToken) return Promise.resolve(true);
      if (tokens.refreshToken === undefined) return Promise.resolve(false);
      stale = tokens;
      return Promise.resolve(true);
    },
    explain({ response: { status }, errorCode }: AnswerState) {
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
      const postLogout = signOutRedirect(ctx, signOutOptions);
      const current = tokens;
      if (current === undefined) return Object.freeze({ revoked: Object.freeze([]), notRevoked: Object.freeze([]), logoutUrl: undefined });
      // The local session ends first, whatever Okta then says (or fails to say).
      let local: { readonly error: unknown } | undefined;
      await drop(signOutOptions.signal).catch((error: unknown) => {
        local = { error };
      });
      const result = await signOut(ctx, current, signOutOptions, postLogout);
      if (local !== undefined) throw local.error;
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
