import type { OrgContext } from '../state/context.js';
import { jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { logPage, parseLogQuery } from '../http/log-query.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';

/**
 * `GET /api/v1/logs`: the System Log, with an API token or an access token with `okta.logs.read`.
 *
 * @see https://developer.okta.com/docs/reference/api/system-log/#list-events
 */
async function listLogs(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.logs.read');
  requireScope(ctx, req, principal, 'okta.logs', 'read');
  const query = parseLogQuery(req, ctx.clock.nowMs());
  const page = logPage(ctx.url, req, query, ctx.systemLog.retained(), ctx.systemLog.lastSeq);
  return jsonReply(200, page.items, { Link: page.links });
}

export function registerLogRoutes(router: Router, ctx: OrgContext): void {
  router.add('GET', '/api/v1/logs', (req) => listLogs(ctx, req));
}
