import { OktaAuthError, type AnswerState, type AuthorizationHeaders, type CredentialKind, type OktaCredential, type RequestAttempt, type WwwAuthenticateChallenge } from '@org/okta-auth-core';
import { parseWwwAuthenticate } from '@org/okta-auth-core/internal';
import type { DpopSession } from '../dpop/dpop-session.js';
import { OktaOAuthError } from '../errors.js';
import { dpopUserAgentHeader } from '../internal/dpop-header.js';
import type { ServerClock } from '../internal/server-clock.js';
import type { TokenCache } from '../token-cache/token-cache.js';

/** Options for {@link createTokenCredential}. @internal */
export interface TokenCredentialOptions {
  readonly kind: CredentialKind;
  readonly origin: string;
  /** The token cache; may still be resolving (its key needs the DPoP key thumbprint). */
  readonly cache: TokenCache | Promise<TokenCache>;
  /** Present unless DPoP is off; used when the cached token is DPoP-bound. */
  readonly dpopSession: DpopSession | undefined;
  readonly clock: ServerClock;
  /** The scopes the credential asks for, for `insufficient_scope` messages. */
  readonly scopes: readonly string[];
}

/** A clock correction larger than this, seen on a refused proof, earns one re-signed retry. */
const clockRetryThresholdMs = 30_000;

function findError(challenges: readonly WwwAuthenticateChallenge[], error: string): WwwAuthenticateChallenge | undefined {
  return challenges.find((challenge) => challenge.params.error === error);
}

/** The access token an attempt carried, read from the request as it was sent (`Bearer …`, `DPoP …`). */
function sentToken(request: Request): string | undefined {
  const authorization = request.headers.get('authorization');
  const space = authorization?.indexOf(' ') ?? -1;
  return authorization === null || space < 0 ? undefined : authorization.slice(space + 1);
}

/**
 * Turns a token cache into an `OktaCredential`: `authorize()` gives `Authorization: Bearer …`,
 * or `Authorization: DPoP …` with a fresh proof (`htm`, decoded `htu`, `ath`, new `jti`, the
 * resource nonce) for every attempt; `challenge()` handles the resource server's answers:
 * - `use_dpop_nonce` (400/401 `WWW-Authenticate: DPoP`): remembers the nonce, retry once;
 * - 401 `invalid_token` (or a 401 with no error): drops that token, retry once with a new one;
 * - `invalid_dpop_proof` whose `Date` shows the local clock is off by > 30 s: re-sign once;
 * - `insufficient_scope`: no retry; `explain()` then tells the core's `OktaApiError` (which names
 *   the missing scope) whether the scope was not requested, not granted, or the role is lacking.
 * Both read which token went out from the request in their {@link AnswerState}, and the advice
 * from that same answer: the credential keeps no per-request state, so concurrent requests
 * never get each other's hints. `authorize()` refuses another origin itself only for callers
 * that use the credential outside core's drivers (which check once per attempt, first).
 * Used by service and OIN apps.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 * @internal
 */
export function createTokenCredential(options: TokenCredentialOptions): OktaCredential {
  const { clock, dpopSession, origin } = options;
  const cachePromise = Promise.resolve(options.cache);
  // The cache once resolved: a warm authorize() does not wait on the promise again.
  let ready: Awaited<typeof cachePromise> | undefined;
  cachePromise.then((cache) => (ready = cache), () => undefined);
  // The scopes Okta granted each of the last few tokens (per token, not per request): for the
  // advice on an insufficient_scope answer to a request that carried an older token.
  const granted = new Map<string, string | undefined>();
  let lastToken: string | undefined;
  const dpopHeaders = dpopUserAgentHeader();

  const credential: OktaCredential = {
    kind: options.kind,
    origin,
    async authorize(attempt: RequestAttempt): Promise<AuthorizationHeaders> {
      // The drivers checked already (core's request policy); this guards callers who use the credential directly.
      if (attempt.url.origin !== origin) {
        throw new OktaAuthError('ORIGIN_MISMATCH', `Refusing to authorize a request to ${attempt.url.origin}: this credential belongs to ${origin}.`);
      }
      const cache = ready ?? (await cachePromise);
      const entry = await cache.get(attempt.signal);
      if (entry.accessToken !== lastToken) {
        // Once per new token, not per request: the hot path pays one comparison.
        lastToken = entry.accessToken;
        granted.delete(entry.accessToken);
        granted.set(entry.accessToken, entry.scope);
        if (granted.size > 8) granted.delete(granted.keys().next().value ?? '');
      }
      if (entry.tokenType === 'Bearer') return { authorization: `Bearer ${entry.accessToken}` };
      if (dpopSession === undefined) {
        throw new OktaOAuthError('INVALID_TOKEN_RESPONSE', 'The cached token is DPoP-bound but this credential has DPoP turned off.');
      }
      const proof = await dpopSession.proof({
        method: attempt.method,
        url: attempt.url,
        scope: 'resource',
        nowSeconds: clock.nowSeconds(),
        accessToken: entry.accessToken,
        attempt,
      });
      return { authorization: `DPoP ${entry.accessToken}`, dpop: proof, ...dpopHeaders };
    },
    async challenge({ attempt, request, response }: AnswerState): Promise<boolean> {
      const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate'));
      if (findError(challenges, 'use_dpop_nonce') !== undefined && (response.status === 400 || response.status === 401)) {
        return dpopSession?.retryForNonce('resource', response, attempt) ?? false;
      }
      // No retry gives a missing scope: explain() says why, from this same answer.
      if (findError(challenges, 'insufficient_scope') !== undefined) return false;
      if (findError(challenges, 'invalid_dpop_proof') !== undefined) {
        // A proof refused for its iat: re-sign once if the answer's Date shows our clock is off.
        return Math.abs(clock.observe(response)) > clockRetryThresholdMs;
      }
      if (response.status !== 401) return false;
      const error = challenges.find((challenge) => challenge.params.error !== undefined)?.params.error;
      if (error !== undefined && error !== 'invalid_token') return false;
      // Drops the token this request carried, never a newer one another request already got.
      const used = sentToken(request);
      if (used !== undefined) await (await cachePromise).drop(used);
      return true;
    },
    explain({ request, response, errorCode }: AnswerState): string | undefined {
      const { status } = response;
      // Okta sends E0000006 in the body and the scope in WWW-Authenticate of this same answer.
      const insufficient = findError(parseWwwAuthenticate(response.headers.get('www-authenticate')), 'insufficient_scope');
      if (insufficient !== undefined && (errorCode === 'insufficient_scope' || status === 403)) {
        const used = sentToken(request);
        return scopeAdvice(insufficient.params.scope, options.scopes, used === undefined ? undefined : granted.get(used));
      }
      if (errorCode === 'invalid_dpop_proof') {
        return 'Okta refused the DPoP proof for this request; check the system clock (proofs carry the current time).';
      }
      if (status === 401 && (errorCode === undefined || errorCode === 'invalid_token' || errorCode === 'E0000011')) {
        return 'Okta refused a freshly obtained access token too: the app may have been deactivated, or its token was revoked again at once.';
      }
      return undefined;
    },
  };
  return Object.freeze(credential);
}

/** What to do about a missing scope, from what was requested and what Okta granted. */
function scopeAdvice(needed: string | undefined, requested: readonly string[], grantedScope: string | undefined): string {
  const neededList = needed?.split(' ').filter(Boolean) ?? [];
  const grantedList = grantedScope?.split(' ').filter(Boolean);
  const grantedText = grantedScope === undefined ? '' : ` The token was granted: ${grantedScope === '' ? 'no scopes' : grantedScope}.`;
  if (neededList.length === 0) return `The access token lacks a scope; Okta did not say which.${grantedText}`;
  if (neededList.every((scope) => grantedList?.includes(scope) === true)) {
    return `The access token has the scope ${needed ?? ''} this needs, so the app's admin role does not allow this action on this resource: assign the app a role that does.`;
  }
  if (neededList.every((scope) => requested.includes(scope))) {
    return `The access token lacks the scope ${needed ?? ''}: it was requested but Okta did not grant it; grant it to the app (Okta API Scopes tab).${grantedText}`;
  }
  return `The access token lacks the scope ${needed ?? ''}: add it to the credential's scopes and grant it to the app (Okta API Scopes tab).${grantedText}`;
}
