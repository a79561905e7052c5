import type { OrgContext } from '../state/context.js';
import { notFound, oktaError, ReplyError } from '../http/errors.js';
import { emptyReply, isRecord, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { managementBody } from '../http/management-body.js';
import { managementDialects, managementQuery } from '../http/scim-filter.js';
import type { UserRecord } from '../state/model.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import { logManagementEvent, userEntity } from '../protocol/log-events.js';
import type { Router } from '../http/router.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** A user as Okta's Users API returns it. */
export function userJson(ctx: OrgContext, u: UserRecord): Record<string, unknown> {
  return {
    id: u.id,
    status: u.status,
    created: iso(u.created),
    activated: iso(u.activated),
    statusChanged: iso(u.statusChanged),
    lastLogin: iso(u.lastLogin),
    lastUpdated: iso(u.lastUpdated),
    passwordChanged: iso(u.passwordChanged),
    type: { id: 'oty1emulatordefault0' },
    profile: { ...u.profile },
    credentials: {
      ...(u.password === undefined ? {} : { password: {} }),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: { href: `${ctx.url}/api/v1/users/${u.id}` } },
  };
}

/** The user with this id or login, or Okta's 404 (thrown). */
export function findUserOr404(ctx: OrgContext, idOrLogin: string): UserRecord {
  const user = ctx.store.findUser(idOrLogin);
  if (user === undefined) throw new ReplyError(notFound(idOrLogin, 'User'));
  return user;
}

/**
 * `listUsers` (OAS): `filter` takes `status`, `lastUpdated`, `id` and four profile attributes, only
 * `eq` except `gt ge lt le` on `lastUpdated`; `search` takes any profile attribute, six top-level ones
 * and `type.id`, `sw eq co` (`co` on four profile attributes) and, as its examples do, `gt ge lt le`
 * (and `pr` [I]), not `ne`.
 */
const USER_QUERY = managementDialects({
  filter: { eq: ['status', 'lastUpdated', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName'], order: ['lastUpdated'] },
  search: {
    fields: ['id', 'status', 'created', 'activated', 'statusChanged', 'lastUpdated', 'type.id'],
    contains: ['profile.firstName', 'profile.lastName', 'profile.email', 'profile.login'],
  },
});

function matchingUsers(ctx: OrgContext, req: EmuRequest): UserRecord[] {
  const q = req.url.searchParams.get('q')?.toLowerCase();
  // A `filter` or `search` includes DEPROVISIONED users; the plain list and `q` do not (OAS `listUsers`).
  const query = managementQuery(req, USER_QUERY);
  return [...ctx.store.users.values()].filter((u) => {
    if (q !== undefined && q !== '') {
      // Okta: "The value of `q` is matched against `firstName`, `lastName`, or `email`" (not the login).
      const fields = [u.profile.email, u.profile.firstName, u.profile.lastName];
      if (!fields.some((f) => f.toLowerCase().startsWith(q))) return false;
    }
    return query === undefined ? u.status !== 'DEPROVISIONED' : query(userJson(ctx, u));
  });
}

async function listUsers(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'read');
  const all = matchingUsers(ctx, req);
  const page = paginate(ctx.url, req, all, 200, 200, 10);
  return jsonReply(
    200,
    page.items.map((u) => userJson(ctx, u)),
    { Link: page.links },
  );
}

async function getUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'read');
  const id = req.params.id ?? '';
  // `me`: the user a user's token was issued to; for an API token, as at Okta, the admin who
  // created it (the org's first admin unless the test named one). A service app's token has no user: 404.
  if (id === 'me') {
    const userId = principal.kind === 'oauth' ? principal.token.userId : ctx.store.apiTokenOwner(principal.token)?.id;
    return jsonReply(200, userJson(ctx, findUserOr404(ctx, userId ?? 'me')));
  }
  return jsonReply(200, userJson(ctx, findUserOr404(ctx, id)));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

async function createUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const { profile, credentials } = managementBody(req);
  const password = isRecord(credentials.password) ? str(credentials.password.value) : undefined;
  const login = str(profile.login);
  const email = str(profile.email);
  const firstName = str(profile.firstName);
  const lastName = str(profile.lastName);
  const causes: string[] = [];
  const missing: string[] = [];
  for (const [name, value] of [['login', login], ['email', email], ['firstName', firstName], ['lastName', lastName]] as const) {
    if (value === undefined || value.trim() === '') {
      causes.push(`${name}: The field cannot be left blank`);
      missing.push(name);
    }
  }
  if (email !== undefined && email !== '' && !/^[^@\s]+@[^@\s]+$/.test(email)) {
    causes.push('email: Does not match required pattern');
    missing.push('email');
  }
  if (login !== undefined && login !== '' && ctx.store.findUserByLogin(login) !== undefined) {
    causes.push('login: An object with this field already exists in the current organization');
    missing.push('login');
  }
  if (causes.length > 0 || login === undefined) {
    return oktaError(400, 'E0000001', `Api validation failed: ${missing.join(', ')}`, causes);
  }
  const activate = req.url.searchParams.get('activate') !== 'false';
  const user = ctx.store.createUser({ login, password, email, firstName, lastName, activate }, ctx.clock.nowMs());
  logManagementEvent(ctx, req, principal, 'userCreate', [userEntity(user)]);
  if (activate) logManagementEvent(ctx, req, principal, 'userActivate', [userEntity(user)]);
  return jsonReply(200, userJson(ctx, user));
}

function deactivate(ctx: OrgContext, user: UserRecord): void {
  const now = ctx.clock.nowMs();
  user.status = 'DEPROVISIONED';
  user.statusChanged = now;
  user.lastUpdated = now;
  for (const t of ctx.store.accessTokens.values()) if (t.userId === user.id) t.revoked = true;
  for (const t of ctx.store.refreshTokens.values()) if (t.userId === user.id) t.revoked = true;
  for (const [id, s] of ctx.store.sessions) if (s.userId === user.id) ctx.store.sessions.delete(id);
}

async function deactivateUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const user = findUserOr404(ctx, req.params.id ?? '');
  deactivate(ctx, user);
  logManagementEvent(ctx, req, principal, 'userDeactivate', [userEntity(user)]);
  return jsonReply(200, {});
}

/** `POST /api/v1/users/{id}`: partial profile update (Okta's POST semantics; PUT would replace). */
async function updateUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const user = findUserOr404(ctx, req.params.id ?? '');
  const { profile } = managementBody(req);
  const next = { ...user.profile };
  for (const key of ['login', 'email', 'firstName', 'lastName'] as const) {
    const v = profile[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.trim() === '') {
      return oktaError(400, 'E0000001', `Api validation failed: ${key}`, [`${key}: The field cannot be left blank`]);
    }
    next[key] = v;
  }
  const clash = ctx.store.findUserByLogin(next.login);
  if (clash !== undefined && clash.id !== user.id) {
    return oktaError(400, 'E0000001', 'Api validation failed: login', ['login: An object with this field already exists in the current organization']);
  }
  user.profile = next;
  user.lastUpdated = ctx.clock.nowMs();
  return jsonReply(200, userJson(ctx, user));
}

async function activateUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const user = findUserOr404(ctx, req.params.id ?? '');
  const now = ctx.clock.nowMs();
  user.status = user.password === undefined ? 'PROVISIONED' : 'ACTIVE';
  user.activated = now;
  user.statusChanged = now;
  user.lastUpdated = now;
  logManagementEvent(ctx, req, principal, 'userActivate', [userEntity(user)]);
  return jsonReply(200, {});
}

/** Okta's delete: the first DELETE deactivates an active user, a DELETE on a deprovisioned user removes it. */
async function deleteUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req);
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const user = findUserOr404(ctx, req.params.id ?? '');
  const deleted = user.status === 'DEPROVISIONED';
  if (deleted) {
    ctx.store.users.delete(user.id);
    for (const g of ctx.store.groups.values()) g.members.delete(user.id);
  } else deactivate(ctx, user);
  logManagementEvent(ctx, req, principal, deleted ? 'userDelete' : 'userDeactivate', [userEntity(user)]);
  return emptyReply(204);
}

export function registerUserRoutes(router: Router, ctx: OrgContext): void {
  router
    .add('GET', '/api/v1/users', (req) => listUsers(ctx, req))
    .add('POST', '/api/v1/users', (req) => createUser(ctx, req))
    .add('GET', '/api/v1/users/:id', (req) => getUser(ctx, req))
    .add('POST', '/api/v1/users/:id', (req) => updateUser(ctx, req))
    .add('DELETE', '/api/v1/users/:id', (req) => deleteUser(ctx, req))
    .add('POST', '/api/v1/users/:id/lifecycle/deactivate', (req) => deactivateUser(ctx, req))
    .add('POST', '/api/v1/users/:id/lifecycle/activate', (req) => activateUser(ctx, req));
}
