import type { OrgContext } from '../state/context.js';
import { notFound, ReplyError } from '../http/errors.js';
import { jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { GRANTS_BY_KIND } from '../protocol/grants.js';
import type { AppRecord } from '../state/model.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';

const APPLICATION_TYPE = { service: 'service', oin: 'service', spa: 'browser', web: 'web', native: 'native' } as const;

/**
 * An app as Okta's Apps API returns an OIDC or API-service app, reduced to what a client reads:
 * `id` (= `client_id`, as for Okta's OIDC apps), `name`, `label`, `status`, `signOnMode`, the
 * client id, and `settings.oauthClient` (application type, grant types, redirect URIs). Secrets
 * and keys are never returned.
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
 */
export function appJson(ctx: OrgContext, app: AppRecord): Record<string, unknown> {
  const signIn = app.kind === 'spa' || app.kind === 'web' || app.kind === 'native';
  return {
    id: app.clientId,
    name: 'oidc_client',
    label: `${app.kind} app ${app.clientId}`,
    status: 'ACTIVE',
    signOnMode: 'OPENID_CONNECT',
    credentials: { oauthClient: { client_id: app.clientId, token_endpoint_auth_method: app.authMethod, autoKeyRotation: true } },
    settings: {
      oauthClient: {
        application_type: APPLICATION_TYPE[app.kind],
        grant_types: [...GRANTS_BY_KIND[app.kind]],
        response_types: signIn ? ['code'] : ['token'],
        redirect_uris: signIn ? [...app.redirectUris] : [],
        post_logout_redirect_uris: signIn ? [...app.postLogoutRedirectUris] : [],
        dpop_bound_access_tokens: app.requireDpop,
      },
    },
    _links: { self: { href: `${ctx.url}/api/v1/apps/${app.clientId}` } },
  };
}

async function listApps(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.apps', 'read');
  const all = [...ctx.store.apps.values()].map((app, i) => ({ seq: i + 1, app }));
  const page = paginate(ctx.url, req, all, 20, 200);
  return jsonReply(200, page.items.map((x) => appJson(ctx, x.app)), { Link: page.links });
}

async function getApp(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.apps', 'read');
  const id = req.params.id ?? '';
  const app = ctx.store.apps.get(id);
  if (app === undefined) throw new ReplyError(notFound(id, 'AppInstance'));
  return jsonReply(200, appJson(ctx, app));
}

export function registerAppRoutes(router: Router, ctx: OrgContext): void {
  router.add('GET', '/api/v1/apps', (req) => listApps(ctx, req)).add('GET', '/api/v1/apps/:id', (req) => getApp(ctx, req));
}
