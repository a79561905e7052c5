import type { OrgContext } from '../state/context.js';
import { header, type EmuRequest } from '../http/http-types.js';
import type { Principal } from './resource-auth.js';
import { randomToken, sha256b64url } from '../state/ids.js';
import type { LogEntity, LogEvent } from '../state/system-log.js';
import type { AccessTokenRecord, ApiTokenRecord, GroupRecord, RefreshTokenRecord, UserRecord } from '../state/model.js';

/*
 * The events the emulator records in its System Log, with Okta's event types (checked against the
 * catalogue, okta/okta-developer-docs data/event-types.json, release 2026.08.1). Nothing here takes a
 * secret: an event names a token by its id, its `jti` or a hash prefix, a request by its path
 * without the query, a client by its client id.
 */

/** The System Log event types the emulator records. */
export const EVENT_TYPES = {
  userCreate: ['user.lifecycle.create', 'Create Okta user'],
  userActivate: ['user.lifecycle.activate', 'Activate Okta user'],
  userDeactivate: ['user.lifecycle.deactivate', 'Deactivate Okta user'],
  userDelete: ['user.lifecycle.delete.completed', 'Delete Okta user completed'],
  userSuspend: ['user.lifecycle.suspend', 'Suspend Okta user'],
  userUnsuspend: ['user.lifecycle.unsuspend', 'Unsuspend Okta user'],
  groupAdd: ['group.user_membership.add', 'Add user to group membership'],
  groupRemove: ['group.user_membership.remove', 'Remove user from group membership'],
  sessionStart: ['user.session.start', 'User login to Okta'],
  accessToken: ['app.oauth2.token.grant.access_token', 'OIDC access token is granted'],
  refreshToken: ['app.oauth2.token.grant.refresh_token', 'OIDC refresh token is granted'],
  idToken: ['app.oauth2.token.grant.id_token', 'OIDC id token is granted'],
  revoke: ['app.oauth2.token.revoke', 'OIDC token revocation request'],
  refreshReuse: ['app.oauth2.token.detect_reuse', 'Detect one-time refresh token attempted reuse'],
  apiTokenCreate: ['system.api_token.create', 'Create API token'],
  apiTokenRevoke: ['system.api_token.revoke', 'Revoke API token'],
  rateLimit: ['system.org.rate_limit.violation', 'Rate limit violation'],
} as const;

export type EventKind = keyof typeof EVENT_TYPES;

const entity = (id: string, type: string, alternateId: string | null = null, displayName: string | null = null): LogEntity => ({
  id,
  type,
  alternateId,
  displayName,
  detailEntry: null,
});

/** The Okta system as an actor (no request made by a person or an app). */
export const SYSTEM_ACTOR: LogEntity = entity('system', 'SystemPrincipal', 'system@okta.com', 'Okta System');

export function userEntity(u: UserRecord): LogEntity {
  return entity(u.id, 'User', u.profile.login, `${u.profile.firstName} ${u.profile.lastName}`);
}

export function groupEntity(g: GroupRecord): LogEntity {
  return entity(g.id, 'UserGroup', 'unknown', g.profile.name);
}

export function apiTokenEntity(t: ApiTokenRecord): LogEntity {
  return entity(t.id, 'Token', null, t.name);
}

/** An OAuth client by its client id (and label when it has one). */
export function clientEntity(ctx: OrgContext, clientId: string): LogEntity {
  const app = ctx.store.apps.get(clientId);
  const label = app !== undefined && 'label' in app ? app.label : undefined;
  return entity(clientId, 'PublicClientApp', clientId, label ?? clientId);
}

/** A token as a target: never its value (an access token by its `jti`, any other by a hash prefix). */
export function tokenEntity(type: 'access_token' | 'refresh_token' | 'id_token', idOrValue: string, isJti = false): LogEntity {
  return entity(isJti ? idOrValue : `${type === 'refresh_token' ? 'rt' : 'ID'}.${sha256b64url(idOrValue).slice(0, 20)}`, type);
}

/** Who made a management call: an API token's admin, the user a token was issued to, or the app. */
export function principalActor(ctx: OrgContext, principal: Principal): LogEntity {
  if (principal.kind === 'ssws') {
    const owner = ctx.store.apiTokenOwner(principal.token);
    return owner === undefined ? SYSTEM_ACTOR : userEntity(owner);
  }
  const user = principal.token.userId === undefined ? undefined : ctx.store.users.get(principal.token.userId);
  return user === undefined ? clientEntity(ctx, principal.token.clientId) : userEntity(user);
}

export interface EventSpec {
  actor: LogEntity;
  target?: LogEntity[] | undefined;
  outcome?: string | undefined;
  reason?: string | undefined;
  severity?: LogEvent['severity'] | undefined;
  /** The OAuth client the request came through, when there is one. */
  clientId?: string | undefined;
  /** An API token's id, as Okta's `transaction.detail.requestApiTokenId`. */
  apiTokenId?: string | undefined;
  credentialType?: string | undefined;
  debugData?: Record<string, unknown> | undefined;
  /** When the event happened (ms on the org clock); default now. */
  published?: number | undefined;
}

/**
 * Record an event of `kind` (one of {@link EVENT_TYPES}, or a test's own type and message) for the
 * request `req`, or without one as a job of the org itself. Returns the event's `uuid`.
 */
export function logEvent(ctx: OrgContext, req: EmuRequest | undefined, kind: EventKind | readonly [string, string | null], spec: EventSpec): string {
  const [eventType, displayMessage] = typeof kind === 'string' ? EVENT_TYPES[kind] : kind;
  const ua = req === undefined ? undefined : header(req, 'user-agent');
  const ip = req?.remoteAddress ?? null;
  return ctx.systemLog.record({
    published: spec.published,
    eventType,
    displayMessage,
    severity: spec.severity ?? 'INFO',
    legacyEventType: null,
    actor: spec.actor,
    client: {
      userAgent: { rawUserAgent: ua ?? 'UNKNOWN', os: 'Unknown', browser: 'UNKNOWN' },
      zone: 'null',
      device: 'Unknown',
      id: spec.clientId ?? null,
      ipAddress: ip,
      geographicalContext: null,
    },
    outcome: { result: spec.outcome ?? 'SUCCESS', reason: spec.reason ?? null },
    target: spec.target ?? [],
    transaction: {
      type: req === undefined ? 'JOB' : 'WEB',
      id: req?.requestId ?? randomToken(15).replace(/[-_]/g, 'A'),
      detail: spec.apiTokenId === undefined ? {} : { requestApiTokenId: spec.apiTokenId },
    },
    // The path alone: a query may carry a code, a token hint or a state.
    debugContext: { debugData: { ...(req === undefined ? {} : { requestUri: req.rawPath }), ...spec.debugData } },
    authenticationContext: {
      authenticationProvider: spec.credentialType === 'PASSWORD' ? 'OKTA_AUTHENTICATION_PROVIDER' : null,
      credentialProvider: null,
      credentialType: spec.credentialType ?? null,
      issuer: null,
      interface: null,
      authenticationStep: 0,
      externalSessionId: null,
    },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    request: { ipChain: ip === null ? [] : [{ ip, geographicalContext: null, version: ip.includes(':') ? 'V6' : 'V4', source: null }] },
  }).event.uuid;
}

/** Record a management call's event: its actor is the call's principal, with the API token's id. */
export function logManagementEvent(ctx: OrgContext, req: EmuRequest, principal: Principal, kind: EventKind, target: LogEntity[]): void {
  logEvent(ctx, req, kind, {
    actor: principalActor(ctx, principal),
    target,
    clientId: principal.kind === 'oauth' ? principal.token.clientId : undefined,
    apiTokenId: principal.kind === 'ssws' ? principal.token.id : undefined,
  });
}

/** `user.session.start` for a sign-in on a page: SUCCESS with the user, or FAILURE with the login typed (never the password). */
export function logSignIn(ctx: OrgContext, req: EmuRequest, user: UserRecord | undefined, username: string, clientId: string | undefined): void {
  const actor = user === undefined ? entity('unknown', 'User', username.trim().slice(0, 255), 'unknown') : userEntity(user);
  logEvent(ctx, req, 'sessionStart', {
    actor,
    outcome: user === undefined ? 'FAILURE' : 'SUCCESS',
    reason: user === undefined ? 'INVALID_CREDENTIALS' : undefined,
    severity: user === undefined ? 'WARN' : 'INFO',
    clientId,
    credentialType: 'PASSWORD',
  });
}

/** The grant events of a token response: the access token, and the refresh and ID tokens it carries. */
export function logTokenGrant(ctx: OrgContext, req: EmuRequest, access: AccessTokenRecord, body: Record<string, unknown>): void {
  const user = access.userId === undefined ? undefined : ctx.store.users.get(access.userId);
  const spec = { actor: user === undefined ? clientEntity(ctx, access.clientId) : userEntity(user), clientId: access.clientId, debugData: { grantType: access.grant } };
  logEvent(ctx, req, 'accessToken', { ...spec, target: [tokenEntity('access_token', access.jti, true)] });
  if (typeof body.refresh_token === 'string') logEvent(ctx, req, 'refreshToken', { ...spec, target: [tokenEntity('refresh_token', body.refresh_token)] });
  if (typeof body.id_token === 'string') logEvent(ctx, req, 'idToken', { ...spec, target: [tokenEntity('id_token', body.id_token)] });
}

/**
 * `app.oauth2.token.detect_reuse`: a rotated refresh token presented past its grace period ("information about
 * the user, client to which the refresh token was minted, and the hash of the refresh tokens", Okta's event-type
 * catalogue) [I: FAILURE and WARN].
 */
export function logRefreshReuse(ctx: OrgContext, req: EmuRequest, reused: RefreshTokenRecord): void {
  const user = ctx.store.users.get(reused.userId);
  logEvent(ctx, req, 'refreshReuse', {
    actor: user === undefined ? clientEntity(ctx, reused.clientId) : userEntity(user),
    target: [tokenEntity('refresh_token', reused.value)],
    outcome: 'FAILURE',
    severity: 'WARN',
    clientId: reused.clientId,
  });
}

/** `system.org.rate_limit.violation`: the bucket, its limit and reset, and the API token or app that hit it. */
export function logRateLimitViolation(ctx: OrgContext, req: EmuRequest, bucket: string, principal: string | undefined, d: { limit: number; reset: number }): void {
  const at = principal?.indexOf(':') ?? -1;
  const kind = principal?.slice(0, at);
  const id = principal?.slice(at + 1) ?? '';
  logEvent(ctx, req, 'rateLimit', {
    actor: kind === 'app' ? clientEntity(ctx, id) : SYSTEM_ACTOR,
    outcome: 'DENY',
    severity: 'WARN',
    clientId: kind === 'app' ? id : undefined,
    apiTokenId: kind === 'token' ? id : undefined,
    debugData: { rateLimitBucketUri: bucket, rateLimitThreshold: String(d.limit), rateLimitSecondsToReset: String(Math.max(0, d.reset - ctx.clock.nowSeconds())) },
  });
}
