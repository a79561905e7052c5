import type { OrgContext } from '../state/context.js';
import { oauthGenericError, ReplyError } from '../http/errors.js';
import { groupsClaim } from '../protocol/groups-claim.js';
import { emptyReply, formBody, header, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { authenticate, challenge, INSUFFICIENT_SCOPE, INVALID_TOKEN, type Principal } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';

/**
 * A refusal at `/userinfo`: the status and Okta's `WWW-Authenticate` challenge, no body (RFC 6750 §3; Okta's
 * OpenAPI spec gives the 401 and 403 a header and no content, and a 401 was seen with `Content-Length: 0`).
 */
function refuse(ctx: OrgContext, req: EmuRequest, status: number, scheme: 'Bearer' | 'DPoP', error: string, description: string, scope?: string): Reply {
  return emptyReply(status, { 'WWW-Authenticate': challenge(ctx, req, scheme, { error, description, scope }) });
}

/** A userinfo path: the org authorization server's, or a custom one's (`/oauth2/{id}/v1/userinfo`). */
const USERINFO_PATH = /^\/oauth2\/(?:[^/]+\/)?v1\/userinfo$/;

/**
 * The answer of a `status` fault of 400, 401 or 403 given no `body` at a userinfo path (FIDELITY FA4): what the route
 * answers itself (RFC 6750 §3's three errors, the challenge alone): 401 an unknown token's `invalid_token`, 403 a token
 * without `openid`, 400 `invalid_request` "Invalid request" (CAT3's generic 400 [I]); in the scheme of the request's
 * `Authorization` (`DPoP …`, else `Bearer`). `undefined` for any other path or status (`faultError`'s, FA1–FA3).
 */
export function userinfoFault(ctx: OrgContext, req: EmuRequest, status: number): Reply | undefined {
  if (!USERINFO_PATH.test(req.rawPath)) return undefined;
  const scheme = /^dpop\s/i.test((header(req, 'authorization') ?? '').trim()) ? 'DPoP' : 'Bearer';
  if (status === 401) return refuse(ctx, req, 401, scheme, 'invalid_token', INVALID_TOKEN);
  if (status === 403) return refuse(ctx, req, 403, scheme, 'insufficient_scope', INSUFFICIENT_SCOPE, 'openid');
  if (status === 400) return refuse(ctx, req, 400, scheme, ...oauthGenericError(400));
  return undefined;
}

/** The caller's access token, or the refusal (its challenge, without the management API's error body). */
async function principalOf(ctx: OrgContext, req: EmuRequest): Promise<Principal | Reply> {
  try {
    return await authenticate(ctx, req, 'openid');
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
  if (scheme === 'ssws') return refuse(ctx, req, 401, 'Bearer', 'invalid_token', INVALID_TOKEN);
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
    return refuse(ctx, req, 403, principal.scheme, 'insufficient_scope', INSUFFICIENT_SCOPE, 'openid');
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
