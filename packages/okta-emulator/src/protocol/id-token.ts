import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { OrgContext } from '../state/context.js';
import { randomToken } from '../state/ids.js';
import type { UserRecord } from '../state/model.js';

export interface IdTokenInput {
  clientId: string;
  user: UserRecord;
  scopes: string[];
  nonce: string | undefined;
  authTime: number;
  /** The `acr_values` value the sign-in met, if one was asked for. */
  acr?: string | undefined;
  accessToken: string | undefined;
  /** Extra claims (the app's groups claim). */
  extra?: Record<string, unknown> | undefined;
}

/** `at_hash`: base64url of the left half of SHA-256(access token) (OIDC Core 3.1.3.6, RS256). */
function atHash(token: string): string {
  const digest = createHash('sha256').update(token, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * Sign an ID token with the org's current RS256 key. Profile claims follow the granted scopes, as
 * at Okta: `name` and `preferred_username` with `profile`, `email` with `email`. A pending
 * {@link OrgContext.corruptNextIdToken} is applied (once).
 *
 * @see https://developer.okta.com/docs/reference/api/oidc/#id-token
 */
export async function signIdToken(ctx: OrgContext, input: IdTokenInput): Promise<string> {
  const now = ctx.clock.nowSeconds();
  const corruption = ctx.corruptNextIdToken;
  ctx.corruptNextIdToken = undefined;
  const { user, scopes } = input;
  const claims: Record<string, unknown> = {
    sub: user.id,
    ver: 1,
    iss: corruption === 'issuer' ? 'https://evil.example.com' : ctx.url,
    aud: corruption === 'audience' ? `${input.clientId}-other` : input.clientId,
    iat: corruption === 'expired' ? now - 7200 : corruption === 'future-iat' ? now + 3600 : now,
    exp: corruption === 'expired' ? now - 3600 : now + 3600,
    jti: `ID.${randomToken(24)}`,
    amr: ['pwd'],
    idp: ctx.url,
    auth_time: input.authTime,
    ...(input.acr === undefined ? {} : { acr: input.acr }),
  };
  if (input.nonce !== undefined || corruption === 'nonce') {
    claims.nonce = corruption === 'nonce' ? `${input.nonce ?? ''}-tampered` : input.nonce;
  }
  if (scopes.includes('profile')) {
    claims.name = `${user.profile.firstName} ${user.profile.lastName}`;
    claims.preferred_username = user.profile.login;
  }
  if (scopes.includes('email')) claims.email = user.profile.email;
  if (input.accessToken !== undefined) claims.at_hash = atHash(input.accessToken);
  Object.assign(claims, input.extra);
  if (corruption === 'azp') Object.assign(claims, { aud: [input.clientId, `${input.clientId}-other`], azp: `${input.clientId}-other` });
  await ctx.signingKeys.ready();
  const key = ctx.signingKeys.current();
  const kid = corruption === 'unknown-kid' ? 'kid-nobody-publishes' : key.kid;
  const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key.privateKey);
  if (corruption !== 'signature') return jwt;
  const [h = '', p = '', s = ''] = jwt.split('.');
  const flipped = s.startsWith('A') ? `B${s.slice(1)}` : `A${s.slice(1)}`;
  return `${h}.${p}.${flipped}`;
}
