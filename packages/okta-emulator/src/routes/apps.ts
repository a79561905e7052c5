import type { OrgContext } from '../state/context.js';
import { notFound, oktaError, ReplyError } from '../http/errors.js';
import { managementDialects, matchesScimFilter, parseScimFilter } from '../http/scim-filter.js';
import { jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { GRANTS_BY_KIND } from '../protocol/grants.js';
import type { AppRecord } from '../state/model.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import { refreshPolicy } from '../protocol/tokens.js';
import type { Router } from '../http/router.js';

const APPLICATION_TYPE = { service: 'service', oin: 'service', spa: 'browser', web: 'web', native: 'native' } as const;

/**
 * An app as Okta's Apps API returns an OIDC or API-service app, reduced to what a client reads:
 * `id` (= `client_id`, as for Okta's OIDC apps), `name`, `label`, `status`, `signOnMode`, the
 * client id, and `settings.oauthClient` (application type, grant types, redirect URIs, and for a
 * sign-in app `refresh_token`'s `rotation_type` and `leeway`). Secrets and keys are never returned.
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
 */
export function appJson(ctx: OrgContext, app: AppRecord): Record<string, unknown> {
  const signIn = app.kind === 'spa' || app.kind === 'web' || app.kind === 'native';
  const refresh = refreshPolicy(ctx, app);
  return {
    id: app.clientId,
    name: 'oidc_client',
    label: `${app.kind} app ${app.clientId}`,
    status: app.inactive === true ? 'INACTIVE' : 'ACTIVE',
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
        // OAS `OpenIdConnectApplicationSettingsRefreshToken`: apps with the refresh grant.
        ...(refresh === undefined ? {} : { refresh_token: { rotation_type: refresh.rotation === 'rotate' ? 'ROTATE' : 'STATIC', leeway: refresh.leewaySeconds } }),
      },
    },
    _links: { self: { href: `${ctx.url}/api/v1/apps/${app.clientId}` } },
  };
}

/**
 * `listApplications`: `filter` takes one `eq` expression on `id`, `status`, `name`,
 * `credentials.signing.kid` or `settings.slo.enabled` (OAS; "Only a single expression is supported",
 * the Apps reference); anything else, `and`/`or` too, is Okta's 400 `E0000031`. `user.id` and
 * `group.id` (assignments) are not emulated, so they are refused the same way.
 */
const APP_FILTER = managementDialects({
  filter: { eq: ['id', 'status', 'name', 'credentials.signing.kid', 'settings.slo.enabled'], order: [] },
  search: { fields: [], contains: [] },
}).filter;

function appQuery(req: EmuRequest): ((app: Record<string, unknown>) => boolean) | undefined {
  const text = req.url.searchParams.get('filter')?.trim();
  if (text === undefined || text === '') return undefined;
  const parsed = parseScimFilter(text, APP_FILTER);
  if ('join' in parsed) throw new ReplyError(oktaError(400, 'E0000031'));
  return (app) => matchesScimFilter(app, parsed, APP_FILTER);
}

async function listApps(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.apps.read');
  requireScope(ctx, req, principal, 'okta.apps', 'read');
  // `q`: "`name` or `label` … using `startsWith`" (OAS); case-insensitive as the Users API's `q` [I].
  const q = req.url.searchParams.get('q')?.toLowerCase() ?? '';
  const query = appQuery(req);
  const all = [...ctx.store.apps.values()]
    .map((app, i) => ({ seq: i + 1, json: appJson(ctx, app) }))
    .filter(({ json }) => [json.name, json.label].some((v) => String(v).toLowerCase().startsWith(q)) && (query?.(json) ?? true));
  const page = paginate(ctx.url, req, all, 20, 200);
  return jsonReply(200, page.items.map((x) => x.json), { Link: page.links });
}

async function getApp(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.apps.read');
  requireScope(ctx, req, principal, 'okta.apps', 'read');
  const id = req.params.id ?? '';
  const app = ctx.store.apps.get(id);
  if (app === undefined) throw new ReplyError(notFound(id, 'AppInstance'));
  return jsonReply(200, appJson(ctx, app));
}

export function registerAppRoutes(router: Router, ctx: OrgContext): void {
  router.add('GET', '/api/v1/apps', (req) => listApps(ctx, req)).add('GET', '/api/v1/apps/:id', (req) => getApp(ctx, req));
}
