import type { OrgContext } from '../state/context.js';
import { oktaError, type OktaErrorCode } from '../http/errors.js';
import { jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { randomToken } from '../state/ids.js';
import { revokeRefreshFamily } from '../protocol/tokens.js';
import type { UserRecord, UserStatus } from '../state/model.js';
import { authenticate, requireScope, type Principal } from '../protocol/resource-auth.js';
import { logManagementEvent, userEntity, type EventKind } from '../protocol/log-events.js';
import type { Router } from '../http/router.js';
import { deactivate, findUserOr404, setStatus, userJson } from './users.js';

/*
 * `POST /api/v1/users/{id}/lifecycle/*` (OAS `UserLifecycle`; the Users reference, FIDELITY.md U-rows):
 * each operation from the statuses Okta names for it, Okta's error for any other status.
 */

/**
 * `sendEmail=false`: the link Okta would have emailed, with a one-time token (not kept: the page is not
 * emulated). 32 characters, a secret's shape (`secretShaped`), so no error of the emulator quotes one given
 * by mistake; Okta's examples show 20, but its API types the token an opaque string.
 */
function linkOrEmpty(ctx: OrgContext, req: EmuRequest, path: string, link: (url: string, token: string) => Record<string, string>): Reply {
  if (req.url.searchParams.get('sendEmail') !== 'false') return jsonReply(200, {});
  const token = randomToken(24);
  return jsonReply(200, link(`${ctx.url}/${path}/${token}`, token));
}

type Refusal = [status: number, code: OktaErrorCode, summary?: string, causes?: string[]];

interface Operation {
  /** Why the user's status does not allow the operation, or `undefined` when it does. */
  refuse: (user: UserRecord) => Refusal | undefined;
  apply: (ctx: OrgContext, req: EmuRequest, user: UserRecord) => Reply;
  event?: EventKind;
}

/** E0000001 with Okta's wording (observed: integrations match on these texts, see FIDELITY.md U3, U4). */
const notInStatus = (what: string): Refusal => [400, 'E0000001', `Api validation failed: ${what}`, [what]];
const notAllowed: Refusal = [403, 'E0000038'];

/** An operation that takes a user from one status to another, answering `{}` (`then`: what else it does to the user). */
const move = (from: UserStatus, to: UserStatus, refusal: Refusal, event: EventKind, then?: (ctx: OrgContext, user: UserRecord) => void): Operation => ({
  refuse: (u) => (u.status === from ? undefined : refusal),
  apply: (ctx, _req, user) => {
    setStatus(ctx, user, to);
    then?.(ctx, user);
    return jsonReply(200, {});
  },
  event,
});

/**
 * Suspension revokes the user's refresh tokens ("all Refresh Tokens associated with an entity are revoked when
 * … The User is Suspended or Deactivated", Okta's OAuth 2.0 reference, "Refresh Token Revocation"), each with
 * the access tokens it issued, as a revoked refresh token does (`/revoke`); unsuspending brings none back.
 */
function revokeRefreshTokens(ctx: OrgContext, user: UserRecord): void {
  for (const t of ctx.store.refreshTokens.values()) if (t.userId === user.id && !t.revoked) revokeRefreshFamily(ctx, t.familyId);
}

const OPERATIONS: Record<string, Operation> = {
  // Okta: "only on users with a `STAGED` or `DEPROVISIONED` status"; an active user: E0000016.
  activate: {
    refuse: (u) => (u.status === 'ACTIVE' ? [403, 'E0000016'] : u.status === 'STAGED' || u.status === 'DEPROVISIONED' ? undefined : notAllowed),
    apply: (ctx, req, user) => {
      setStatus(ctx, user, user.password === undefined ? 'PROVISIONED' : 'ACTIVE');
      user.activated = user.statusChanged;
      return linkOrEmpty(ctx, req, 'welcome', (activationUrl, activationToken) => ({ activationUrl, activationToken }));
    },
    event: 'userActivate',
  },
  deactivate: {
    refuse: () => undefined,
    apply: (ctx, _req, user) => {
      deactivate(ctx, user);
      return jsonReply(200, {});
    },
    event: 'userDeactivate',
  },
  suspend: move('ACTIVE', 'SUSPENDED', notInStatus('Cannot suspend a user that is not active'), 'userSuspend', revokeRefreshTokens),
  unsuspend: move('SUSPENDED', 'ACTIVE', notInStatus('Cannot unsuspend a user that is not suspended'), 'userUnsuspend'),
  // The emulator locks no one out, so an ACTIVE user is the one status unlock takes ("unlocks a user with an ACTIVE status").
  unlock: {
    refuse: (u) => (u.status === 'ACTIVE' ? undefined : [403, 'E0000032']),
    apply: () => jsonReply(200, {}),
  },
  expire_password: {
    refuse: (u) => (u.password !== undefined && (u.status === 'ACTIVE' || u.status === 'PASSWORD_EXPIRED') ? undefined : notAllowed),
    apply: (ctx, _req, user) => {
      setStatus(ctx, user, 'PASSWORD_EXPIRED');
      return jsonReply(200, userJson(ctx, user));
    },
  },
  reset_password: {
    refuse: (u) => (u.status === 'ACTIVE' || u.status === 'PASSWORD_EXPIRED' || u.status === 'RECOVERY' ? undefined : notAllowed),
    apply: (ctx, req, user) => {
      setStatus(ctx, user, 'RECOVERY');
      return linkOrEmpty(ctx, req, 'reset_password', (resetPasswordUrl) => ({ resetPasswordUrl }));
    },
  },
};

async function runOperation(ctx: OrgContext, req: EmuRequest, op: Operation): Promise<Reply> {
  const principal: Principal = await authenticate(ctx, req, 'okta.users.manage');
  requireScope(ctx, req, principal, 'okta.users', 'manage');
  const user = findUserOr404(ctx, req.params.id ?? '');
  const refusal = op.refuse(user);
  if (refusal !== undefined) return oktaError(...refusal);
  const reply = op.apply(ctx, req, user);
  if (op.event !== undefined) logManagementEvent(ctx, req, principal, op.event, [userEntity(user)]);
  return reply;
}

export function registerUserLifecycleRoutes(router: Router, ctx: OrgContext): void {
  for (const [name, op] of Object.entries(OPERATIONS)) {
    router.add('POST', `/api/v1/users/:id/lifecycle/${name}`, (req) => runOperation(ctx, req, op));
  }
}
