import type { OrgContext } from '../state/context.js';
import { ReplyError } from '../http/errors.js';
import { groupsClaim } from '../protocol/groups-claim.js';
import { emptyReply, formBody, header, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { authenticate, challenge, type Principal } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';

/**
 * A refusal at `/userinfo`: the status and Okta's `WWW-Authenticate` challenge, no body (RFC 6750 §3; Okta's
 * OpenAPI spec gives the 401 and 403 a header and no content, and a 401 was seen with `Content-Length: 0`).
 */
function refuse(ctx: OrgContext, req: EmuRequest, status: number, scheme: 'Bearer' | 'DPoP', error: string, description: string, scope?: string): Reply {
  return emptyReply(status, { 'WWW-Authenticate': challenge(ctx, req, scheme, { error, description, scope }) });
}

/** The caller's access token, or the refusal (its challenge, without the management API's error body). */
async function principalOf(ctx: OrgContext, req: EmuRequest): Promise<Principal | Reply> {
  try {
    return await authenticate(ctx, req);
  } catch (e) {
    if (!(e instanceof ReplyError) || e.reply.headers['WWW-Authenticate'] === undefined) throw e;
    return emptyReply(e.reply.status, Object.fromEntries(Object.entries(e.reply.headers).filter(([name]) => name !== 'Content-Type')));
  }
}

/** `/oauth2/v1/userinfo`: claims about the token's user, filtered by the granted scopes. */
async function userinfo(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  // Okta's catalogue: access_token_in_query, 400 invalid_request, header or not; access_token_missing, 401 invalid_request.
  if (req.url.searchParams.has('access_token')) {
    return refuse(ctx, req, 400, 'Bearer', 'invalid_request', 'The access token cannot be presented in a query string.');
  }
  // An API token is no access token; a header without a Bearer or DPoP token (none, `Basic …`, `Bearer` alone) holds none [I].
  const scheme = /^(\S+)\s+\S+$/.exec((header(req, 'authorization') ?? '').trim())?.[1]?.toLowerCase();
  if (scheme === 'ssws') return refuse(ctx, req, 401, 'Bearer', 'invalid_token', 'The access token is invalid.');
  if (scheme !== 'bearer' && scheme !== 'dpop') return refuse(ctx, req, 401, 'Bearer', 'invalid_request', 'The access token is missing.');
  // The catalogue's access_token_duplicate. A form body's token alone stays unread [I: Okta's reference asks for the header].
  if (formBody(req)?.has('access_token') === true) {
    return refuse(ctx, req, 400, 'Bearer', 'invalid_request', 'The access token cannot be specified in both the Authorization header and the request-body.');
  }
  const principal = await principalOf(ctx, req);
  if (!('kind' in principal)) return principal;
  if (principal.kind === 'ssws') throw new Error('unreachable: an SSWS credential at /userinfo');
  const { token } = principal;
  const user = token.userId === undefined ? undefined : ctx.store.users.get(token.userId);
  if (user === undefined || !token.scopes.includes('openid')) {
    // The catalogue's access_token_insufficient_scopes, as Okta's support article shows it sent from /userinfo.
    return refuse(ctx, req, 403, principal.scheme, 'insufficient_scope', 'The access token provided does not contain the required scopes.', 'openid');
  }
  const claims: Record<string, unknown> = { sub: user.id };
  if (token.scopes.includes('profile')) {
    Object.assign(claims, {
      name: `${user.profile.firstName} ${user.profile.lastName}`,
      preferred_username: user.profile.login,
      given_name: user.profile.firstName,
      family_name: user.profile.lastName,
      locale: 'en_US',
      zoneinfo: 'America/Los_Angeles',
      updated_at: Math.floor(user.lastUpdated / 1000),
    });
  }
  if (token.scopes.includes('email')) Object.assign(claims, { email: user.profile.email, email_verified: true });
  const app = ctx.store.apps.get(token.clientId);
  if (app !== undefined) Object.assign(claims, groupsClaim(ctx, app, user, token.scopes));
  return jsonReply(200, claims);
}

export function registerUserinfoRoutes(router: Router, ctx: OrgContext): void {
  router.add('GET', '/oauth2/v1/userinfo', (req) => userinfo(ctx, req)).add('POST', '/oauth2/v1/userinfo', (req) => userinfo(ctx, req));
}
