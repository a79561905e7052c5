import { OktaSignInError } from './errors.js';
import { readJsonObject } from './http.js';
import { UserTokens } from './tokens.js';

function bad(message: string, status: number): OktaSignInError {
  return new OktaSignInError('INVALID_TOKEN_RESPONSE', `Okta's token answer is not usable: ${message}.`, { status });
}

/**
 * Reads a successful token endpoint answer (RFC 6749 §5.1) into
 * {@link UserTokens}. A missing `refresh_token` keeps `previousRefreshToken`
 * (Okta's `STATIC` rotation may omit it). @internal
 */
export async function readTokenResponse(
  response: Response,
  now: number,
  previousRefreshToken?: string,
): Promise<UserTokens> {
  const body = await readJsonObject(response);
  if (body === undefined) throw bad('not a JSON object', response.status);
  const { access_token, token_type, expires_in, refresh_token, id_token, scope } = body;
  if (typeof access_token !== 'string' || access_token === '') throw bad('no access_token', response.status);
  if (typeof token_type !== 'string') throw bad('no token_type', response.status);
  const type = token_type.toLowerCase();
  if (type !== 'bearer' && type !== 'dpop') throw bad(`token_type "${token_type.slice(0, 20)}" is neither Bearer nor DPoP`, response.status);
  if (expires_in !== undefined && (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0)) {
    throw bad('expires_in is not a positive number', response.status);
  }
  if (refresh_token !== undefined && (typeof refresh_token !== 'string' || refresh_token === '')) throw bad('refresh_token is not a string', response.status);
  if (id_token !== undefined && (typeof id_token !== 'string' || id_token === '')) throw bad('id_token is not a string', response.status);
  if (scope !== undefined && typeof scope !== 'string') throw bad('scope is not a string', response.status);
  return new UserTokens({
    accessToken: access_token,
    tokenType: type === 'dpop' ? 'DPoP' : 'Bearer',
    expiresAt: expires_in === undefined ? undefined : now + expires_in * 1000,
    refreshToken: refresh_token ?? previousRefreshToken,
    idToken: id_token,
    scope,
  });
}
