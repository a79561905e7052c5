import type { OrgContext } from '../state/context.js';
import { groupsClaim } from './groups-claim.js';
import { signIdToken } from './id-token.js';
import { randomToken } from '../state/ids.js';
import type { AccessTokenRecord, AppRecord, RefreshTokenRecord, RotationMode, UserRecord } from '../state/model.js';

export interface IssueInput {
  app: AppRecord;
  scopes: string[];
  grant: string;
  jkt: string | undefined;
  user?: UserRecord | undefined;
  nonce?: string | undefined;
  authTime?: number | undefined;
  /** The `acr` the sign-in met, for the ID token. */
  acr?: string | undefined;
  /** For user grants: the refresh token to return (a new or a static one); none when undefined. */
  refreshToken?: RefreshTokenRecord | undefined;
}

export interface Issued {
  body: Record<string, unknown>;
  access: AccessTokenRecord;
}

/** Mint an opaque access token (and ID token when `openid` was granted) and build the token response. */
export async function issueTokens(ctx: OrgContext, input: IssueInput): Promise<Issued> {
  const now = ctx.clock.nowSeconds();
  const lifetime = ctx.settings.tokenLifetimeSeconds;
  // Before anything is minted: a groups claim that matches too many groups fails the request.
  const extra = input.user === undefined ? {} : groupsClaim(ctx, input.app, input.user, input.scopes);
  const access: AccessTokenRecord = {
    value: randomToken(48),
    jti: `AT.${randomToken(24)}`,
    clientId: input.app.clientId,
    scopes: input.scopes,
    userId: input.user?.id,
    jkt: input.jkt,
    issuedAt: now,
    expiresAt: now + lifetime,
    revoked: false,
    refreshToken: input.refreshToken?.value,
    grant: input.grant,
  };
  ctx.store.keep('accessTokens', access.value, access);
  const body: Record<string, unknown> = {
    token_type: input.jkt === undefined ? 'Bearer' : 'DPoP',
    expires_in: lifetime,
    access_token: access.value,
    scope: input.scopes.join(' '),
  };
  if (input.refreshToken !== undefined) body.refresh_token = input.refreshToken.value;
  if (input.user !== undefined && input.scopes.includes('openid')) {
    body.id_token = await signIdToken(ctx, {
      extra,
      clientId: input.app.clientId,
      user: input.user,
      scopes: input.scopes,
      nonce: input.nonce,
      authTime: input.authTime ?? now,
      acr: input.acr,
      accessToken: access.value,
    });
  }
  return { body, access };
}

export function newRefreshToken(
  ctx: OrgContext,
  input: { clientId: string; scopes: string[]; userId: string; jkt: string | undefined; authTime: number; acr?: string | undefined; familyId?: string },
): RefreshTokenRecord {
  const record: RefreshTokenRecord = {
    value: randomToken(40),
    clientId: input.clientId,
    scopes: input.scopes,
    userId: input.userId,
    jkt: input.jkt,
    issuedAt: ctx.clock.nowSeconds(),
    authTime: input.authTime,
    acr: input.acr,
    familyId: input.familyId ?? randomToken(12),
    rotatedAt: undefined,
    revoked: false,
  };
  ctx.store.keep('refreshTokens', record.value, record);
  return record;
}

/**
 * A sign-in app's refresh token settings, Okta's `settings.oauthClient.refresh_token` (`rotation_type`, `leeway`):
 * its own, else the org's rotation (`startEmulator`'s), else Okta's default for its type ("SPAs use refresh token
 * rotation as the default behavior. Native apps and web apps use persistent refresh token behavior as the default",
 * RT), and the 30 s default leeway; `undefined` for an app without the refresh grant.
 * The one reader for the refresh grant, the grace period and the Apps API.
 *
 * @example
 * const policy = refreshPolicy(ctx, app); // { rotation: 'rotate', leewaySeconds: 30 }
 *
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
export function refreshPolicy(ctx: OrgContext, app: AppRecord | undefined): { rotation: RotationMode; leewaySeconds: number } | undefined {
  if (app?.kind !== 'spa' && app?.kind !== 'web' && app?.kind !== 'native') return undefined;
  return { rotation: app.refreshTokenRotation ?? ctx.settings.refreshTokenRotation ?? (app.kind === 'spa' ? 'rotate' : 'static'), leewaySeconds: app.refreshTokenLeewaySeconds ?? ctx.settings.refreshTokenGraceSeconds };
}

/**
 * Where an unrevoked refresh token stands in its rotation family (RT, "Refresh token reuse detection" and "Grace period
 * for token rotation"): `current` (never rotated), `previous` (the token just rotated out, within its app's `leeway`,
 * else the org's 30 s: a use gets the family's `current` token back) or `spent` (rotated out longer ago, or further
 * back than the previous one: a use is a reuse). The one reader for the refresh grant and introspection.
 *
 * @example
 * const standing = refreshStanding(ctx, record); // { standing: 'previous', current: nextRecord }
 *
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#grace-period-for-token-rotation
 */
export function refreshStanding(ctx: OrgContext, record: RefreshTokenRecord): { standing: 'current' } | { standing: 'previous'; current: RefreshTokenRecord } | { standing: 'spent' } {
  if (record.rotatedAt === undefined) return { standing: 'current' };
  const leeway = refreshPolicy(ctx, ctx.store.apps.get(record.clientId))?.leewaySeconds ?? ctx.settings.refreshTokenGraceSeconds;
  const current = record.rotatedTo === undefined ? undefined : ctx.store.refreshTokens.get(record.rotatedTo);
  // Leeway 0 is no grace period at all: a reuse in the same second as the rotation is one too.
  if (leeway === 0 || ctx.clock.nowSeconds() - record.rotatedAt > leeway || current === undefined || current.revoked || current.rotatedAt !== undefined) return { standing: 'spent' };
  return { standing: 'previous', current };
}

/** Revoke a refresh token's whole rotation family and the access tokens minted from it. */

export function revokeRefreshFamily(ctx: OrgContext, familyId: string): void {
  const values = new Set<string>();
  for (const r of ctx.store.refreshTokens.values()) {
    if (r.familyId === familyId) {
      r.revoked = true;
      values.add(r.value);
    }
  }
  for (const a of ctx.store.accessTokens.values()) if (a.refreshToken !== undefined && values.has(a.refreshToken)) a.revoked = true;
}
