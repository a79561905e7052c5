import type { OrgContext } from '../state/context.js';
import { notFound, oktaError, orgFull, ReplyError } from '../http/errors.js';
import { emptyReply, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { managementBody } from '../http/management-body.js';
import { managementDialects, managementQuery } from '../http/scim-filter.js';
import { oktaId } from '../state/ids.js';
import { STORE_CAPS } from '../state/store.js';
import type { GroupRecord, UserRecord } from '../state/model.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope, type Principal } from '../protocol/resource-auth.js';
import type { Router } from '../http/router.js';
import { findUserOr404, userJson } from './users.js';
import { groupEntity, logManagementEvent, userEntity } from '../protocol/log-events.js';

/** A group as Okta's Groups API returns it. */
export function groupJson(ctx: OrgContext, g: GroupRecord): Record<string, unknown> {
  const href = `${ctx.url}/api/v1/groups/${g.id}`;
  return {
    id: g.id,
    created: new Date(g.created).toISOString(),
    lastUpdated: new Date(g.lastUpdated).toISOString(),
    lastMembershipUpdated: new Date(g.lastMembershipUpdated).toISOString(),
    objectClass: ['okta:user_group'],
    type: g.type,
    profile: { ...g.profile },
    _links: { self: { href }, users: { href: `${href}/users` }, apps: { href: `${href}/apps` } },
  };
}

function findGroup(ctx: OrgContext, id: string): GroupRecord {
  const group = ctx.store.groups.get(id);
  if (group === undefined) throw new ReplyError(notFound(id, 'UserGroup'));
  return group;
}

/**
 * `listGroups` (OAS): `filter` takes `id`, `type`, `lastUpdated` and `lastMembershipUpdated` (`eq`; as
 * its examples do, `gt ge lt le` on the two dates [I]); `search` takes any profile attribute, five
 * top-level ones and `source.id`, `sw eq co` (`co` on `profile.name` and `profile.description`) and, as
 * its examples do, `gt ge lt le` (and `pr` [I]); its values case-insensitive as the Users API's [I].
 */
const GROUP_QUERY = managementDialects({
  filter: { eq: ['id', 'type', 'lastUpdated', 'lastMembershipUpdated'], order: ['lastUpdated', 'lastMembershipUpdated'] },
  search: { fields: ['id', 'created', 'lastMembershipUpdated', 'lastUpdated', 'type', 'source.id'], contains: ['profile.name', 'profile.description'] },
});

async function listGroups(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.groups.read');
  requireScope(ctx, req, principal, 'okta.groups', 'read');
  const q = req.url.searchParams.get('q')?.toLowerCase() ?? '';
  const query = managementQuery(req, GROUP_QUERY);
  const all = [...ctx.store.groups.values()].filter((g) => g.profile.name.toLowerCase().startsWith(q) && (query?.(groupJson(ctx, g)) ?? true));
  const page = paginate(ctx.url, req, all, 10_000, 10_000, 300);
  return jsonReply(200, page.items.map((g) => groupJson(ctx, g)), { Link: page.links });
}

async function getGroup(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.groups.read');
  requireScope(ctx, req, principal, 'okta.groups', 'read');
  return jsonReply(200, groupJson(ctx, findGroup(ctx, req.params.id ?? '')));
}

/** `GET /api/v1/groups/{id}/users`: members (every non-deprovisioned user is in the built-in Everyone group). */
async function groupUsers(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.groups.read');
  requireScope(ctx, req, principal, 'okta.groups', 'read');
  const group = findGroup(ctx, req.params.id ?? '');
  const members = [...ctx.store.users.values()].filter((u) => (group.type === 'BUILT_IN' ? u.status !== 'DEPROVISIONED' : group.members.has(u.id)));
  const page = paginate(ctx.url, req, members, 1000, 1000);
  return jsonReply(200, page.items.map((u) => userJson(ctx, u)), { Link: page.links });
}

/**
 * `PUT` / `DELETE /api/v1/groups/{groupId}/users/{userId}`: add or remove a member (204, idempotent).
 * Only an `OKTA_GROUP`'s ("You only can modify memberships for groups of the `OKTA_GROUP` type").
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/#tag/Group/operation/assignUserToGroup
 */
async function changeMembership(ctx: OrgContext, req: EmuRequest, add: boolean): Promise<Reply> {
  const { group, principal } = await writableGroup(ctx, req);
  const userId = req.params.userId ?? '';
  const user: UserRecord | undefined = ctx.store.users.get(userId);
  if (user === undefined) throw new ReplyError(notFound(userId, 'User'));
  const changed = add !== group.members.has(user.id);
  if (add) group.members.add(user.id);
  else group.members.delete(user.id);
  group.lastMembershipUpdated = ctx.clock.nowMs();
  if (changed) logManagementEvent(ctx, req, principal, add ? 'groupAdd' : 'groupRemove', [userEntity(user), groupEntity(group)]);
  return emptyReply(204);
}

/**
 * `GET /api/v1/users/{id}/groups`: the groups a user belongs to, paged (`limit` at most 200, its
 * default; `after`; the `Link` header), as `listUserGroups` is.
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tags/userresources/other/listusergroups
 */
async function userGroups(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.users.read');
  requireScope(ctx, req, principal, 'okta.users', 'read');
  const user = findUserOr404(ctx, req.params.id ?? '');
  const page = paginate(ctx.url, req, ctx.store.groupsOf(user.id), 200, 200);
  return jsonReply(200, page.items.map((g) => groupJson(ctx, g)), { Link: page.links });
}

/** The group's profile from a write's body: `name` required (400 `E0000001` when blank), `description` optional. */
function groupProfile(req: EmuRequest): GroupRecord['profile'] | Reply {
  const { profile } = managementBody(req);
  const name = typeof profile.name === 'string' ? profile.name.trim() : '';
  if (name === '') return oktaError(400, 'E0000001', 'Api validation failed: name', ['name: The field cannot be left blank']);
  return { name, description: typeof profile.description === 'string' ? profile.description : '' };
}

async function createGroup(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.groups.manage');
  requireScope(ctx, req, principal, 'okta.groups', 'manage');
  const profile = groupProfile(req);
  if ('status' in profile) return profile;
  if (ctx.store.wouldOverflow('groups')) return orgFull('group', STORE_CAPS.groups);
  const now = ctx.clock.nowMs();
  const group: GroupRecord = {
    id: oktaId('00g'),
    seq: ctx.store.nextSeq(),
    type: 'OKTA_GROUP',
    created: now,
    lastUpdated: now,
    profile,
    members: new Set(),
    lastMembershipUpdated: now,
  };
  ctx.store.groups.set(group.id, group);
  return jsonReply(200, groupJson(ctx, group));
}

/**
 * The group a write may change: only an `OKTA_GROUP` ("You only can modify profiles for groups of the
 * `OKTA_GROUP` type", OAS `replaceGroup`; `deleteGroup` likewise), else Okta's 403 `E0000006`.
 */
async function writableGroup(ctx: OrgContext, req: EmuRequest): Promise<{ group: GroupRecord; principal: Principal }> {
  const principal = await authenticate(ctx, req, 'okta.groups.manage');
  requireScope(ctx, req, principal, 'okta.groups', 'manage');
  const group = findGroup(ctx, req.params.id ?? '');
  if (group.type !== 'OKTA_GROUP') throw new ReplyError(oktaError(403, 'E0000006'));
  return { group, principal };
}

/** `PUT /api/v1/groups/{id}`: replaces the profile (a `description` left out is emptied). */
async function replaceGroup(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const { group } = await writableGroup(ctx, req);
  const profile = groupProfile(req);
  if ('status' in profile) return profile;
  group.profile = profile;
  group.lastUpdated = ctx.clock.nowMs();
  return jsonReply(200, groupJson(ctx, group));
}

/** `DELETE /api/v1/groups/{id}`: 204; its members stay users. */
async function deleteGroup(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const { group } = await writableGroup(ctx, req);
  ctx.store.groups.delete(group.id);
  return emptyReply(204);
}

export function registerGroupRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('GET', '/api/v1/groups', (req) => listGroups(ctx, req))
    .add('POST', '/api/v1/groups', (req) => createGroup(ctx, req))
    .add('GET', '/api/v1/groups/:id', (req) => getGroup(ctx, req))
    .add('PUT', '/api/v1/groups/:id', (req) => replaceGroup(ctx, req))
    .add('DELETE', '/api/v1/groups/:id', (req) => deleteGroup(ctx, req))
    .add('GET', '/api/v1/groups/:id/users', (req) => groupUsers(ctx, req))
    .add('PUT', '/api/v1/groups/:id/users/:userId', (req) => changeMembership(ctx, req, true))
    .add('DELETE', '/api/v1/groups/:id/users/:userId', (req) => changeMembership(ctx, req, false))
    .add('GET', '/api/v1/users/:id/groups', (req) => userGroups(ctx, req));
}
