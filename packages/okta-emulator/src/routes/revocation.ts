import { authenticateClient, type AuthenticatedClient } from '../protocol/client-auth.js';
import type { OrgContext } from '../state/context.js';
import { answeringOAuthFailures, OAuthFailure } from '../http/errors.js';
import { emptyReply, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import { refreshStanding, revokeRefreshFamily } from '../protocol/tokens.js';
import { duplicatedParameters, requireForm } from './token.js';
import { clientEntity, logEvent, tokenEntity } from '../protocol/log-events.js';
import type { LogEntity } from '../state/system-log.js';

/**
 * `/introspect`'s form with a `client_id` sent in the query: Okta's reference tells a public client to send
 * it "as a query parameter" there (and, under "None", in the body), so either is taken; in both, or twice,
 * it is a parameter sent more than once (O1).
 */
function withQueryClientId(req: EmuRequest, form: URLSearchParams): URLSearchParams {
  const fromQuery = req.url.searchParams.getAll('client_id');
  if (fromQuery.length === 0) return form;
  if (fromQuery.length + form.getAll('client_id').length > 1) throw duplicatedParameters(['client_id']);
  const merged = new URLSearchParams(form);
  merged.set('client_id', fromQuery[0] ?? '');
  return merged;
}

/** The form, the client authenticated for `endpoint`, and the required `token` parameter (RFC 7009 §2.1, RFC 7662 §2.1). */
async function clientAndToken(ctx: OrgContext, req: EmuRequest, endpoint: string): Promise<{ client: AuthenticatedClient; token: string }> {
  const form = endpoint === '/oauth2/v1/introspect' ? withQueryClientId(req, requireForm(req)) : requireForm(req);
  const client = await authenticateClient(ctx, req, form, `${ctx.url}${endpoint}`);
  const token = form.get('token');
  if (token === null || token === '') throw new OAuthFailure(400, 'invalid_request', "The 'token' parameter is required.");
  return { client, token };
}

/**
 * `POST /oauth2/v1/revoke` (RFC 7009): always 200 for an unknown token; a refresh token takes its access tokens with it.
 * A refresh token rotated out past its grace period (`spent`: Okta "invalidates the refresh token that was passed" once
 * the new tokens are issued, RT) is an invalid token, whose revocation changes nothing (REV: "Revoking a token that is
 * invalid … returns a `200 OK`"): the family it was rotated into stays valid [I].
 */
async function revoke(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const { client, token } = await clientAndToken(ctx, req, '/oauth2/v1/revoke');
  const access = ctx.store.accessTokens.get(token);
  const target: LogEntity[] = [];
  if (access?.clientId === client.app.clientId) {
    access.revoked = true;
    target.push(tokenEntity('access_token', access.jti, true));
  }
  const refresh = ctx.store.refreshTokens.get(token);
  if (refresh?.clientId === client.app.clientId && refreshStanding(ctx, refresh).standing !== 'spent') {
    revokeRefreshFamily(ctx, refresh.familyId);
    target.push(tokenEntity('refresh_token', refresh.value));
  }
  logEvent(ctx, req, 'revoke', { actor: clientEntity(ctx, client.app.clientId), clientId: client.app.clientId, target });
  return emptyReply(200, { 'Cache-Control': 'no-store' });
}

/** `POST /oauth2/v1/introspect` (RFC 7662), for the client's own tokens. */
async function introspect(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const { client, token } = await clientAndToken(ctx, req, '/oauth2/v1/introspect');
  const now = ctx.clock.nowSeconds();
  const inactive = jsonReply(200, { active: false }, { 'Cache-Control': 'no-store' });
  const access = ctx.store.accessTokens.get(token);
  if (access !== undefined) {
    if (access.clientId !== client.app.clientId || access.revoked || now >= access.expiresAt) return inactive;
    const user = access.userId === undefined ? undefined : ctx.store.users.get(access.userId);
    return jsonReply(
      200,
      {
        active: true,
        scope: access.scopes.join(' '),
        username: user?.profile.login ?? access.clientId,
        exp: access.expiresAt,
        iat: access.issuedAt,
        sub: user?.profile.login ?? access.clientId,
        aud: ctx.url,
        iss: ctx.url,
        jti: access.jti,
        token_type: access.jkt === undefined ? 'Bearer' : 'DPoP',
        client_id: access.clientId,
        ...(user === undefined ? {} : { uid: user.id }),
        ...(access.jkt === undefined ? {} : { cnf: { jkt: access.jkt } }),
      },
      { 'Cache-Control': 'no-store' },
    );
  }
  const refresh = ctx.store.refreshTokens.get(token);
  if (refresh?.clientId !== client.app.clientId || refresh.revoked || refreshStanding(ctx, refresh).standing === 'spent') return inactive;
  const user = ctx.store.users.get(refresh.userId);
  return jsonReply(
    200,
    {
      active: true,
      // Okta: token_type "is always `Bearer`", a refresh token's too (OIDC reference, /introspect).
      token_type: 'Bearer',
      scope: refresh.scopes.join(' '),
      client_id: refresh.clientId,
      username: user?.profile.login,
      iat: refresh.issuedAt,
      sub: user?.profile.login,
      aud: ctx.url,
      iss: ctx.url,
      uid: refresh.userId,
    },
    { 'Cache-Control': 'no-store' },
  );
}

export function registerRevocationRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('POST', '/oauth2/v1/revoke', (req) => answeringOAuthFailures(() => revoke(ctx, req)))
    .add('POST', '/oauth2/v1/introspect', (req) => answeringOAuthFailures(() => introspect(ctx, req)));
}
