import { Secret } from '@org/okta-auth-core';
import { OktaOAuthError } from '../errors.js';

/** A token endpoint answer that passed every check. @internal */
export interface TokenResponse {
  readonly accessToken: Secret;
  /** Normalised from the case-insensitive `token_type`. */
  readonly tokenType: 'Bearer' | 'DPoP';
  /** Lifetime in seconds, as `expires_in` said. */
  readonly expiresIn: number;
  /** Granted scopes, as Okta listed them (may be fewer than requested). */
  readonly scope: string | undefined;
  readonly refreshToken: Secret | undefined;
  readonly idToken: Secret | undefined;
}

/** Tokens longer-lived than this are not believable for Okta (its tokens last 5 min to 1 day). */
const maximumLifetimeSeconds = 366 * 24 * 3600;
/** Shorter-lived tokens would be renewed on (nearly) every call: a token request per request. */
const minimumLifetimeSeconds = 1;

function invalid(message: string, response: Response): OktaOAuthError {
  return new OktaOAuthError('INVALID_TOKEN_RESPONSE', `Okta's token endpoint answered ${response.status} but ${message}; nothing was cached.`, {
    status: response.status,
    requestId: response.headers.get('x-okta-request-id') ?? undefined,
  });
}

function readExpiresIn(value: unknown, response: Response): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) seconds = Number(value.trim());
  else if (value === undefined || value === null) throw invalid('without "expires_in", so the token\'s lifetime is unknown', response);
  else throw invalid(`with an "expires_in" that is not a number (${typeof value})`, response);
  if (!Number.isFinite(seconds) || seconds < minimumLifetimeSeconds || seconds > maximumLifetimeSeconds) {
    throw invalid(`with an unusable "expires_in" (${String(seconds)} s; accepted: ${minimumLifetimeSeconds} s to ${maximumLifetimeSeconds} s)`, response);
  }
  return seconds;
}

function optionalSecret(value: unknown): Secret | undefined {
  return typeof value === 'string' && value !== '' ? new Secret(value) : undefined;
}

/**
 * Reads a 2xx token endpoint answer (RFC 6749 §5.1) and refuses anything that is not a usable
 * token: a body that is not a JSON object, a missing or empty `access_token`, a `token_type`
 * other than Bearer/DPoP (compared without regard to case), a missing, non-numeric, zero,
 * negative, sub-second or absurd (over 366 days) `expires_in`. Never puts the body in a message.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @internal
 */
export async function parseTokenResponse(response: Response): Promise<TokenResponse> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw invalid('the body could not be read (the connection closed early)', response);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw invalid(`with a body that is not JSON (${type.split(';')[0] ?? type}, ${text.length} bytes)`, response);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('with JSON that is not an object', response);
  const fields = body as Record<string, unknown>;
  const accessToken = fields.access_token;
  if (typeof accessToken !== 'string' || accessToken.trim() === '') throw invalid('without an "access_token"', response);
  if (!/^[\x21-\x7E]+$/.test(accessToken)) throw invalid('with an "access_token" that cannot go in an HTTP header', response);
  const rawType = fields.token_type;
  if (typeof rawType !== 'string') throw invalid('without a "token_type"', response);
  const lowered = rawType.toLowerCase();
  if (lowered !== 'bearer' && lowered !== 'dpop') throw invalid(`with the unexpected token_type "${rawType.slice(0, 20)}" (expected Bearer or DPoP)`, response);
  const expiresIn = readExpiresIn(fields.expires_in, response);
  const scope = fields.scope;
  return {
    accessToken: new Secret(accessToken),
    tokenType: lowered === 'dpop' ? 'DPoP' : 'Bearer',
    expiresIn,
    scope: typeof scope === 'string' ? scope : undefined,
    refreshToken: optionalSecret(fields.refresh_token),
    idToken: optionalSecret(fields.id_token),
  };
}
