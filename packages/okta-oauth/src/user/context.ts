import type { PushAuthorization } from './pushed-authorization.js';
import type { SignInResult } from './callback.js';
import type { CallbackFlights } from './callback-flights.js';
import type { ClientAuthentication } from '../client-auth/client-auth.js';
import type { DpopSession } from '../dpop/dpop-session.js';
import { OktaOAuthError, configError } from '../errors.js';
import { boundUserCode, settleWithin, type AttemptDeadline } from '@org/okta-auth-core/internal';
import type { Clock } from '../internal/clock.js';
import { readAnswer } from '../internal/read-answer.js';
import { dateOffsetMs } from '../internal/server-clock.js';
import { requestToken, type GrantAnswer } from '../token-endpoint/token-endpoint.js';
import type { OAuthHints } from '../token-endpoint/token-error.js';
import type { CredentialSession } from './credential-session.js';
import type { DiscoveryCache, OrgServerMetadata } from './discovery.js';
import { carriesRequestSecret, type HttpOptions } from './http.js';
import type { IdTokenClaims, IdTokenVerifier } from './id-token.js';
import { validateIdToken } from './id-token.js';
import type { JsonWebKeySetJson } from './jwks.js';
import type { SignOutOptions, SignOutResult } from './revocation.js';
import type { OktaStorage } from '../token-cache/storage.js';
import type { userFleet } from './user-fleet.js';
import type { revokeReplaced } from './token-entry.js';
import { UserTokens } from './tokens.js';

/** Everything the flows of one sign-in client share. @internal */
export interface ClientContext {
  readonly origin: string;
  readonly clientId: string;
  readonly http: HttpOptions;
  readonly discovery: DiscoveryCache;
  /** Fetches the org's key set (for the ID token verifier, which keeps it). */
  readonly fetchKeys: () => Promise<JsonWebKeySetJson>;
  /** The ID token signature check; none: TLS stands for it (`@org/okta-oauth/sign-in`'s default). */
  readonly idTokenVerifier: IdTokenVerifier | undefined;
  readonly clientAuth: ClientAuthentication;
  readonly redirectUri: string | undefined;
  readonly postLogoutRedirectUri: string | undefined;
  readonly scope: string;
  readonly clockSkewSeconds: number;
  readonly transactionMaxAgeSeconds: number;
  readonly storage: OktaStorage;
  /**
   * No `storage` was given and this client has started no sign-in (`startSignIn` clears it): a
   * transaction its callback names was in another client's memory (a page load ago).
   */
  noStorage: boolean;
  /** The DPoP part (the root entry's, when DPoP is on). */
  readonly dpop: DpopSession | undefined;
  /** The refusal of tokens bound to another DPoP key than `dpop`'s, or none (`dpopBound`, the root entry's part); none: no DPoP, no check. */
  readonly dpopBound?: ((dpop: DpopSession, jkt: string | undefined) => Promise<Error | undefined>) | undefined;
  /** The client's hints for every OAuth endpoint's refusals (`signInHints`; the root entry's client adds DPoP and device sign-in's). */
  readonly hints: OAuthHints;
  /** Local time, for lifetimes (and the ID token checks when the token answer has no usable `Date`); token expiries are on `clock.orgTime` of it. */
  readonly now: () => number;
  /** For client assertions, DPoP proofs and token expiries: local time corrected by Okta's `Date` (a `ServerClock`), or the local clock for a `/sign-in` client with neither. */
  readonly clock: Clock;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Callbacks being finished and transactions used, by state. */
  readonly callbacks: CallbackFlights<SignInResult>;
  /** `credential.signOut()`, given by `@org/okta-oauth` (`signOutSession`); none: the credential has no such method. */
  readonly signOut?: ((session: CredentialSession, options?: SignOutOptions) => Promise<SignOutResult>) | undefined;
  /** Revokes a renewal another tab's sign-out left (`revokeUnkept`: never rejects, resolves to user code's error), given by `@org/okta-oauth`; none: it is only dropped. */
  readonly revokeUnkept?: ((ctx: ClientContext, tokens: UserTokens) => Promise<unknown>) | undefined;
  /** How a credential's first write replaces what its key holds (`revokeReplaced`: another user's tokens revoked), given by `@org/okta-oauth`; none: overwritten. */
  readonly revokeReplaced?: typeof revokeReplaced | undefined;
  /** `startSignIn({ pushed: true })`: the pushed authorization request (`pushAuthorizationRequest`, RFC 9126) of `@org/okta-oauth`; in `/sign-in`, `INVALID_CONFIG`. */
  readonly pushAuthorization: PushAuthorization;
  /** One renewal per user across processes over a storage with `singleFlight` (`userFleet`), given by `@org/okta-oauth`; none: each process renews its own. */
  readonly userFleet?: typeof userFleet | undefined;
}

/**
 * What each refusal of a client, credential or tokens that is not this package's own making adds: a copy of the
 * package has its own records, so one of another copy's making (two installs, a bundler's two chunks) is refused too. @internal
 */
export const otherCopy = ', or it was made by another copy of @org/okta-oauth (two installs): use one.';

/** The context of every client `buildSignInClient` made, for the functions that take the client. */
const contexts = new WeakMap<object, ClientContext>();

/** Ties a client object to its context. @internal */
export function registerContext(client: object, ctx: ClientContext): void {
  contexts.set(client, ctx);
}

/**
 * The context of a client made by `createSignInClient`, or `INVALID_CONFIG` naming the function
 * it was passed to. @internal
 */
export function contextOf(client: unknown, what: string): ClientContext {
  const ctx = typeof client === 'object' && client !== null ? contexts.get(client) : undefined;
  if (ctx === undefined) throw configError(`${what}: pass the client createSignInClient returned${otherCopy}`);
  return ctx;
}

/**
 * Calls the client's `storage` (user code) at most until the signal fires or the transport's
 * `timeoutMs` passes (then `TIMEOUT`). Its error reaches the caller as itself, but a full Web
 * Storage's (`QuotaExceededError`), which is `INVALID_CONFIG` saying what to do, with it as `cause`. @internal
 */
export async function callStorage<T>(ctx: ClientContext, what: string, run: () => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await boundUserCode(`The sign-in storage ${what}`, run, { signal, timeoutMs: ctx.http.timeoutMs ?? defaultTimeoutMs });
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name !== 'QuotaExceededError') throw error;
    throw new OktaOAuthError(
      'INVALID_CONFIG',
      'The sign-in storage is full (QuotaExceededError): free space in it, or pass another storage.',
      { cause: error },
    );
  }
}

/** The core's default `timeoutMs`, for user code no request bounds. @internal */
export const defaultTimeoutMs = 30_000;

/**
 * POSTs one grant to the token endpoint through the package's token-endpoint
 * module (client authentication per attempt, DPoP proof and one
 * `use_dpop_nonce` retry, clock-skew retry, typed `TOKEN_REQUEST_FAILED`
 * errors) and returns {@link UserTokens}. A missing `refresh_token` keeps
 * `previousRefreshToken` (Okta's `STATIC` rotation may omit it). @internal
 */
export async function requestTokens(
  ctx: ClientContext,
  grant: Readonly<Record<string, string>>,
  options: {
    readonly signal?: AbortSignal | undefined;
    readonly previousRefreshToken?: string | undefined;
    /** What the grant makes of a refused request (`requestToken`'s `refine`): the error thrown and logged. */
    readonly refine?: ((refused: OktaOAuthError) => unknown) | undefined;
    /** The grant's answers about the user among its refusals (`requestToken`'s `answer`: a device poll's). */
    readonly answer?: GrantAnswer | undefined;
    /** The bound of the API call's attempt a refresh is made for (`requestToken`'s `within`). */
    readonly within?: AttemptDeadline | undefined;
    /** The fetch of the API call's attempt a refresh is made for (`requestToken`'s `fetch`: the sign-in client's own wins). */
    readonly fetch?: typeof globalThis.fetch | undefined;
  } = {},
): Promise<UserTokens> {
  const metadata = await ctx.discovery.get(options.signal);
  // The lifetime runs from when the request left, as for service tokens: never later than Okta's own expiry; on Okta's clock
  // (`clock.orgTime`, after the answer's Date set it), where every credential of a fleet judges it.
  const startedAt = ctx.now();
  // The context holds the endpoint options' origin, clientAuth, dpop and clock under their names.
  const response = await requestToken({ ...ctx, tokenEndpoint: metadata.tokenEndpoint, transport: ctx.http, within: options.within, fetch: options.fetch }, grant, options.signal, options.refine, options.answer);
  const tokens = new UserTokens({
    accessToken: response.accessToken.reveal(),
    tokenType: response.tokenType,
    expiresAt: ctx.clock.orgTime(startedAt) + response.expiresIn * 1000,
    refreshToken: response.refreshToken?.reveal() ?? options.previousRefreshToken,
    idToken: response.idToken?.reveal(),
    scope: response.scope,
    // The key the proof was signed with (RFC 9449 §5: Okta binds DPoP tokens to it), by its thumbprint: a client with another refuses them.
    dpopJkt: response.tokenType === 'DPoP' ? (await ctx.dpop?.key())?.thumbprint : undefined,
  });
  lifetimes.set(tokens, response.expiresIn * 1000);
  answers.set(tokens, response.answer);
  return tokens;
}

/** The lifetime Okta gave tokens this client obtained (unknown for tokens restored from storage). */
const lifetimes = new WeakMap<UserTokens, number>();
/** The answer tokens this client obtained came in, until {@link claimsOf} checked their ID token. */
const answers = new WeakMap<UserTokens, Response>();

/** The lifetime (`expires_in`) of tokens this client obtained; `undefined` for tokens restored from storage. @internal */
export function tokenLifetimeMs(tokens: UserTokens): number | undefined {
  return lifetimes.get(tokens);
}

/**
 * Validates the ID token of a token answer when there is one; when `openid`
 * was granted there must be one. Claims carrying a secret of the token request
 * (`carriesRequestSecret`) are refused. A refusal ends the answer's log with its code. @internal
 */
export async function claimsOf(
  ctx: ClientContext,
  metadata: OrgServerMetadata,
  tokens: UserTokens,
  expect: { nonce?: string | undefined; maxAgeSeconds?: number | undefined; acrValues?: string | undefined; previous?: IdTokenClaims | undefined; requireIdToken: boolean; signal?: AbortSignal | undefined },
  /** A refresh's: the access token's type must stay the one the refreshed tokens had. */
  tokenType?: UserTokens['tokenType'],
): Promise<IdTokenClaims | undefined> {
  const answer = answers.get(tokens);
  // Checked once: the answer is not kept for the tokens' life.
  answers.delete(tokens);
  // The claims' times are the org's: checked on its clock when that answer carried it (its `Date`,
  // believed up to a day off), so a device whose clock is off still signs in; else the local clock.
  const offset = (answer && dateOffsetMs(answer, ctx.now())) ?? 0;
  const check = async (): Promise<IdTokenClaims | undefined> => {
    if (tokenType !== undefined && tokens.tokenType !== tokenType) {
      throw new OktaOAuthError('INVALID_TOKEN_RESPONSE', `The refreshed access token is ${tokens.tokenType}, the original was ${tokenType}; it was not used.`);
    }
    if (tokens.idToken === undefined) {
      if (expect.requireIdToken) {
        throw new OktaOAuthError('INVALID_TOKEN_RESPONSE', "Okta's token endpoint answered without an id_token although the openid scope was requested; nothing was kept.");
      }
      return undefined;
    }
    // The client's own fields (clientId, fetchKeys, idTokenVerifier, clockSkewSeconds) and this token's expectations.
    // A verifier may fetch discovery and the key set, each bounded by timeoutMs: twice that, so their own typed errors decide first.
    const now = () => ctx.now() + offset;
    // Its claims read in the answer's own secrets' light (`carriesRequestSecret`: the request's and the client's).
    const carriesSecret = answer && ((text: string) => carriesRequestSecret(ctx, answer, text));
    return validateIdToken(tokens.idToken.reveal(), { ...ctx, ...expect, metadata, now, carriesSecret, verifierTimeoutMs: 2 * (ctx.http.timeoutMs ?? defaultTimeoutMs) });
  };
  // Refusing what a 200 brought ends that answer's attempt log with the caller's code: `readAnswer`, the one way.
  return answer === undefined ? check() : readAnswer(answer, check);
}

/**
 * {@link claimsOf} for a sign-in's tokens (the code exchange, the device grant): refused, they reach nobody, so they are revoked as
 * a renewal nobody keeps (`ctx.revokeUnkept`; none in `@org/okta-oauth/sign-in`), awaited at most `timeoutMs` (not once the caller's
 * signal fired), before the refusal reaches the caller as itself. @internal
 * @example
 * ```ts
 * declare const [ctx, metadata, tokens]: [ClientContext, OrgServerMetadata, UserTokens];
 * const claims = await signInClaims(ctx, metadata, tokens, { nonce: 'n-0S6_WzA2Mj', requireIdToken: true });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function signInClaims(ctx: ClientContext, metadata: OrgServerMetadata, tokens: UserTokens, expect: Parameters<typeof claimsOf>[3]): Promise<IdTokenClaims | undefined> {
  try {
    return await claimsOf(ctx, metadata, tokens, expect);
  } catch (error) {
    const revoking = ctx.revokeUnkept?.(ctx, tokens);
    if (expect.signal?.aborted !== true) await settleWithin(() => revoking, { timeoutMs: ctx.http.timeoutMs ?? defaultTimeoutMs });
    throw error;
  }
}

/** Throws the refusal of tokens bound to another DPoP key than the client's (`dpopBound`: their stored `dpopJkt`); none without DPoP. */
export async function keyBound(ctx: ClientContext, jkt: string | undefined): Promise<void> {
  const refusal = ctx.dpop && (await ctx.dpopBound?.(ctx.dpop, jkt));
  if (refusal !== undefined) throw refusal;
}
