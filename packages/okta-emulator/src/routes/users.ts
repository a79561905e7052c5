import type { OrgContext } from '../state/context.js';
import { notFound, OKTA_ERROR_SUMMARIES, oktaError, orgFull, ReplyError, type OktaErrorCause } from '../http/errors.js';
import { emptyReply, isRecord, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { managementBody } from '../http/management-body.js';
import { managementDialects, managementQuery } from '../http/scim-filter.js';
import type { UserProfile, UserRecord, UserStatus } from '../state/model.js';
import { paginate } from '../http/pagination.js';
import { authenticate, requireScope, type Principal } from '../protocol/resource-auth.js';
import { logManagementEvent, userEntity } from '../protocol/log-events.js';
import type { Router } from '../http/router.js';
import { STORE_CAPS } from '../state/store.js';
import { loginTooLong, MAX_LOGIN_CHARACTERS, MIN_PASSWORD_CHARACTERS, passwordTooShort } from '../state/user-rules.js';

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
  const principal = await authenticate(ctx, req, 'okta.users.read');
  requireScope(ctx, req, principal, 'okta.users', 'read');
  const all = matchingUsers(ctx, req);
  const page = paginate(ctx.url, req, all, 200, 200, 10);
  return jsonReply(
    200,
    page.items.map((u) => userJson(ctx, u)),
    { Link: page.links },
  );
}

/** The token's own user when `id` (`me`, or its id, login or short name) names it: the self scopes' (M15). */
function ownUser(ctx: OrgContext, principal: Principal, id: string): string | undefined {
  const tokenUser = principal.kind === 'oauth' ? principal.token.userId : undefined;
  return tokenUser !== undefined && (id === 'me' || ctx.store.findUser(id)?.id === tokenUser) ? tokenUser : undefined;
}

/**
 * The user `id` names, or Okta's 404. `me`: the user a user's token was issued to; for an API token,
 * as at Okta, the admin who created it (the org's first admin unless the test named one). A service
 * app's token has no user: 404.
 */
function pathUser(ctx: OrgContext, principal: Principal, id: string): UserRecord {
  if (id !== 'me') return findUserOr404(ctx, id);
  const userId = principal.kind === 'oauth' ? principal.token.userId : ctx.store.apiTokenOwner(principal.token)?.id;
  return findUserOr404(ctx, userId ?? 'me');
}

async function getUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.users.read');
  const id = req.params.id ?? '';
  requireScope(ctx, req, principal, 'okta.users', 'read', ownUser(ctx, principal, id));
  return jsonReply(200, userJson(ctx, pathUser(ctx, principal, id)));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const PROFILE_FIELDS = ['login', 'email', 'firstName', 'lastName'] as const;

/** An email as the profile's `email` and `secondEmail` take it: one `@`, no space [I: Okta's own pattern is not published]. */
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/;

/** Okta's cause for a password under the default policy's minimum (release notes 2018.09). */
const PASSWORD_TOO_SHORT: OktaErrorCause = {
  errorSummary: `password: Passwords must be at least ${MIN_PASSWORD_CHARACTERS} characters in length`,
  reason: 'LENGTH_MINIMUM',
  location: 'credentials.password.value',
  locationType: 'body',
  domain: 'user',
};

/**
 * Okta's 400 `E0000001` for a profile it refuses (blank required field, an email that is not one, a
 * login another user has) or a password its default policy refuses, or `undefined` when `profile` is
 * a complete one and `password` (if sent) long enough. `selfId`: the user being updated, whose own
 * login is no clash. The password is never echoed.
 */
function userProblem(ctx: OrgContext, profile: Record<string, unknown>, password: string | undefined, selfId?: string): Reply | undefined {
  const causes: (string | OktaErrorCause)[] = [];
  const fields: string[] = [];
  const add = (field: string, cause: string | OktaErrorCause): void => {
    causes.push(typeof cause === 'string' ? `${field}: ${cause}` : cause);
    if (!fields.includes(field)) fields.push(field);
  };
  for (const name of PROFILE_FIELDS) {
    const value = str(profile[name]);
    if (value === undefined || value.trim() === '') add(name, 'The field cannot be left blank');
  }
  const email = str(profile.email);
  if (email !== undefined && email !== '' && !EMAIL_SHAPE.test(email)) add('email', 'Does not match required pattern');
  // `secondEmail`: "format: email", "nullable" (OAS `UserProfile`); '' clears it as null does. Anything
  // else (an array, an object, a number) would be kept as sent, past a self update's pending email (M16).
  const second = profile.secondEmail;
  if (second !== undefined && second !== null && second !== '' && !(typeof second === 'string' && EMAIL_SHAPE.test(second))) add('secondEmail', 'Does not match required pattern');
  const login = str(profile.login);
  // `UserProfile.login`: "maxLength: 100" (OAS) [I: the cause's wording], in characters (code points).
  if (login !== undefined && loginTooLong(login)) add('login', `The field cannot exceed ${MAX_LOGIN_CHARACTERS} characters`);
  const clash = login === undefined || login === '' ? undefined : ctx.store.findLoginClash(login);
  if (clash !== undefined && clash.id !== selfId) add('login', 'An object with this field already exists in the current organization');
  if (password !== undefined && passwordTooShort(password)) add('password', PASSWORD_TOO_SHORT);
  return causes.length === 0 ? undefined : oktaError(400, 'E0000001', `Api validation failed: ${fields.join(', ')}`, causes);
}

/** A profile {@link userProblem} found complete: every attribute sent, the four required ones as strings. */
function completeProfile(profile: Record<string, unknown>): UserProfile {
  const [login = '', email = '', firstName = '', lastName = ''] = PROFILE_FIELDS.map((f) => String(profile[f]));
  return { ...profile, login, email, firstName, lastName };
}

/**
 * An end user's own update (M16): a new `email` or `secondEmail` is "updated only upon verification"
 * (OAS `updateUser`), and the emulator sends no verification email, so `next` keeps the user's
 * current one [I: never verified]; the rest of the update applies. `login` is the user's to write
 * (the default schema's `SELF` `READ_WRITE`).
 */
function keepUnverifiedEmails(current: UserProfile, sent: Record<string, unknown>, next: Record<string, unknown>): void {
  const changes = (field: 'email' | 'secondEmail'): boolean => {
    const value = str(sent[field]);
    return value !== undefined && value !== '' && value !== current[field];
  };
  if (changes('email')) next.email = current.email;
  if (!changes('secondEmail')) return;
  if (current.secondEmail === undefined) delete next.secondEmail;
  else next.secondEmail = current.secondEmail;
}

/** `credentials.password.value` of a management body, if it names one. */
function passwordOf(credentials: Record<string, unknown>): string | undefined {
  return isRecord(credentials.password) ? str(credentials.password.value) : undefined;
}

async function createUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.users.manage');
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const { profile, credentials } = managementBody(req);
  if (ctx.store.wouldOverflow('users')) return orgFull('user', STORE_CAPS.users);
  const password = passwordOf(credentials);
  const problem = userProblem(ctx, profile, password);
  if (problem !== undefined) return problem;
  const next = completeProfile(profile);
  const activate = req.url.searchParams.get('activate') !== 'false';
  // `nextLogin=changePassword`: "created, activated, and the password is set to `EXPIRED`" (OAS `createUser`, its 400 examples).
  const expire = req.url.searchParams.get('nextLogin') === 'changePassword';
  if (expire && !activate) return oktaError(400, 'E0000125', undefined, [OKTA_ERROR_SUMMARIES.E0000125]);
  if (expire && password === undefined) return oktaError(400, 'E0000124', undefined, [OKTA_ERROR_SUMMARIES.E0000124]);
  const { login, email, firstName, lastName } = next;
  const user = ctx.store.createUser({ login, email, firstName, lastName, password, activate }, ctx.clock.nowMs());
  user.profile = next;
  if (expire) user.status = 'PASSWORD_EXPIRED';
  logManagementEvent(ctx, req, principal, 'userCreate', [userEntity(user)]);
  if (activate) logManagementEvent(ctx, req, principal, 'userActivate', [userEntity(user)]);
  return jsonReply(200, userJson(ctx, user));
}

/** A status change, stamped on `statusChanged` and `lastUpdated`. */
export function setStatus(ctx: OrgContext, user: UserRecord, status: UserStatus): void {
  const now = ctx.clock.nowMs();
  user.status = status;
  user.statusChanged = now;
  user.lastUpdated = now;
}

/** Deactivation: `DEPROVISIONED`, and the user's tokens and sessions end. */
export function deactivate(ctx: OrgContext, user: UserRecord): void {
  setStatus(ctx, user, 'DEPROVISIONED');
  for (const t of ctx.store.accessTokens.values()) if (t.userId === user.id) t.revoked = true;
  for (const t of ctx.store.refreshTokens.values()) if (t.userId === user.id) t.revoked = true;
  for (const [id, s] of ctx.store.sessions) if (s.userId === user.id) ctx.store.sessions.delete(id);
}

/**
 * `POST /api/v1/users/{id}`: partial update, the profile attributes sent laid over the user's;
 * `PUT`: replacement, the profile sent is the whole profile: an attribute left out is gone ("Unspecified
 * properties are set to null with PUT", OAS `updateUser`), a required one left out is a 400.
 * Either sets the password `credentials.password.value` names; without one the password is kept.
 */
async function updateUser(ctx: OrgContext, req: EmuRequest, replace: boolean): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.users.manage');
  const id = req.params.id ?? '';
  // The user's own profile is `okta.users.manage.self`'s too (M15); its credentials are not.
  const by = requireScope(ctx, req, principal, 'okta.users', 'manage', ownUser(ctx, principal, id));
  const user = pathUser(ctx, principal, id);
  const { profile, credentials } = managementBody(req);
  const password = passwordOf(credentials);
  if (password !== undefined) requireScope(ctx, req, principal, 'okta.users', 'manage');
  const next = replace ? profile : { ...user.profile, ...profile };
  const problem = userProblem(ctx, next, password, user.id);
  if (problem !== undefined) return problem;
  if (by === 'self') keepUnverifiedEmails(user.profile, profile, next);
  user.profile = completeProfile(next);
  const now = ctx.clock.nowMs();
  if (password !== undefined) {
    user.password = password;
    user.passwordChanged = now;
  }
  user.lastUpdated = now;
  return jsonReply(200, userJson(ctx, user));
}

/** Okta's delete: the first DELETE deactivates an active user, a DELETE on a deprovisioned user removes it. */
async function deleteUser(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const principal = await authenticate(ctx, req, 'okta.users.manage');
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
    .add('POST', '/api/v1/users/:id', (req) => updateUser(ctx, req, false))
    .add('PUT', '/api/v1/users/:id', (req) => updateUser(ctx, req, true))
    .add('DELETE', '/api/v1/users/:id', (req) => deleteUser(ctx, req));
}
