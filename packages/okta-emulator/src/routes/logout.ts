import { compactVerify, decodeJwt, importJWK } from 'jose';
import type { OrgContext } from '../state/context.js';
import { htmlReply, redirectReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { readSession, endSessionCookie } from '../state/sessions.js';
import type { Router } from '../http/router.js';
import { messagePage } from './sign-in-page.js';

async function verifyHint(ctx: OrgContext, hint: string): Promise<{ aud: string; sub: string } | undefined> {
  try {
    const claims = decodeJwt(hint);
    await ctx.signingKeys.ready();
    for (const jwk of ctx.signingKeys.jwks().keys) {
      try {
        await compactVerify(hint, await importJWK(jwk, 'RS256'));
        if (claims.iss !== ctx.url || typeof claims.aud !== 'string' || typeof claims.sub !== 'string') return undefined;
        return { aud: claims.aud, sub: claims.sub };
      } catch {
        // try the next key
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * `GET /oauth2/v1/logout` (RP-initiated logout): needs an `id_token_hint` issued by this org (expired
 * is fine); ends the session and redirects to a registered `post_logout_redirect_uri` with `state`,
 * or without one "to the Okta sign-in page" (OIDC reference, `/logout`): the org's `/` [I: the path].
 */
async function logout(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const q = req.url.searchParams;
  const hint = q.get('id_token_hint');
  if (hint === null) return htmlReply(400, messagePage('Bad request', "The 'id_token_hint' parameter is required."));
  const verified = await verifyHint(ctx, hint);
  if (verified === undefined) return htmlReply(400, messagePage('Bad request', "The 'id_token_hint' is invalid."));
  const app = ctx.store.apps.get(verified.aud);
  const target = q.get('post_logout_redirect_uri');
  if (target !== null && (app === undefined || !('postLogoutRedirectUris' in app) || !app.postLogoutRedirectUris.includes(target))) {
    return htmlReply(400, messagePage('Bad request', "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings."));
  }
  const session = readSession(ctx, req);
  if (session !== undefined) ctx.store.sessions.delete(session.id);
  const headers = { 'Set-Cookie': endSessionCookie(ctx) };
  if (target === null) return redirectReply(`${ctx.url}/`, headers);
  const state = q.get('state');
  const url = state === null ? target : `${target}${target.includes('?') ? '&' : '?'}${new URLSearchParams({ state }).toString()}`;
  return redirectReply(url, headers);
}

export function registerLogoutRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('GET', '/oauth2/v1/logout', (req) => logout(ctx, req))
    // The org's sign-in page, where a logout without a post-logout URI lands; a sign-in starts at an app's /authorize.
    .add('GET', '/', () => htmlReply(200, messagePage('Sign in', 'You are signed out. Sign in from an app: its sign-in starts at /oauth2/v1/authorize.')));
}
