import { OAuthFailure } from '../http/errors.js';
import type { EmuRequest } from '../http/http-types.js';
import type { OrgContext } from '../state/context.js';
import type { AppRecord } from '../state/model.js';
import { carriesClientCredentials } from './client-auth.js';

/**
 * The `Origin` of a browser's request to the org (FIDELITY BR1): a non-empty one other than the
 * org's own (Okta's fix OKTA-449621: an empty `Origin` is no error; OKTA-516740 speaks of
 * "cross-origin requests"). `undefined` for a server's request, or when `browserRules` is off.
 */
export function browserOrigin(ctx: OrgContext, req: Pick<EmuRequest, 'headers'>): string | undefined {
  const origin = req.headers.origin;
  if (!ctx.settings.browserRules || origin === undefined || origin === '' || origin === new URL(ctx.url).origin) return undefined;
  return origin;
}

/**
 * A browser's request ({@link browserOrigin}) with an API token (`Authorization: SSWS …`): Okta
 * answers it without CORS headers whatever the origin, so the page sees a refused `fetch` (FIDELITY
 * CO5, SUP2). Its preflight carries the header's name, never its value, and is answered by origin (CO1).
 */
export function apiTokenFromPage(ctx: OrgContext, req: Pick<EmuRequest, 'headers'>): boolean {
  return browserOrigin(ctx, req) !== undefined && /^\s*ssws\s/i.test(req.headers.authorization ?? '');
}

/** Grants a page may use: the catalogue's `authorization_code`, and `refresh_token` (Okta's SPA refresh tokens) [I]. */
const BROWSER_GRANTS: ReadonlySet<string> = new Set(['authorization_code', 'refresh_token']);

/**
 * A browser's token request, checked before the client is authenticated (FIDELITY BR2, BR3): its
 * grant (catalogue `unsupported_grant_type_browser_request`), then that it carries no client
 * secret or assertion (`unsupported_auth_method_browser_request`), neither checked.
 */
export function checkBrowserRequest(req: EmuRequest, form: URLSearchParams, grant: string): void {
  if (!BROWSER_GRANTS.has(grant)) {
    throw new OAuthFailure(400, 'unauthorized_client', 'Browser requests to the token endpoint may only use the authorization_code grant_type.');
  }
  if (carriesClientCredentials(req, form)) {
    throw new OAuthFailure(401, 'invalid_client', 'Browser requests to the token endpoint must use Proof Key for Code Exchange.');
  }
}

/** The origin of a redirect URI, as `URL` normalizes it (scheme and host in lower case), or undefined. */
function originOf(uri: string): string | undefined {
  return URL.canParse(uri) ? new URL(uri).origin : undefined;
}

/**
 * A browser's token request comes from the origin of one of the app's redirect URIs, compared
 * without case (OKTA-516740), or is 400 `illegal_origin_browser_request` (FIDELITY BR4).
 */
export function checkBrowserOrigin(app: AppRecord, origin: string): void {
  const from = originOf(origin);
  if (from !== undefined && from !== 'null' && (app.kind === 'service' || app.kind === 'oin' ? [] : app.redirectUris).some((uri) => originOf(uri) === from)) return;
  throw new OAuthFailure(400, 'invalid_request', 'Browser requests to the token endpoint must be part of at least one whitelisted redirect_uri.');
}
