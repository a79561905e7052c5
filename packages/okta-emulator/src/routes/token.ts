import { authenticateClient } from '../protocol/client-auth.js';
import type { OrgContext } from '../state/context.js';
import { OAuthFailure } from '../http/errors.js';
import {
  authorizationCodeGrant,
  checkGrantAllowed,
  clientCredentialsGrant,
  DEVICE_GRANT,
  deviceCodeGrant,
  refreshTokenGrant,
} from '../protocol/grants.js';
import { formBody, jsonReply, NOT_A_FORM, repeatedNames, type EmuRequest, type Reply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import { originTrusted } from '../http/cors.js';
import { tokenEndpointDpop } from '../protocol/token-dpop.js';
import { logTokenGrant } from '../protocol/log-events.js';
import { browserOrigin, checkBrowserOrigin, checkBrowserRequest } from '../protocol/browser-request.js';

const grantTable = {
  client_credentials: clientCredentialsGrant,
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  [DEVICE_GRANT]: deviceCodeGrant,
} as const;
/** Without a prototype, as every table looked up by a key from outside: a grant_type "constructor" is no grant. */
const GRANTS: typeof grantTable = Object.assign(Object.create(null) as typeof grantTable, grantTable);

function isGrant(g: string): g is keyof typeof GRANTS {
  return g in GRANTS;
}

/**
 * Okta's answer to a parameter sent more than once (catalogue `illegal_duplicated_parameters`), naming
 * them; a name that is empty (`=a&=b`) is not listed, and repeated alone it gets the catalogue's answer
 * without names (`duplicate_oauth_params`) rather than "Duplicated parameters: []".
 */
export function duplicatedParameters(names: string[]): OAuthFailure {
  const named = names.filter((name) => name !== '');
  if (named.length === 0) return new OAuthFailure(400, 'invalid_request', 'The request contained multiple parameters with the same name.');
  return new OAuthFailure(400, 'invalid_request', `Duplicate parameter provided in request. Duplicated parameters: [${named.join(', ')}].`);
}

/**
 * Read the form body of an OAuth endpoint, or fail with `invalid_request`: another content type, a
 * parameter sent twice, or a client secret or assertion in the query string (catalogue
 * `client_credentials_in_query`), which Okta refuses rather than ignores.
 */
export function requireForm(req: EmuRequest): URLSearchParams {
  const form = formBody(req);
  if (form === undefined) throw new OAuthFailure(400, 'invalid_request', NOT_A_FORM);
  const query = req.url.searchParams;
  if (query.has('client_secret') || query.has('client_assertion')) {
    throw new OAuthFailure(400, 'invalid_request', 'Client credentials cannot be supplied via query parameters.');
  }
  const repeated = repeatedNames(form);
  if (repeated.length > 0) throw duplicatedParameters(repeated);
  return form;
}

async function token(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  let grant = 'none';
  try {
    // CAT `not_trusted_origin_browser_request`: a browser's call from an origin the org does not trust (FIDELITY CO2).
    if (!originTrusted(ctx.settings.trustedOrigins, ctx.url, req.rawPath, req.headers.origin)) {
      throw new OAuthFailure(400, 'invalid_request', 'Browser requests to the token endpoint must be made from one of the registered Trusted Origins.');
    }
    const form = requireForm(req);
    grant = form.get('grant_type') ?? 'none';
    const configured = `Configured grant types: [${Object.keys(GRANTS).join(', ')}].`;
    if (grant === 'none') throw new OAuthFailure(400, 'invalid_request', `The token request must specify a 'grant_type'. Valid values: [${Object.keys(GRANTS).join(', ')}]`);
    if (!isGrant(grant)) {
      throw new OAuthFailure(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server. ${configured}`);
    }
    // Okta's browser-request rules (FIDELITY BR1–BR4): the grant and no secret before the client's authentication, the origin after.
    const origin = browserOrigin(ctx, req);
    if (origin !== undefined) checkBrowserRequest(req, form, grant);
    const client = await authenticateClient(ctx, req, form, ctx.tokenEndpoint);
    if (origin !== undefined) checkBrowserOrigin(client.app, origin);
    checkGrantAllowed(client, grant);
    const jkt = await tokenEndpointDpop(ctx, req, client.app, ctx.tokenEndpoint);
    const issued = await GRANTS[grant](ctx, client, form, jkt, req);
    ctx.counters.countToken(grant, 'success');
    logTokenGrant(ctx, req, issued.access, issued.body);
    return jsonReply(200, issued.body, {
      'Cache-Control': 'no-store',
      Pragma: 'no-cache',
      ...(jkt === undefined ? {} : { 'DPoP-Nonce': ctx.nonces.current() }),
    });
  } catch (e) {
    if (!(e instanceof OAuthFailure)) throw e;
    ctx.counters.countToken(grant, e.error);
    return e.toReply();
  }
}

export function registerTokenRoutes(router: Router, ctx: OrgContext): void {
  router.add('POST', '/oauth2/v1/token', (req) => token(ctx, req));
}
