import type { ClientContext } from './context.js';
import { OktaSignInError } from './errors.js';
import { expectJsonObject, postOAuthForm, type JsonObject } from './http.js';

/** The longest `request_uri` accepted (Okta's are short URNs); it goes into the URL the user is sent to. */
const maxRequestUriLength = 512;
/** The longest `request_uri` lifetime accepted: 10 minutes (RFC 9126 §2.2 suggests "5 to 600 seconds"). */
const maxExpiresInSeconds = 600;

/** What a pushed authorization request gives: the reference to send the user's browser with. @internal */
export interface PushedRequest {
  /** `request_uri`: a URI of printable ASCII, at most 512 characters. */
  readonly requestUri: string;
  /** `expires_in`: a whole number of seconds, 1 to 600. */
  readonly expiresIn: number;
}

/** The part `startSignIn({ pushed: true })` calls (given by `@org/okta-oauth`'s client). @internal */
export type PushAuthorization = (ctx: ClientContext, endpoint: URL, params: Readonly<Record<string, string>>, signal: AbortSignal | undefined) => Promise<PushedRequest>;

/**
 * Checks a PAR answer (RFC 9126 §2.2): a `request_uri` that is a URI (a scheme, then printable
 * ASCII without spaces) of at most 512 characters, and an `expires_in` that is a whole number of
 * seconds from 1 to 600; anything else is `INVALID_RESPONSE`, naming the field and never quoting
 * it (the text is the server's, of any length and any characters).
 */
function checkPushedAnswer(answer: JsonObject): PushedRequest {
  const { request_uri: requestUri, expires_in: expiresIn } = answer;
  const refuse = (what: string) => new OktaSignInError('INVALID_RESPONSE', `Okta's PAR endpoint answered ${what}; the sign-in was not started.`);
  if (typeof requestUri !== 'string' || requestUri.length > maxRequestUriLength || !/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/.test(requestUri)) {
    throw refuse(`no usable request_uri (a URI of printable ASCII without spaces, at most ${maxRequestUriLength} characters)`);
  }
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > maxExpiresInSeconds) {
    throw refuse(`no usable expires_in (a whole number of seconds from 1 to ${maxExpiresInSeconds})`);
  }
  return { requestUri, expiresIn };
}

/**
 * Pushes an authorization request to the org's PAR endpoint (RFC 9126 §2.1) through the sign-in
 * client's one authenticated form POST (`postOAuthForm`: the client's own authentication, a
 * public client's `client_id` alone; redirects and other origins refused; an error answer
 * `OAUTH_ERROR`, a 429 past the retries `RATE_LIMITED`) and checks the answer. @internal
 */
export async function pushAuthorizationRequest(ctx: ClientContext, endpoint: URL, params: Readonly<Record<string, string>>, signal: AbortSignal | undefined): Promise<PushedRequest> {
  const response = await postOAuthForm(ctx, { endpoint, what: 'PAR endpoint', params, clientIdInBody: true, signal });
  return expectJsonObject(response, 'the PAR endpoint', checkPushedAnswer);
}
