import { invalidOption, LOGIN_OR_ID_SHAPE, OKTA_ID_SHAPE, OktaEmulatorError, optionsOf, shown, unknownId } from '../emulator-error.js';
import { API_TOKEN_FIELDS, checkFields } from '../options.js';
import { apiTokenEntity, logEvent, SYSTEM_ACTOR, userEntity } from '../protocol/log-events.js';
import type { OrgContext } from './context.js';
import { SEED_PASSWORD } from './store.js';
import type { ApiTokenRecord } from './model.js';

/*
 * The org's API tokens as the test controls make and end them (`createApiToken`, `revokeApiToken`,
 * `expireApiToken` of `OktaEmulator`, implemented in emulator.ts): checked, stored, and logged as
 * `system.api_token.*` events.
 */

/**
 * The login of the super admin every org starts with (password `SEED_PASSWORD`): the creator of an API
 * token made without a `user`, as a token at Okta is always some admin's.
 *
 * @example
 * ```ts
 * const org = await startEmulator();
 * const { token } = org.createApiToken(); // GET /api/v1/users/me with it answers SEED_ADMIN_LOGIN
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export const SEED_ADMIN_LOGIN = 'superadmin@example.com';

/** The org's seeded super admin (`SEED_ADMIN_LOGIN`), its first user. */
export function seedAdmin(ctx: OrgContext): void {
  ctx.store.createUser({ login: SEED_ADMIN_LOGIN, password: SEED_PASSWORD, firstName: 'Super', lastName: 'Admin', admin: true }, ctx.clock.nowMs());
}

/**
 * `OktaEmulator.createApiToken`: a live token created by the given user (a login or id), or by the org's first active
 * admin. It acts as that user for good: refused (401) once the user is not active, 403 on admin calls if not an admin.
 */
export function createApiToken(ctx: OrgContext, given: { name?: string | undefined; user?: string | undefined } | undefined): { id: string; token: string } {
  const opts = optionsOf('createApiToken', given, "{ user: 'admin@example.com' }", API_TOKEN_FIELDS, true);
  if (opts.user !== undefined && typeof opts.user !== 'string') invalidOption('createApiToken', 'user', `must be a login or user id of an admin, or unset for the org's first admin, not ${shown(opts.user)}.`);
  const user = opts.user === undefined ? [...ctx.store.users.values()].find((u) => u.admin && u.status === 'ACTIVE') : ctx.store.findUser(opts.user);
  if (user === undefined) {
    const missing = opts.user === undefined ? "the org has no active admin (its seeded super admin was ended)" : unknownId(opts.user, 'no user with', 'login or id', LOGIN_OR_ID_SHAPE);
    throw new OktaEmulatorError('NOT_FOUND', 'user', `createApiToken: ${missing}: create the admin first with createUser({ login, password, admin: true }), or leave user unset for the org's first active admin.`);
  }
  checkFields(opts, 'createApiToken', { name: 'text' });
  const t = ctx.store.createApiToken(opts.name ?? 'emulator token', ctx.clock.nowMs(), user.id);
  logApiToken(ctx, 'apiTokenCreate', t);
  return { id: t.id, token: t.token };
}

/** `system.api_token.*`: the token's admin as the actor, the token (its id and name, never its value) as the target. */
function logApiToken(ctx: OrgContext, kind: 'apiTokenCreate' | 'apiTokenRevoke', t: ApiTokenRecord): void {
  const owner = ctx.store.apiTokenOwner(t);
  logEvent(ctx, undefined, kind, { actor: owner === undefined ? SYSTEM_ACTOR : userEntity(owner), target: [apiTokenEntity(t)] });
}

function apiToken(ctx: OrgContext, id: string, where: string): ApiTokenRecord {
  const t = ctx.store.apiTokens.get(id);
  if (t !== undefined) return t;
  // Quoted only when it has the shape of an id: a token's value given by mistake is a secret.
  const isToken = [...ctx.store.apiTokens.values()].some((other) => other.token === id);
  const given = isToken ? 'the value of an API token, not its id' : unknownId(id, 'no API token with', 'id', OKTA_ID_SHAPE);
  throw new OktaEmulatorError('NOT_FOUND', 'id', `${where}: ${given}: give the id that createApiToken returned.`);
}

/** `OktaEmulator.revokeApiToken`: the token then answers 401 `E0000011`. */
export function revokeApiToken(ctx: OrgContext, id: string): void {
  const t = apiToken(ctx, id, 'revokeApiToken');
  t.status = 'REVOKED';
  logApiToken(ctx, 'apiTokenRevoke', t);
}

/** `OktaEmulator.expireApiToken`: the token then answers 401 `E0000011`. */
export function expireApiToken(ctx: OrgContext, id: string): void {
  apiToken(ctx, id, 'expireApiToken').status = 'EXPIRED';
}
