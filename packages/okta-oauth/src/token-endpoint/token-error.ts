import { isOktaAuthError } from '@org/okta-auth-core';
import { answerRequestId, maxErrorBodyBytes, parseErrorBody, printable, readAnswerText, scrubAnswer } from '@org/okta-auth-core/internal';
import { OktaOAuthError } from '../errors.js';

/** What a non-2xx token endpoint answer said. @internal */
export interface TokenErrorBody {
  readonly status: number;
  readonly requestId: string | undefined;
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
 * of the secrets of the attempt that got the answer and of the given secrets.
 * @internal
 */
export async function readOAuthError(response: Response, secrets: readonly string[]): Promise<TokenErrorBody> {
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
  return { status: response.status, requestId, error, description: description ?? (error === undefined && text.trim() === '' ? 'an empty body' : undefined) };
}

/** OpenID Connect scopes: a user's, never a client credentials grant's. */
const oidcScopes = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'groups'];

/** `invalid_client` for every method but `private_key_jwt`: the method sent, and the other secret method's factory. */
function clientSecretHint(method: string, grantType: string | undefined): string {
  if (method === 'none') return ' Check the client id (and that the app is active). No secret was sent: a Web app needs its clientSecret (or privateKey); a SPA or Native app takes none.';
  const other = method === 'client_secret_basic' ? ' (client_secret_post: clientAuth: clientSecretPost(secret))' : method === 'client_secret_post' ? ' (client_secret_basic: clientSecretBasic(secret))' : '';
  return ` Check the client id and secret${grantType === 'client_credentials' ? ' (an OIN secret is per customer org, and rotates)' : ''}, and that the app's client authentication is ${method}${other}; SPA and Native apps take none.`;
}

/**
 * The one hint builder: what the caller can do about an OAuth `error` of any endpoint (token,
 * revocation, introspection, device authorization), appended to the message. It quotes only the
 * client's own values (method, key id, scopes), never the answer's text (`description` is only
 * tested for `kid`). @internal
 */
export function oauthHint(error: string | undefined, context: OAuthErrorContext, description: string | undefined): string {
  const { clientAuth: { method, keyId }, grantType } = context;
  const scopes = context.scope ?? '';
  switch (error) {
    case 'invalid_client':
      if (method === 'private_key_jwt' && keyId === undefined && /\bkid\b/i.test(description ?? '')) {
        return " The app has more than one key: set keyId (OKTA_CLIENT_KEYID) to the kid of this key's public key in Okta.";
      }
      return method === 'private_key_jwt'
        ? ` Check the client id, that the app's public key${keyId === undefined ? '' : ` with kid "${keyId}"`} is registered and active in Okta, and that the app uses "Public key / Private key" client authentication.`
        : clientSecretHint(method, grantType);
    case 'invalid_scope':
      return ` Requested: "${scopes}".${
        grantType === 'client_credentials' && scopes.split(' ').some((scope) => oidcScopes.includes(scope))
          ? " openid, profile… are a user's sign-in scopes, not a client credentials grant's: request only Okta API scopes."
          : ' Grant these scopes to the app (Okta API Scopes tab) or request fewer.'
      }`;
    case 'invalid_dpop_proof':
      return context.dpop === undefined || context.dpop.mode === 'off'
        ? ' The app requires DPoP: set dpop to "auto" or "required".'
        : ' If the app does not use DPoP, set dpop to "off"; otherwise check the system clock.';
    case 'use_dpop_nonce':
      return ' Okta asked for a new DPoP nonce again right after one was supplied.';
    case 'unauthorized_client':
      // The device authorization endpoint and RFC 8628's device_code grant: one app type takes them.
      return grantType?.endsWith(':device_code') === true
        ? ' Device sign-in needs a Native app with the Device Authorization grant type (Okta allows no other app type).'
        : ' The app may not use this grant type: check its allowed grant types in Okta.';
    case 'access_denied':
      return ' A policy (for example a network zone) denied the request.';
    default:
      return '';
  }
}

/**
 * What {@link oauthHint} quotes and decides by, the same for every OAuth endpoint: the client's
 * own values (its client authentication and DPoP part, as the token endpoint's options and the
 * sign-in client's context hold them) and the request's. @internal
 */
export interface OAuthErrorContext {
  readonly clientAuth: { readonly method: string; readonly keyId: string | undefined };
  /** The DPoP part; none: DPoP is off. */
  readonly dpop: { readonly mode: 'required' | 'auto' | 'off' } | undefined;
  /** The request's `grant_type`, or the grant the endpoint starts (device authorization: RFC 8628's device_code). */
  readonly grantType?: string | undefined;
  /** The scopes requested, space-separated; none where none are sent. */
  readonly scope?: string | undefined;
}

function withoutFinalPeriod(text: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '.' || text[end - 1] === ' ')) end--;
  return text.slice(0, end);
}

/** Turns a token endpoint refusal into the typed error. @internal */
export function tokenRequestError(body: TokenErrorBody, context: OAuthErrorContext): OktaOAuthError {
  const request = body.requestId === undefined ? '' : ` (request ${body.requestId})`;
  // The error reads error, error_description, status and requestId of its details (body's description under RFC 6749's name).
  const details = { ...body, error_description: body.description };
  if (body.status === 429) {
    return new OktaOAuthError('RATE_LIMITED', `Okta's token endpoint is still rate limiting this client after the allowed retries${request}.`, details);
  }
  const what = body.error === undefined ? `${body.status}` : `${body.status} ${body.error}`;
  // Okta's descriptions end with a period most of the time: never write a second one.
  const description = body.description === undefined ? '' : `: ${withoutFinalPeriod(body.description)}`;
  return new OktaOAuthError('TOKEN_REQUEST_FAILED', `Okta's token endpoint refused the token request (${what})${description}.${oauthHint(body.error, context, body.description)}${request}`, details);
}
