import { authenticateClient } from '../protocol/client-auth.js';
import type { OrgContext } from '../state/context.js';
import { answeringOAuthFailures, OAuthFailure } from '../http/errors.js';
import { jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { randomToken } from '../state/ids.js';
import type { Router } from '../http/router.js';
import { checkAuthorizeRequest, type CheckedAuthorizeRequest } from './authorize-request.js';
import { requireForm } from './token.js';

/** How long a `request_uri` is valid: 3600 s, the `expires_in` of Okta's `/par` example (OIDC reference, OAuth OpenAPI `ParResponseExample`). */
export const PAR_LIFETIME_SECONDS = 3600;

/** What client authentication adds to a form: not part of the authorization request (RFC 9126 §2.1). */
const CLIENT_AUTH_PARAMS = new Set(['client_secret', 'client_assertion', 'client_assertion_type']);

/**
 * `POST /oauth2/v1/par` (RFC 9126 §2): the client authenticated as at /token (a public client by its
 * `client_id`), the authorization request checked by /authorize's own checks (its refusals answered
 * as JSON, 400), then kept under a one-time `request_uri` for {@link PAR_LIFETIME_SECONDS}.
 */
async function pushAuthorizationRequest(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const form = requireForm(req);
  const client = await authenticateClient(ctx, req, form, `${ctx.url}/oauth2/v1/par`);
  // RFC 9126 §2.1: the request may not name another request (Okta's catalogue: `pushed_authorization_request_uri_present`).
  if (form.has('request_uri')) throw new OAuthFailure(400, 'invalid_request', "The 'request_uri' parameter must not be present in the request.");
  const params = [...form].filter(([name]) => !CLIENT_AUTH_PARAMS.has(name));
  const request = new URLSearchParams(params);
  request.set('client_id', client.app.clientId);
  const checked = checkAuthorizeRequest(ctx, request);
  if (checked.kind === 'page') throw new OAuthFailure(400, 'invalid_request', checked.description);
  if (checked.kind === 'refused') throw new OAuthFailure(400, checked.error, checked.description);
  const requestUri = `urn:okta:${randomToken(32)}`;
  ctx.store.keep('pushedRequests', requestUri, { clientId: client.app.clientId, params: [...request], expiresAt: ctx.clock.nowSeconds() + PAR_LIFETIME_SECONDS });
  return jsonReply(201, { request_uri: requestUri, expires_in: PAR_LIFETIME_SECONDS }, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/**
 * The parameters an /authorize request with a `request_uri` stands for (RFC 9126 §4), used once
 * (taken even when the request is then refused): unknown, used or expired is the error page with
 * Okta's `invalid_request_uri` words, another client's with `authorize_request_uri_mismatched_client`'s
 * (Okta's OAuth error catalogue); any parameter other than `client_id` and `request_uri` beside it is
 * `invalid_request` at the pushed redirect URI (the pushed parameters alone are read).
 */
export function takePushedRequest(ctx: OrgContext, q: URLSearchParams): URLSearchParams | Exclude<CheckedAuthorizeRequest, { kind: 'ok' }> {
  const requestUri = q.getAll('request_uri');
  const pushed = requestUri.length === 1 ? ctx.store.pushedRequests.get(requestUri[0] ?? '') : undefined;
  if (pushed !== undefined) ctx.store.pushedRequests.delete(requestUri[0] ?? '');
  if (pushed === undefined || pushed.expiresAt <= ctx.clock.nowSeconds()) return { kind: 'page', description: 'The authorize request_uri is invalid.' };
  if (q.getAll('client_id').join() !== pushed.clientId) {
    return { kind: 'page', description: "The 'client_id' parameter does not match the expected value for the provided request_uri." };
  }
  const params = new URLSearchParams(pushed.params);
  const beside = [...new Set(q.keys())].filter((name) => name !== 'client_id' && name !== 'request_uri');
  if (beside.length > 0) {
    const mode = params.get('response_mode');
    return {
      kind: 'refused',
      redirectUri: params.get('redirect_uri') ?? '',
      mode: mode === 'fragment' || mode === 'form_post' ? mode : 'query',
      state: params.get('state') ?? undefined,
      error: 'invalid_request',
      description: `Parameters other than 'client_id' must not be sent beside 'request_uri': ${beside.sort().join(', ')}.`,
    };
  }
  return params;
}

export function registerParRoutes(router: Router, ctx: OrgContext): void {
  router.add('POST', '/oauth2/v1/par', (req) => answeringOAuthFailures(() => pushAuthorizationRequest(ctx, req)));
}
