import { isOktaAuthError } from '@org/okta-auth-core';
import { answerRequestId, maxErrorBodyBytes, parseErrorBody, printable, readAnswerText, scrubAnswer } from '@org/okta-auth-core/internal';
import { appGrant, oinGrant, type ScopeOwner } from '../credential/app-advice.js';
import { OktaOAuthError } from '../errors.js';
import { tokenLike, userScopes } from '../internal/validate.js';
import { devicePollNote, endpointFailure, failureFields } from './endpoint-failure.js';
import { browserHint, clientCredentialsPageHints, everyPageHint, signInPageHints } from './browser-hint.js';
import { keyHint, oinHint, secretHint } from './client-hint.js';
import { rateLimitedError, readRateLimited, type RateLimited } from './rate-limited.js';

/** What a non-2xx token endpoint answer said; a 429 what it said of its rate limit ({@link RateLimited}). @internal */
export interface TokenErrorBody extends Partial<RateLimited> {
  readonly status: number;
  readonly requestId: string | undefined;
  /** The org the request went to (its endpoint's scheme and host, as sent). */
  readonly origin: string;
  /** RFC 6749 `error`, or Okta's `errorCode` when the body is an Okta API error. */
  readonly error: string | undefined;
  readonly description: string | undefined;
}

/**
 * A text field of an answer's JSON as it may be shown, through core's one cleaner of echoed text
 * (`printable` of `@org/okta-auth-core/internal`): scrubbed first with `scrubText` (so no cut
 * splits a secret), runs of control characters collapsed to one space, trimmed, cut to `max`
 * characters with an ellipsis; `undefined` for anything but a string with printable content.
 */
const shownField = (value: unknown, max: number, scrubText: (text: string) => string): string | undefined =>
  (typeof value === 'string' && printable(scrubText(value), [], max)) || undefined;

/**
 * The RFC 6749 §4.1.2.1 / §5.2 error fields as they may be shown, the one cleaning for every
 * OAuth error (token, revocation, introspection and device endpoints, the sign-in callback's
 * redirect): `error` at most 100 characters, `error_description` 500 (`shownField` above). @internal
 */
export function oauthErrorFields(error: unknown, description: unknown, scrubText: (text: string) => string = (text) => text): { readonly error: string | undefined; readonly description: string | undefined } {
  return { error: shownField(error, 100, scrubText), description: shownField(description, 500, scrubText) };
}

/**
 * The one reader of an OAuth endpoint's error answer (token, revocation, introspection, device
 * authorization): RFC 6749 §5.2 `{error, error_description}`, or an Okta API
 * error (`{errorCode, errorSummary}`, for 429s), or nothing usable (HTML, not JSON, empty), with
 * core's one error-body reader (`parseErrorBody`, the one `OktaApiError` uses) over its bounded reader (64 KiB at most; a stalled body is `TIMEOUT`). Every field is scrubbed
 * of the secrets of the attempt that got the answer and of the given secrets; `origin` is the
 * `endpoint`'s, where the request went (never the answer's `url`).
 * @internal
 */
export async function readOAuthError(response: Response, secrets: readonly string[], endpoint: URL): Promise<TokenErrorBody> {
  // An answer can echo what was sent anywhere, the request id header included.
  const scrubText = (value: string): string => scrubAnswer(response, value, secrets);
  const requestId = answerRequestId(response, secrets);
  let text = '';
  try {
    text = (await readAnswerText(response, maxErrorBodyBytes)).text;
  } catch (error) {
    // A stalled or aborted body is that; a body cut by a closed connection reads as what it is.
    if (isOktaAuthError(error) && error.code !== 'NETWORK_ERROR') throw error;
  }
  // Core's one reader: the OAuth or Okta shape, or what the body was instead, never what it said.
  const body = parseErrorBody(text, response.headers.get('content-type') ?? '');
  const { error, description } = oauthErrorFields(body.errorCode, body.errorSummary, scrubText);
  return {
    status: response.status,
    requestId,
    origin: endpoint.origin,
    error,
    description: description ?? (error === undefined && text.trim() === '' ? 'an empty body' : undefined),
    ...(response.status === 429 && readRateLimited(response)),
  };
}

/**
 * One OAuth error's hint: what the caller can do, by the client's own values in the context.
 *
 * @example
 * ```ts
 * const hint: OAuthHint = (context) => ` Requested: "${context.scope ?? ''}".`;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export type OAuthHint = (context: OAuthErrorContext, description: string | undefined) => string;

/**
 * The hints only some clients can get, given by each client's factory so that a bundle carries
 * only what its client can be told, at every endpoint {@link oauthHint} serves: `invalid_client`
 * for the client authentication methods the app type allows, `invalid_scope`'s advice for a
 * client credentials grant, `invalid_dpop_proof` for a client with DPoP, `unauthorized_client`
 * for a client with device sign-in. A service app (`private_key_jwt` only) carries no client
 * secret hint; a `/sign-in` client no client credentials, DPoP or device hint. A page's refusals (`page`): the grant rule for a client credentials grant, the secret and origin rules for a sign-in client.
 *
 * @example
 * ```ts
 * const context = { clientAuth: { method: 'private_key_jwt', keyId: undefined }, dpop: { mode: 'required' }, scope: 'okta.users.read', hints: serviceAppHints } as const;
 * tokenRequestError({ status: 401, requestId: undefined, origin: 'https://acme.okta.com', error: 'invalid_client', description: undefined }, context);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export interface OAuthHints {
  /** `invalid_client`. */
  readonly client: OAuthHint;
  /** `invalid_scope`, after what was requested; none: grant the scopes or request fewer. */
  readonly scope?: OAuthHint | undefined;
  /** `invalid_dpop_proof`; none: the app requires DPoP (the hint of a client without DPoP). */
  readonly dpop?: OAuthHint | undefined;
  /** `unauthorized_client`; none: check the app's allowed grant types. */
  readonly grant?: OAuthHint | undefined;
  /** An API's `invalid_dpop_proof` challenge to a signed-in user's call (the root client's `signedInProofHint`); none: no advice. */
  readonly proof?: ((response: Response) => string | undefined) | undefined;
  /** A page's token request Okta refused (`browserHint`), by `error`: the refusals this client can meet; none: no such hint. */
  readonly page?: ReadonlyMap<string | undefined, string> | undefined;
  /** What follows a 5xx that is polled on (the root client's {@link devicePollNote}); none: `endpointFailure`'s "sent once, not again". */
  readonly poll?: ((context: OAuthErrorContext) => string | undefined) | undefined;
}

/** `invalid_scope`'s advice: whoever grants an app type's scopes (its `ScopeOwner`'s `grant`, the one wording of it) grants them, or fewer are requested. */
const requestFewer = (grant: ScopeOwner['grant']): string => {
  const text = grant('these scopes');
  return ` ${text.charAt(0).toUpperCase()}${text.slice(1)} or request fewer.`;
};

/** `invalid_scope`'s advice for every grant but client credentials (a sign-in app's scopes are its Okta API Scopes tab's). */
const scopeAdvice = /* @__PURE__ */ requestFewer(appGrant);

/** `invalid_scope` of a client credentials grant, by the app type's `grant`: OIDC scopes are a user's; else who grants the app's scopes. */
const grantScopeHint = (grant: ScopeOwner['grant']): OAuthHint => {
  const advice = requestFewer(grant);
  return ({ scope }) => ((scope ?? '').split(' ').some((one) => userScopes.includes(one)) ? " openid, profile… are a signed-in user's, not a client credentials grant's: request only Okta API scopes." : advice);
};
const serviceScopeHint = /* @__PURE__ */ grantScopeHint(appGrant);
const oinScopeHint = /* @__PURE__ */ grantScopeHint(oinGrant);

/** `invalid_dpop_proof` of a client without DPoP (no DPoP part, or `dpop: 'off'`). */
const dpopOff = ' The app requires DPoP: set dpop to "auto" or "required".';

/** `unauthorized_client` of every grant but device_code. */
const grantAdvice = ' The app may not use this grant type: check its allowed grant types in Okta.';

/**
 * `invalid_dpop_proof` of a client that may have DPoP (service apps, the root entry's sign-in client): by its mode.
 *
 * @example
 * ```ts
 * const rootHints: OAuthHints = { ...signInHints, dpop: signInDpopHint, grant: deviceGrantHint };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 * @internal
 */
export const dpopHint: OAuthHint = ({ dpop }) => (dpop === undefined || dpop.mode === 'off' ? dpopOff : ' If the app does not use DPoP, set dpop to "off"; otherwise check the system clock.');

/**
 * `invalid_dpop_proof` of the root entry's sign-in client: a refresh with DPoP is refused when
 * its proof's key is not the one the refresh token is bound to (Okta: "Invalid DPoP Public Key
 * binding in refresh token"), as after a restart without `dpopKeyPair`; else {@link dpopHint}.
 *
 * @example
 * ```ts
 * const rootHints: OAuthHints = { ...signInHints, dpop: signInDpopHint, grant: deviceGrantHint };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5
 * @internal
 */
export const signInDpopHint: OAuthHint = (context, description) =>
  context.grantType === 'refresh_token' && context.dpop !== undefined && context.dpop.mode !== 'off'
    ? ' A refresh token is bound to the DPoP key it was issued with: give the sign-in client that same dpopKeyPair (one made without it has a new key), or sign in again; otherwise check the system clock.'
    : dpopHint(context, description);

/**
 * `unauthorized_client` of a client with device sign-in (the root entry's sign-in client): the
 * device authorization endpoint and RFC 8628's device_code grant, which one app type takes.
 *
 * @example
 * ```ts
 * const rootHints: OAuthHints = { ...signInHints, dpop: signInDpopHint, grant: deviceGrantHint };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.2
 * @internal
 */
export const deviceGrantHint: OAuthHint = ({ grantType }) =>
  grantType?.endsWith(':device_code') === true ? ' Device sign-in needs a Native app with the Device Authorization grant type (Okta allows no other app type).' : grantAdvice;

/**
 * API service apps: `private_key_jwt` only, the client credentials grant, DPoP.
 *
 * @example
 * ```ts
 * const context = { clientAuth: { method: 'private_key_jwt', keyId: 'k1' }, dpop: { mode: 'auto' }, grantType: 'client_credentials', scope: 'openid', hints: serviceAppHints } as const;
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @internal
 */
export const serviceAppHints: OAuthHints = { client: keyHint, scope: serviceScopeHint, dpop: dpopHint, page: clientCredentialsPageHints };

/**
 * OIN API service integrations: a client secret, the client credentials grant, no DPoP.
 *
 * @example
 * ```ts
 * const context = { clientAuth: { method: 'client_secret_basic', keyId: undefined }, dpop: undefined, grantType: 'client_credentials', scope: 'okta.users.read', hints: oinAppHints } as const;
 * ```
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/
 * @internal
 */
export const oinAppHints: OAuthHints = { client: oinHint, scope: oinScopeHint, page: clientCredentialsPageHints };

/**
 * Sign-in clients: any method, the user's grants (never client credentials), no DPoP nor device
 * sign-in (the root entry's client adds {@link dpopHint}, {@link deviceGrantHint} and {@link devicePollNote}, and the device grant's page refusal).
 *
 * @example
 * ```ts
 * const context = { clientAuth: { method: 'none', keyId: undefined }, dpop: undefined, grantType: 'refresh_token', hints: signInHints } as const;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export const signInHints: OAuthHints = { client: (context, description) => (context.clientAuth.method === 'private_key_jwt' ? keyHint(context, description) : secretHint(context.clientAuth.method)), page: signInPageHints };

/**
 * Every hint, chosen by the context alone: what each client's own hints say for the contexts that
 * client can meet (the reference `oauth-hints-by-client.test.ts` compares them with; no bundle has it).
 *
 * @example
 * ```ts
 * const context = { clientAuth: { method: 'client_secret_post', keyId: undefined }, dpop: undefined, grantType: 'client_credentials', scope: 'openid', hints: everyOAuthHint } as const;
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @internal
 */
export const everyOAuthHint: OAuthHints = {
  client: (context, description) =>
    context.clientAuth.method === 'private_key_jwt' ? keyHint(context, description) : context.grantType === 'client_credentials' ? oinHint(context, description) : secretHint(context.clientAuth.method),
  scope: (context, description) =>
    context.grantType !== 'client_credentials' ? scopeAdvice : (context.clientAuth.method === 'private_key_jwt' ? serviceScopeHint : oinScopeHint)(context, description),
  dpop: signInDpopHint, grant: deviceGrantHint, page: everyPageHint, poll: devicePollNote,
};

/**
 * The one hint builder: what the caller can do about an OAuth `error` of any endpoint (token,
 * revocation, introspection, device authorization), appended to the message, by the client's own
 * hints (`context.hints`, its factory's) or, without them, those every client can get. It quotes
 * only the client's own values (method, key id, scopes), never the answer's text (`description`
 * is only tested for `kid`). @internal
 */
export function oauthHint(error: string | undefined, context: OAuthErrorContext, description: string | undefined): string {
  const browser = browserHint(error, description, context.hints?.page);
  if (browser !== undefined) return browser;
  switch (error) {
    case 'invalid_client':
      return context.hints?.client(context, description) ?? '';
    // consent_required: Okta's no_org_scopes_granted ("You are not allowed any of the requested scopes."), none of them the app's.
    case 'consent_required':
    case 'invalid_scope':
      // A token pasted bare into scopes is a valid scope token, sent as one: described, not quoted.
      return ` Requested: "${(context.scope ?? '').split(' ').map((scope) => tokenLike(scope) ?? scope).join(' ')}".${context.hints?.scope?.(context, description) ?? scopeAdvice}`;
    case 'invalid_dpop_proof':
      return context.hints?.dpop?.(context, description) ?? dpopOff;
    case 'use_dpop_nonce':
      // Not retried: the nonce now known is the one sent (asked again), or none usable came (a proxy may drop the header).
      return ' Okta asked for a DPoP nonce again after one was supplied, or its answer had no usable DPoP-Nonce (a proxy may drop it).';
    case 'unauthorized_client':
      return context.hints?.grant?.(context, description) ?? grantAdvice;
    case 'access_denied':
      return ' A policy (for example a network zone) denied the request.';
    default:
      return '';
  }
}

/**
 * What {@link oauthHint} quotes and decides by, the same for every OAuth endpoint: the client's
 * own values (its client authentication, DPoP part and hints, as the token endpoint's options and
 * the sign-in client's context hold them) and the request's. @internal
 */
export interface OAuthErrorContext {
  /** `secrets`: the values the method sends (a client secret first), read only to tell a secret in quotes. */
  readonly clientAuth: { readonly method: string; readonly keyId: string | undefined; readonly secrets?: (() => readonly string[]) | undefined };
  /** The DPoP part; none: DPoP is off. */
  readonly dpop: { readonly mode: 'required' | 'auto' | 'off' } | undefined;
  /** The request's `grant_type`, or the grant the endpoint starts (device authorization: RFC 8628's device_code). */
  readonly grantType?: string | undefined;
  /** The scopes requested, space-separated; none where none are sent. */
  readonly scope?: string | undefined;
  /** The client's own hints (its factory's {@link OAuthHints}); none: only those every client can get (no `invalid_client` hint). */
  readonly hints?: OAuthHints | undefined;
  /** How far Okta's clock is ahead of the client's (ms; negative: behind), the time its assertions carry, by the refusal's `Date`, however far (core's `orgClockOffsetMs`); none without one. */
  readonly clockGapMs?: number | undefined;
}

/** Turns a token endpoint's failed answer into the typed error, in the words of every OAuth endpoint (`endpointFailure`: a 5xx is not a refusal). @internal */
export function tokenRequestError(body: TokenErrorBody, context: OAuthErrorContext): OktaOAuthError {
  // Every error's fields are `failureFields`; a 429's keeps its rateLimit and wait beside them.
  if (body.status === 429) return rateLimitedError(failureFields(body));
  return new OktaOAuthError('TOKEN_REQUEST_FAILED', endpointFailure('token endpoint', 'the token request', body, oauthHint(body.error, context, body.description), context.hints?.poll?.(context)), failureFields(body));
}
