import type { OrgContext } from '../state/context.js';
import { ReplyError } from '../http/errors.js';
import { groupsClaim } from '../protocol/groups-claim.js';
import { header, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { authenticate, challenge } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';

/** `/oauth2/v1/userinfo`: claims about the token's user, filtered by the granted scopes. */
async function userinfo(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  // Okta's catalogue: access_token_in_query, 400 invalid_request, header or not; access_token_missing, 401 invalid_request.
  const inQuery = req.url.searchParams.has('access_token');
  if (inQuery || (header(req, 'authorization') ?? '').trim() === '') {
    const description = inQuery ? 'The access token cannot be presented in a query string.' : 'The access token is missing.';
    return jsonReply(inQuery ? 400 : 401, { error: 'invalid_request', error_description: description }, {
      'WWW-Authenticate': challenge(ctx, req, 'Bearer', { error: 'invalid_request', description }),
    });
  }
  const principal = await authenticate(ctx, req);
  if (principal.kind === 'ssws') {
    const description = 'The access token is invalid.';
    throw new ReplyError(jsonReply(401, { error: 'invalid_token', error_description: description }, {
      'WWW-Authenticate': challenge(ctx, req, 'Bearer', { error: 'invalid_token', description }),
    }));
  }
  const { token, scheme } = principal;
  const user = token.userId === undefined ? undefined : ctx.store.users.get(token.userId);
  if (user === undefined || !token.scopes.includes('openid')) {
    const description = 'The access token must provide access to at least one of these scopes - profile, email, address or phone';
    return jsonReply(403, { error: 'insufficient_scope', error_description: description }, {
      'WWW-Authenticate': challenge(ctx, req, scheme, { error: 'insufficient_scope', description, scope: 'openid' }),
    });
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
