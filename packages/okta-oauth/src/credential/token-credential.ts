import { type AnswerState, type AuthorizationHeaders, type CredentialKind, type OktaCredential, type OktaTransportOptions, type RequestAttempt } from '@org/okta-auth-core';
import { assertAttempt, parseWwwAuthenticate } from '@org/okta-auth-core/internal';
import type { DpopSession } from '../dpop/dpop-session.js';
import { configError, OktaOAuthError } from '../errors.js';
import type { Clock } from '../internal/clock.js';
import type { CachedToken } from '../token-cache/token-cache.js';

/** Options for {@link createTokenCredential}. @internal */
export interface TokenCredentialOptions extends Pick<OktaTransportOptions, 'maxInFlight' | 'retry' | 'timeoutMs' | 'logger'> {
  readonly kind: CredentialKind;
  readonly origin: string;
  /** The token cache; may still be resolving (its key needs the DPoP key thumbprint). */
  readonly cache: TokenSource | Promise<TokenSource>;
  /** The DPoP part, unless DPoP is off: signs for a DPoP-bound cached token, keeps the resource nonce. */
  readonly dpop: DpopSession | undefined;
  /** A `ServerClock` where something signs with the time, or `localClock` (no correction, no skew retry). */
  readonly clock: Clock;
  /**
   * The advice for a refused request, in the words of this kind of credential (an app's or a
   * user's): gets the answer and the scopes granted to the token that request carried.
   */
  readonly advice: TokenAdvice;
}

/** The transport options a credential carries for its clients (core's `normalizeTransport` reads them): the one list, of every okta-oauth credential. @internal */
export const carriedTransport = ({ maxInFlight, retry, timeoutMs, logger }: OktaTransportOptions): Pick<OktaCredential, 'maxInFlight' | 'retry' | 'timeoutMs' | 'logger'> => ({ maxInFlight, retry, timeoutMs, logger });

/** What a refused request means, from its answer and the scopes granted to the token it carried. @internal */
export type TokenAdvice = (state: AnswerState, granted: string | undefined) => string | undefined;

/**
 * The credential {@link createTokenCredential} makes: its `explain` takes, for one call, the advice
 * in place of the credential's (`userInfo`'s for its own answer), with the same granted scopes. @internal
 */
export interface TokenCredential extends OktaCredential {
  readonly explain: (state: AnswerState, advice?: TokenAdvice) => string | undefined;
}

/** What the credential uses of a `TokenCache` (any entry type: service or user tokens). @internal */
export interface TokenSource {
  get(signal?: AbortSignal, attempt?: RequestAttempt): Promise<CachedToken>;
  drop(accessToken: string, signal?: AbortSignal): Promise<void>;
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
 * - `invalid_dpop_proof` whose `Date` shows the local clock is off by > 30 s: re-sign once (any
 *   refusal's `Date` moves the clock, so whatever retry core grants is signed on Okta's time);
 * - `insufficient_scope`: no retry; `explain()` then tells the core's `OktaApiError` (which names
 *   the missing scope), in the words of the credential's kind (`advice`), what to do about it.
 * Both read which token went out from the request in their {@link AnswerState}, and the advice
 * from that same answer: the credential keeps no per-request state, so concurrent requests
 * never get each other's hints. `authorize()` refuses another origin itself only for callers
 * that use the credential outside core's drivers (which check once per attempt, first).
 * Used by service and OIN apps (`client-credentials.ts`) and signed-in users (`user/credential.ts`).
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7
 * @internal
 */
export function createTokenCredential(options: TokenCredentialOptions): TokenCredential {
  const { clock, dpop, origin } = options;
  const cachePromise = Promise.resolve(options.cache);
  // The cache once resolved: a warm authorize() does not wait on the promise again.
  let ready: Awaited<typeof cachePromise> | undefined;
  cachePromise.then((cache) => (ready = cache), () => undefined);
  // The scopes Okta granted each of the last few tokens (per token, not per request): for the
  // advice on an insufficient_scope answer to a request that carried an older token.
  const granted = new Map<string, string | undefined>();
  let lastToken: string | undefined;

  const credential: TokenCredential = {
    kind: options.kind,
    origin,
    ...carriedTransport(options),
    async authorize(attempt: RequestAttempt): Promise<AuthorizationHeaders> {
      // The drivers checked already (core's request policy); this guards callers who use the credential
      // directly, with core's one check: what is no attempt is INVALID_CONFIG, the other origin (a next
      // link's, the server's choice) is never quoted.
      assertAttempt(attempt, origin, configError);
      const cache = ready ?? (await cachePromise);
      const entry = await cache.get(attempt.signal, attempt);
      if (entry.accessToken !== lastToken) {
        // Once per new token, not per request: the hot path pays one comparison.
        lastToken = entry.accessToken;
        granted.delete(entry.accessToken);
        granted.set(entry.accessToken, entry.scope);
        if (granted.size > 8) granted.delete(granted.keys().next().value ?? '');
      }
      if (entry.tokenType === 'Bearer') return { authorization: `Bearer ${entry.accessToken}` };
      if (dpop === undefined) {
        throw new OktaOAuthError('INVALID_TOKEN_RESPONSE', 'The cached token is DPoP-bound but this credential has DPoP turned off.');
      }
      return dpop.authorize(attempt, entry.accessToken, clock.nowSeconds());
    },
    async challenge({ attempt, request, response }: AnswerState): Promise<boolean> {
      // The error of each challenge, in order: one reading of the header for every rule below.
      const errors = parseWwwAuthenticate(response.headers.get('www-authenticate')).map((challenge) => challenge.params.error);
      // Every refusal's Date moves the clock (its one reading, `ServerClock`): a retry for a token another process renewed
      // (no token answer of ours brought Okta's time) signs its proof on Okta's time, as does a nonce's.
      const skewed = clock.skewed(response);
      if (errors.includes('use_dpop_nonce') && (response.status === 400 || response.status === 401)) {
        return dpop?.retryForNonce('resource', response, attempt) ?? false;
      }
      // No retry gives a missing scope: explain() says why, from this same answer.
      if (errors.includes('insufficient_scope')) return false;
      if (errors.includes('invalid_dpop_proof')) {
        // A proof refused for its iat: re-sign once if the answer's Date shows our clock is off.
        return skewed;
      }
      if (response.status !== 401) return false;
      const error = errors.find((value) => value !== undefined);
      if (error !== undefined && error !== 'invalid_token') return false;
      // Drops the token this request carried, never a newer one another request already got.
      const used = sentToken(request);
      if (used !== undefined) await (await cachePromise).drop(used);
      return true;
    },
    explain(state: AnswerState, advice = options.advice): string | undefined {
      const used = sentToken(state.request);
      return advice(state, used === undefined ? undefined : granted.get(used));
    },
  };
  return Object.freeze(credential);
}
