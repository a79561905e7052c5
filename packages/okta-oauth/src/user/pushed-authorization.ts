import { configError } from '../errors.js';
import type { ClientContext } from './context.js';
import { orgEndpoints, type OrgServerMetadata } from './discovery.js';
import { OktaSignInError } from './errors.js';
import { carriesRequestSecret, expectJsonObject, postOAuthForm, type JsonObject } from './http.js';

/** The longest `request_uri` accepted (Okta's are short URNs); it goes into the URL the user is sent to. */
const maxRequestUriLength = 512;
/**
 * The longest `request_uri` lifetime accepted: one hour, Okta's own (its `/par` example answers
 * `expires_in: 3600`: the OIDC reference and the OAuth OpenAPI's `ParResponseExample`), where
 * RFC 9126 §2.2 suggests "5 to 600 seconds".
 */
const maxExpiresInSeconds = 3600;

/**
 * The part `startSignIn` calls when given `pushed` or when the org requires PAR (given by
 * `@org/okta-oauth`'s client): the authorize URL's query, `client_id` and the `request_uri` to send
 * the user with (RFC 9126 §4). `startSignIn` builds a plain authorize URL itself (`pushed` false or unset where PAR is not required). @internal
 */
export type PushAuthorization = (
  ctx: ClientContext,
  metadata: OrgServerMetadata,
  pushed: unknown,
  params: URLSearchParams,
  signal: AbortSignal | undefined,
) => Promise<URLSearchParams>;

/**
 * Checks a PAR answer (RFC 9126 §2.2): a `request_uri` that is a URI (a scheme, then printable
 * ASCII without spaces) of at most 512 characters, and an `expires_in` that is a whole number of
 * seconds from 1 to 3600; anything else is `INVALID_RESPONSE`, naming the field and never quoting
 * it (the text is the server's, of any length and any characters). So is a `request_uri` that
 * carries a secret of the request (`carriesSecret`: the client's secret or assertion echoed),
 * which the authorize URL would hand to the user's browser, its history and its logs.
 */
function checkPushedAnswer(answer: JsonObject, carriesSecret: (text: string) => boolean): string {
  const { request_uri: requestUri, expires_in: expiresIn } = answer;
  const refuse = (what: string) => new OktaSignInError('INVALID_RESPONSE', `Okta's PAR endpoint answered ${what}; the sign-in was not started.`);
  if (typeof requestUri !== 'string' || requestUri.length > maxRequestUriLength || !/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/.test(requestUri)) {
    throw refuse(`no usable request_uri (a URI of printable ASCII without spaces, at most ${maxRequestUriLength} characters)`);
  }
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > maxExpiresInSeconds) {
    throw refuse(`no usable expires_in (a whole number of seconds from 1 to ${maxExpiresInSeconds})`);
  }
  if (carriesSecret(requestUri)) throw refuse("a request_uri that carries a secret of the request (the client's secret or assertion), which the sign-in URL would show");
  return requestUri;
}

/**
 * Pushes an authorization request to the org's PAR endpoint (RFC 9126 §2.1: the discovery
 * document's `pushed_authorization_request_endpoint`, on the org origin by the one endpoint
 * reader) through the sign-in client's one authenticated form POST (`postOAuthForm`: the
 * client's own authentication, a public client's `client_id` alone; redirects and other origins
 * refused; an error answer `OAUTH_ERROR`, a 429 past the retries `RATE_LIMITED`) and checks the
 * answer. `pushed` unset follows the org's `require_pushed_authorization_requests`; `false` where
 * it is required, or `true` where the org has no PAR endpoint, is `INVALID_CONFIG`. @internal
 */
export async function pushAuthorizationRequest(
  ctx: ClientContext,
  metadata: OrgServerMetadata,
  pushed: unknown,
  params: URLSearchParams,
  signal: AbortSignal | undefined,
): Promise<URLSearchParams> {
  if (pushed !== undefined && pushed !== null && typeof pushed !== 'boolean') throw configError('startSignIn: pushed must be true, false or unset.');
  const required = metadata.raw.require_pushed_authorization_requests === true;
  if (pushed === false && required) {
    throw configError('startSignIn: the org requires pushed authorization requests (require_pushed_authorization_requests in its discovery document): remove pushed: false.');
  }
  if (metadata.raw.pushed_authorization_request_endpoint === undefined) {
    throw configError("startSignIn: pushed is true, but the org's discovery document has no pushed_authorization_request_endpoint: leave pushed unset.");
  }
  const endpoint = orgEndpoints(metadata.raw, ctx.origin)('pushed_authorization_request_endpoint');
  const response = await postOAuthForm(ctx, { endpoint, what: 'PAR endpoint', params: Object.fromEntries(params), clientIdInBody: true, signal });
  // RFC 9126 §4: a pushed request's URL carries the reference alone, with the client_id.
  const requestUri = await expectJsonObject(response, 'the PAR endpoint', (answer) => checkPushedAnswer(answer, (text) => carriesRequestSecret(ctx, response, text)));
  return new URLSearchParams({ client_id: ctx.clientId, request_uri: requestUri });
}
