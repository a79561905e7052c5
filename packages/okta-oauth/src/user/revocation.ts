import { OktaAuthError, Secret, isOktaAuthError } from '@org/okta-auth-core';
import { emit, isSecret, waitFor } from '@org/okta-auth-core/internal';
import { sentOnceNote } from '../token-endpoint/endpoint-failure.js';
import type { ClientContext } from './context.js';
import type { CredentialSession } from './credential-session.js';
import { OktaSignInError } from './errors.js';
import { expectJsonObject, postOAuthForm, type OAuthFormContext } from './http.js';
import type { UserTokens } from './tokens.js';
import { normalizeRedirectUri } from './validate.js';
import { configError, readOptions } from '../errors.js';

/**
 * Options of {@link SignInClient.signOut}.
 * @example
 * ```ts
 * await client.signOut(tokens, { postLogoutRedirectUri: 'https://app.example.com/', state: 'bye' });
 * ```
 * @see https://developer.okta.com/docs/reference/api/oidc/#logout
 */
export interface SignOutOptions {
  /**
   * Where Okta's end-session endpoint sends the browser back to (registered
   * on the app as a sign-out redirect URI). Defaults to the client's
   * `postLogoutRedirectUri`. Without one, no `logoutUrl` is made.
   */
  readonly postLogoutRedirectUri?: string | URL | undefined;
  /** Echoed back to `postLogoutRedirectUri` as `state`. */
  readonly state?: string | undefined;
  /** Aborts the revocation requests. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A token that {@link SignInClient.signOut} could not revoke at Okta, and why.
 * @example
 * ```ts
 * for (const { token, error } of (await credential.signOut()).notRevoked) {
 *   console.warn(`sign-out: ${token} not revoked at Okta: ${error.code} ${error.message}`);
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1
 */
export interface NotRevoked {
  /** Which token stayed valid at Okta. */
  readonly token: 'refresh_token' | 'access_token';
  /**
   * The typed error: `OAUTH_ERROR` with `error: 'unsupported_token_type'` when the server does
   * not revoke that kind of token (RFC 7009 §2.2.1), or `TIMEOUT`, `NETWORK_ERROR`,
   * `RATE_LIMITED`, `DISCOVERY_FAILED`, `ABORTED`…
   */
  readonly error: Error & {
    /** The error's code (`OAUTH_ERROR`, `TIMEOUT`, …). */
    readonly code: string;
  };
}

/**
 * What {@link SignInClient.signOut} did. Sign-out never throws for what the server did: the
 * local session is ended first, then `revoked` and `notRevoked` say what Okta revoked. (User
 * code's own error, such as a `privateKeyJwt` signer's, is thrown as itself instead.)
 * @example
 * ```ts
 * const { logoutUrl, notRevoked } = await credential.signOut();
 * if (notRevoked.length > 0) console.warn('some tokens stay valid until they expire');
 * if (logoutUrl) location.assign(logoutUrl);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export interface SignOutResult {
  /** Which tokens were revoked at Okta (revoking an already invalid token succeeds too). */
  readonly revoked: readonly ('refresh_token' | 'access_token')[];
  /**
   * Which tokens were not revoked, with the reason. An access token stays usable until it
   * expires when its revocation is refused, unless its refresh token was revoked (Okta revokes
   * a refresh token's access tokens with it).
   */
  readonly notRevoked: readonly NotRevoked[];
  /**
   * Okta's end-session URL (RP-initiated logout) that also ends the user's
   * Okta browser session; send the browser there. `undefined` without an ID
   * token (a credential whose session another tab's sign-out ended holds none: that tab
   * cannot end the Okta session, the signing-out tab's `logoutUrl` does) or a
   * `postLogoutRedirectUri` (or when discovery failed).
   */
  readonly logoutUrl: URL | undefined;
}

/** Revokes one token (RFC 7009 §2.1) at the revocation endpoint discovery names. @internal */
export async function revokeToken(
  ctx: ClientContext,
  token: Secret,
  hint: 'refresh_token' | 'access_token',
  signal: AbortSignal | undefined,
): Promise<void> {
  await revokeAt(ctx, (await ctx.discovery.get(signal)).revocationEndpoint, token, hint, signal);
}

/**
 * The one revocation request (RFC 7009 §2.1): the token at `endpoint`, with the client's authentication
 * (`postOAuthForm`: bounded, typed errors, the token and secrets scrubbed). A sign-in client's (`revokeToken`),
 * an OIN credential's at the org's `/oauth2/v1/revoke` (`withRevoke`). @internal
 */
export async function revokeAt(ctx: OAuthFormContext, endpoint: URL, token: Secret, hint: 'refresh_token' | 'access_token', signal: AbortSignal | undefined): Promise<void> {
  const response = await postOAuthForm(ctx, { endpoint, what: 'revocation endpoint', token, params: { token_type_hint: hint }, signal, after5xx: sentOnceNote });
  await response.body?.cancel();
}

/**
 * A failed revocation as {@link NotRevoked} reports it: the package's typed errors (what Okta
 * answered, or failed to) as themselves, a raw `TimeoutError` as `TIMEOUT`; `undefined` for
 * anything else, user code's own error (a client assertion signer, a `ClientAuth`, a `fetch`),
 * which the sign-out throws as itself after both revocations (an OIN credential's `revoke()` too). @internal
 */
export function typedFailure(error: unknown): NotRevoked['error'] | undefined {
  if (isOktaAuthError(error)) return error;
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return new OktaAuthError('TIMEOUT', "Revoking the token got no complete answer within the request's timeout (timeoutMs).", { cause: error });
  }
  return undefined;
}

/** The redirect URI a sign-out sends the browser back to; checked before anything is sent. @internal */
export function signOutRedirect(ctx: ClientContext, options: SignOutOptions): string | undefined {
  return options.postLogoutRedirectUri === undefined
    ? ctx.postLogoutRedirectUri
    : normalizeRedirectUri(options.postLogoutRedirectUri, 'signOut: postLogoutRedirectUri');
}

/**
 * Revokes the refresh token, then the access token (each is attempted whatever happened to
 * the other), and builds the end-session URL. Never throws for the server's answers: what
 * was not revoked is reported in `notRevoked` (RFC 7009 §2.2.1 lets a server refuse to
 * revoke access tokens with `unsupported_token_type`). User code's error (the client
 * authentication's signer, say) is thrown as itself once both were attempted.
 * @internal
 */
export async function signOutTokens(ctx: ClientContext, tokens: UserTokens, options: SignOutOptions = {}, postLogout = signOutRedirect(ctx, options)): Promise<SignOutResult> {
  const revoked: ('refresh_token' | 'access_token')[] = [];
  const notRevoked: NotRevoked[] = [];
  const pairs: ['refresh_token' | 'access_token', Secret | undefined][] = [
    ['refresh_token', tokens.refreshToken],
    ['access_token', tokens.accessToken],
  ];
  let userCode: { readonly error: unknown } | undefined;
  for (const [hint, token] of pairs) {
    if (token === undefined) continue;
    try {
      await revokeToken(ctx, token, hint, options.signal);
      revoked.push(hint);
    } catch (error) {
      const typed = typedFailure(error);
      if (typed === undefined) userCode ??= { error };
      else notRevoked.push(Object.freeze({ token: hint, error: typed }));
    }
  }
  if (userCode !== undefined) throw userCode.error;
  let logoutUrl: URL | undefined;
  try {
    const metadata = await ctx.discovery.get(options.signal);
    if (metadata.endSessionEndpoint !== undefined && tokens.idToken !== undefined && postLogout !== undefined) {
      logoutUrl = new URL(metadata.endSessionEndpoint);
      logoutUrl.searchParams.set('id_token_hint', tokens.idToken.reveal());
      logoutUrl.searchParams.set('post_logout_redirect_uri', postLogout);
      if (options.state !== undefined) logoutUrl.searchParams.set('state', options.state);
    }
  } catch {
    // Discovery failed: every revocation above failed with that error already.
  }
  return Object.freeze({ revoked: Object.freeze(revoked), notRevoked: Object.freeze(notRevoked), logoutUrl });
}

/**
 * The one report of a revocation of tokens the client obtained and no tab or process keeps (a renewal that came after
 * its session ended: `userFleet`'s, a tab's after another tab's sign-out, a refresh's that outlived a sign-out): one that
 * leaves a token alive is a `revocation` event on the client's logger, naming the tokens Okta did not revoke (`error`),
 * or every token when user code threw (`user-code`); never a token. Never rejects: resolves to user code's error, if any.
 * @internal
 */
export const revokeUnkept = (ctx: ClientContext, tokens: UserTokens): Promise<unknown> =>
  signOutTokens(ctx, tokens).then(
    ({ notRevoked }) => {
      if (notRevoked.length > 0) emit(ctx.http.logger, { type: 'revocation', notRevoked: notRevoked.map(({ token }) => token), outcome: 'error' });
    },
    (error: unknown) => {
      emit(ctx.http.logger, { type: 'revocation', notRevoked: [...(tokens.refreshToken === undefined ? [] : (['refresh_token'] as const)), 'access_token'], outcome: 'user-code' });
      return error;
    },
  );

/**
 * Signs a credential out: its local session ends first (whatever Okta then says, or fails to
 * say), then its tokens are revoked (`signOutTokens`), and so are tokens a refresh in flight
 * brings back afterwards ({@link revokeUnkept}). Throws the error of the credential's
 * `onTokens`/`storage`, else of the revocations' user code, after revoking.
 * @internal
 */
export async function signOutSession(session: CredentialSession, given?: SignOutOptions): Promise<SignOutResult> {
  const { ctx } = session;
  const options = readOptions(given, 'signOut(…, options)');
  const postLogout = signOutRedirect(ctx, options);
  const current = session.current();
  // Signed out already: once that sign-out's removal is done (made again if it failed), so storage holds none of the tokens.
  if (current === undefined) {
    const removed = session.removed(options.signal);
    // Its failure is this caller's, whose signal may have fired already: never an unhandled rejection.
    removed.catch(() => undefined);
    await waitFor(removed, options.signal);
    return Object.freeze({ revoked: Object.freeze([]), notRevoked: Object.freeze([]), logoutUrl: undefined });
  }
  let local: { readonly error: unknown } | undefined;
  await session.end(options.signal, revokeUnkept).catch((error: unknown) => {
    local = { error };
  });
  const result = signOutTokens(ctx, current, options, postLogout);
  if (local === undefined) return result;
  await result.catch(() => undefined);
  throw local.error;
}

/**
 * What Okta says about a token (RFC 7662 §2.2). `active: false` is all an
 * inactive (expired, revoked, unknown) token gets.
 * @example
 * ```ts
 * declare const token: string; // an access or refresh token
 * const { active, exp, uid } = await client.introspect(token);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
 */
export interface IntrospectionResult {
  /** Whether the token is valid now. */
  readonly active: boolean;
  /** Granted scopes, space separated. */
  readonly scope?: string;
  /** The client the token was issued to. */
  readonly client_id?: string;
  /** The user's login. */
  readonly username?: string;
  /** `Bearer` or `DPoP`. */
  readonly token_type?: string;
  /** Expiry (epoch seconds). */
  readonly exp?: number;
  /** Issued at (epoch seconds). */
  readonly iat?: number;
  /** Not before (epoch seconds). */
  readonly nbf?: number;
  /** Subject (the user). */
  readonly sub?: string;
  /** Audience. */
  readonly aud?: string | string[];
  /** Issuer. */
  readonly iss?: string;
  /** Token id. */
  readonly jti?: string;
  /** Okta's user ID. */
  readonly uid?: string;
  readonly [claim: string]: unknown;
}

/**
 * Options of {@link SignInClient.introspect}.
 * @example
 * ```ts
 * declare const refreshToken: string;
 * await client.introspect(refreshToken, { tokenTypeHint: 'refresh_token' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 */
export interface IntrospectOptions {
  /** Which kind of token it is; speeds up Okta's lookup. */
  readonly tokenTypeHint?: 'access_token' | 'refresh_token' | 'id_token' | 'device_secret' | undefined;
  /** Aborts the request. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Introspects a token (RFC 7662 §2.1) by the one form POST (`postOAuthForm`), authenticated as revocation is: a
 * confidential client by its method, a public one by its `client_id` alone (`noClientAuth`), which Okta takes. @internal
 */
export async function introspect(ctx: ClientContext, token: string | Secret, given?: IntrospectOptions): Promise<IntrospectionResult> {
  const options = readOptions(given, 'introspect(token, options)');
  const secret = isSecret(token) ? token : new Secret(token);
  if (typeof secret.reveal() !== 'string' || secret.reveal() === '') throw configError('introspect: the token is empty.');
  const metadata = await ctx.discovery.get(options.signal);
  const params: Record<string, string> = options.tokenTypeHint === undefined ? {} : { token_type_hint: options.tokenTypeHint };
  const response = await postOAuthForm(ctx, { endpoint: metadata.introspectionEndpoint, what: 'introspection endpoint', token: secret, params, signal: options.signal });
  return expectJsonObject(response, 'the introspection endpoint', (body) => {
    if (typeof body.active !== 'boolean') throw new OktaSignInError('INVALID_RESPONSE', "Okta's introspection answer has no boolean active.");
    return Object.freeze({ ...body }) as IntrospectionResult;
  });
}
