import type { AuthenticatedClient } from './client-auth.js';
import type { OrgContext } from '../state/context.js';
import { OAuthFailure } from '../http/errors.js';
import type { EmuRequest } from '../http/http-types.js';
import { logRefreshReuse } from './log-events.js';
import { sha256b64url } from '../state/ids.js';
import type { RefreshTokenRecord, UserRecord } from '../state/model.js';
import { grantedScopes, MAX_REFRESH_SCOPE_CHARACTERS, parseScopes } from './scopes.js';
import { issueTokens, newRefreshToken, refreshPolicy, refreshStanding, revokeRefreshFamily, type Issued } from './tokens.js';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * Grants per app type at the org authorization server. `client_credentials` is for service apps
 * (and OIN integrations) only; the device grant is for native apps only.
 *
 * @see https://developer.okta.com/docs/guides/device-authorization-grant/main/
 */
export const GRANTS_BY_KIND = {
  service: ['client_credentials'],
  oin: ['client_credentials'],
  spa: ['authorization_code', 'refresh_token'],
  web: ['authorization_code', 'refresh_token'],
  native: ['authorization_code', 'refresh_token', DEVICE_GRANT],
} as const;

export function checkGrantAllowed(client: AuthenticatedClient, grant: string): void {
  const allowed: readonly string[] = GRANTS_BY_KIND[client.app.kind];
  if (grant === 'client_credentials' && !allowed.includes(grant)) {
    throw new OAuthFailure(
      401,
      'invalid_client',
      "Only clients with 'application_type' of 'service' may use the client_credentials 'grant_type' with the Org Authorization Server.",
    );
  }
  if (!allowed.includes(grant)) {
    throw new OAuthFailure(
      400,
      'unauthorized_client',
      `The client is not authorized to use the provided grant type. Configured grant types: [${allowed.join(', ')}].`,
    );
  }
}

const invalidGrant = (description: string): OAuthFailure => new OAuthFailure(400, 'invalid_grant', description);

/** A parameter the grant requires (OIDC reference, /token), or 400 `invalid_request` (catalogue `missing_token_request_parameter`). */
function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new OAuthFailure(400, 'invalid_request', `The required parameter '${name}' is missing.`);
  return value;
}

function activeUser(ctx: OrgContext, userId: string | undefined): UserRecord {
  const user = userId === undefined ? undefined : ctx.store.users.get(userId);
  if (user?.status !== 'ACTIVE') throw invalidGrant('The user is not active.');
  return user;
}

function refreshFor(ctx: OrgContext, client: AuthenticatedClient, scopes: string[], user: UserRecord, jkt: string | undefined, authTime: number, acr?: string): RefreshTokenRecord | undefined {
  if (!scopes.includes('offline_access')) return undefined;
  return newRefreshToken(ctx, { clientId: client.app.clientId, scopes, userId: user.id, jkt, authTime, acr });
}

export async function clientCredentialsGrant(ctx: OrgContext, client: AuthenticatedClient, form: URLSearchParams, jkt: string | undefined): Promise<Issued> {
  const scopes = grantedScopes(client.app, parseScopes(form.get('scope')));
  return issueTokens(ctx, { app: client.app, scopes, grant: 'client_credentials', jkt });
}

/** PKCE at the token endpoint, with the codes and wording of Okta's OAuth error catalogue. */
function checkPkce(challenge: string | undefined, verifier: string | null): void {
  if (challenge === undefined) {
    if (verifier !== null) {
      throw new OAuthFailure(400, 'invalid_request', 'PKCE code challenge should be specified in the authorize request for code verification.');
    }
    return;
  }
  if (verifier === null) throw new OAuthFailure(400, 'invalid_request', 'PKCE code verifier is required by the application.');
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw invalidGrant('PKCE verification failed: the code_verifier must be 43 to 128 characters from [A-Za-z0-9-._~].');
  }
  if (sha256b64url(verifier) !== challenge) throw invalidGrant('PKCE verification failed.');
}

export async function authorizationCodeGrant(ctx: OrgContext, client: AuthenticatedClient, form: URLSearchParams, jkt: string | undefined): Promise<Issued> {
  const value = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const code = ctx.store.codes.get(value);
  if (code?.clientId !== client.app.clientId || ctx.clock.nowSeconds() >= code.expiresAt) {
    throw invalidGrant('The authorization code is invalid or has expired.');
  }
  if (code.used) {
    for (const v of code.issuedAccessTokens) {
      const t = ctx.store.accessTokens.get(v);
      if (t !== undefined) t.revoked = true;
    }
    const r = code.issuedRefreshToken === undefined ? undefined : ctx.store.refreshTokens.get(code.issuedRefreshToken);
    if (r !== undefined) revokeRefreshFamily(ctx, r.familyId);
    throw invalidGrant('The authorization code is invalid or has expired.');
  }
  if (redirectUri !== code.redirectUri) {
    throw invalidGrant("The 'redirect_uri' does not match the redirection URI used in the authorization request.");
  }
  checkPkce(code.codeChallenge, form.get('code_verifier'));
  code.used = true;
  const user = activeUser(ctx, code.userId);
  const refresh = refreshFor(ctx, client, code.scopes, user, jkt, code.authTime, code.acr);
  const issued = await issueTokens(ctx, {
    app: client.app,
    scopes: code.scopes,
    grant: 'authorization_code',
    jkt,
    user,
    nonce: code.nonce,
    authTime: code.authTime,
    acr: code.acr,
    refreshToken: refresh,
  });
  code.issuedAccessTokens.push(issued.access.value);
  code.issuedRefreshToken = refresh?.value;
  return issued;
}

export async function refreshTokenGrant(ctx: OrgContext, client: AuthenticatedClient, form: URLSearchParams, jkt: string | undefined, req: EmuRequest): Promise<Issued> {
  const record = ctx.store.refreshTokens.get(required(form, 'refresh_token'));
  if (record === undefined || record.revoked || record.clientId !== client.app.clientId) {
    throw invalidGrant('The refresh token is invalid or expired.');
  }
  const standing = refreshStanding(ctx, record);
  if (standing.standing === 'spent') {
    // RT, "Refresh token reuse detection": the family is revoked and the reuse recorded.
    revokeRefreshFamily(ctx, record.familyId);
    logRefreshReuse(ctx, req, record);
    throw invalidGrant('The refresh token is invalid or expired.');
  }
  if (record.jkt !== undefined && record.jkt !== jkt) {
    throw new OAuthFailure(400, 'invalid_dpop_proof', 'Invalid DPoP Public Key binding in refresh token');
  }
  const requested = parseScopes(form.get('scope'), MAX_REFRESH_SCOPE_CHARACTERS);
  const scopes = requested.length === 0 ? record.scopes : requested;
  const extra = scopes.filter((s) => !record.scopes.includes(s));
  if (extra.length > 0) {
    throw new OAuthFailure(400, 'access_denied', `Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: ${extra.join(' ')}.`);
  }
  const user = activeUser(ctx, record.userId);
  const app = client.app;
  const rotation = refreshPolicy(ctx, app)?.rotation;
  let next = record;
  if (standing.standing === 'previous') {
    // Within the grace period "to allow clients to get the new token" (RT): the current one again, not a new rotation.
    next = standing.current;
  } else if (rotation === 'rotate') {
    next = newRefreshToken(ctx, { clientId: app.clientId, scopes: record.scopes, userId: user.id, jkt: record.jkt, authTime: record.authTime, acr: record.acr, familyId: record.familyId });
    record.rotatedAt = ctx.clock.nowSeconds();
    record.rotatedTo = next.value;
  }
  return issueTokens(ctx, { app, scopes, grant: 'refresh_token', jkt, user, authTime: record.authTime, acr: record.acr, refreshToken: next });
}

export async function deviceCodeGrant(ctx: OrgContext, client: AuthenticatedClient, form: URLSearchParams, jkt: string | undefined): Promise<Issued> {
  const device = ctx.store.devices.get(required(form, 'device_code'));
  if (device?.clientId !== client.app.clientId || device.status === 'consumed') {
    throw invalidGrant('The device code is invalid or has expired.');
  }
  const now = ctx.clock.nowSeconds();
  if (now >= device.expiresAt) throw new OAuthFailure(400, 'expired_token', 'The device code has expired.');
  if (device.status === 'denied') throw new OAuthFailure(ctx.settings.deviceDeniedStatus, 'access_denied', 'The resource owner or authorization server denied the request.');
  if (device.status === 'pending') {
    const last = device.lastPolledAt;
    device.lastPolledAt = now;
    if (last !== undefined && now - last < device.intervalSeconds) {
      device.intervalSeconds += 5;
      throw new OAuthFailure(400, 'slow_down', 'Slow down the polling frequency. Please try again later.');
    }
    throw new OAuthFailure(400, 'authorization_pending', 'The device authorization is pending. Please try again later.');
  }
  device.status = 'consumed';
  const user = activeUser(ctx, device.userId);
  const authTime = device.authTime ?? now;
  const refresh = refreshFor(ctx, client, device.scopes, user, jkt, authTime);
  return issueTokens(ctx, { app: client.app, scopes: device.scopes, grant: DEVICE_GRANT, jkt, user, authTime, refreshToken: refresh });
}
