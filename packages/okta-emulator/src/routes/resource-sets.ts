import type { OrgContext } from '../state/context.js';
import { oktaError, orgFull } from '../http/errors.js';
import { isRecord, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { parsedBody } from '../http/management-body.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import { oktaId } from '../state/ids.js';
import type { Store } from '../state/store.js';
import type { Router } from '../http/router.js';

/** A resource set: what its list shows (its resources and bindings are not kept). */
interface ResourceSetRecord {
  readonly id: string;
  readonly seq: number;
  readonly label: string;
  readonly description: string;
  readonly created: number;
}

/** The most resource sets one emulated org holds (kept in memory) [I: Okta documents no limit]. */
const MAX_RESOURCE_SETS = 10_000;

/** Each org's resource sets, beside its store (kept here, not in `Store`: nothing else reads them). */
const sets = new WeakMap<Store, Map<string, ResourceSetRecord>>();

function setsOf(ctx: OrgContext): Map<string, ResourceSetRecord> {
  let found = sets.get(ctx.store);
  if (found === undefined) sets.set(ctx.store, (found = new Map<string, ResourceSetRecord>()));
  return found;
}

/** A resource set as Okta's Resource Sets API returns it (RSETS: `id`, `label`, `description`, `created`, `lastUpdated`, `_links`). */
function resourceSetJson(ctx: OrgContext, set: ResourceSetRecord): Record<string, unknown> {
  const href = `${ctx.url}/api/v1/iam/resource-sets/${set.id}`;
  const at = new Date(set.created).toISOString();
  return { id: set.id, label: set.label, description: set.description, created: at, lastUpdated: at, _links: { self: { href }, resources: { href: `${href}/resources` }, bindings: { href: `${href}/bindings` } } };
}

/**
 * `listResourceSets`: a JSON object, `{ "resource-sets": [...], "_links": { "next": { "href": "…?after=…" } } }`,
 * the next page in the body, no `Link` header (RSETS's example). Okta documents `after` only; `limit`
 * is taken as the other lists take it, default and maximum 100 [I]. Scope `okta.roles.read`.
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/RoleCResourceSet/#tag/RoleCResourceSet/operation/listResourceSets
 */
async function listResourceSets(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.roles.read');
  requireScope(ctx, req, principal, 'okta.roles', 'read');
  const page = paginate(ctx.url, req, [...setsOf(ctx).values()], 100, 100);
  const links = page.next === undefined ? {} : { next: { href: page.next } };
  return jsonReply(200, { 'resource-sets': page.items.map((set) => resourceSetJson(ctx, set)), _links: links });
}

/**
 * `createResourceSet`: `label` and `description` (non-empty strings, else 400 `E0000001` naming the
 * field [I: Okta's wording for it is not documented]); `resources` is read but not kept. Scope
 * `okta.roles.manage`.
 */
async function createResourceSet(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.roles.manage');
  requireScope(ctx, req, principal, 'okta.roles', 'manage');
  const body = parsedBody(req);
  const field = (name: string): string | undefined => {
    const value = isRecord(body) ? body[name] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const label = field('label');
  const description = field('description');
  const blank = [label === undefined ? 'label' : '', description === undefined ? 'description' : ''].filter(Boolean);
  if (label === undefined || description === undefined) {
    return oktaError(400, 'E0000001', `Api validation failed: ${blank.join(', ')}`, blank.map((name) => `${name}: The field cannot be left blank`));
  }
  const all = setsOf(ctx);
  if (all.size >= MAX_RESOURCE_SETS) return orgFull('resource set', MAX_RESOURCE_SETS);
  const set: ResourceSetRecord = { id: oktaId('iam'), seq: ctx.store.nextSeq(), label, description, created: ctx.clock.nowMs() };
  all.set(set.id, set);
  return jsonReply(200, resourceSetJson(ctx, set));
}

export function registerResourceSetRoutes(router: Router, ctx: OrgContext): void {
  router.add('GET', '/api/v1/iam/resource-sets', (req) => listResourceSets(ctx, req)).add('POST', '/api/v1/iam/resource-sets', (req) => createResourceSet(ctx, req));
}
