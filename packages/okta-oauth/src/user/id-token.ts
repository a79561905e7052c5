import { errors, jwtVerify, type JWTPayload } from 'jose';
import { isOktaAuthError } from '@org/okta-auth-core';
import type { OrgServerMetadata } from './discovery.js';
import { OktaSignInError, type IdTokenFailure } from './errors.js';
import type { JwksCache } from './jwks.js';

/**
 * The claims of a validated ID token. Standard OIDC claims are typed; Okta
 * adds others (`amr`, `idp`, `auth_time`, profile claims by scope).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://developer.okta.com/docs/reference/api/oidc/#id-token-payload
 * @example
 * ```ts
 * const { claims } = await client.finishSignIn(callbackUrl, transaction);
 * const who = claims?.preferred_username ?? claims?.sub;
 * ```
 */
export interface IdTokenClaims extends JWTPayload {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly exp: number;
  readonly iat: number;
  /** The nonce of the sign-in (checked). */
  readonly nonce?: string;
  /** When the user authenticated (epoch seconds). */
  readonly auth_time?: number;
  /** The user's full name (with the `profile` scope). */
  readonly name?: string;
  /** The user's email (with the `email` scope). */
  readonly email?: string;
  /** The user's Okta login (with the `profile` scope). */
  readonly preferred_username?: string;
}

/** What {@link validateIdToken} checks against. @internal */
export interface IdTokenExpectations {
  readonly metadata: OrgServerMetadata;
  readonly clientId: string;
  readonly jwks: JwksCache;
  readonly clockSkewSeconds: number;
  readonly now: () => number;
  /** The nonce sent on `/authorize`; the claim must equal it. */
  readonly nonce?: string | undefined;
  /** `max_age` sent on `/authorize`; `auth_time` must then be present and recent enough. */
  readonly maxAgeSeconds?: number | undefined;
  /** On refresh: the claims of the ID token being replaced (OIDC Core §12.2). */
  readonly previous?: IdTokenClaims | undefined;
  readonly signal?: AbortSignal | undefined;
}

function invalid(reason: IdTokenFailure, message: string, cause?: unknown): OktaSignInError {
  return new OktaSignInError('ID_TOKEN_INVALID', `The ID token is invalid: ${message}.`, { reason, cause });
}

function mapJoseError(error: unknown): Error {
  if (error instanceof OktaSignInError) return error;
  if (error instanceof errors.JWTExpired) return invalid('expired', 'it has expired (exp is in the past, beyond the allowed clock skew)');
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return invalid('issuer', 'its issuer is not the org URL');
      case 'aud':
        return invalid('audience', 'its audience is not this client');
      case 'exp':
        return invalid('expired', 'it has no valid exp');
      case 'iat':
        return invalid('issued-in-future', 'it has no valid iat');
      default:
        return invalid('malformed', `claim "${error.claim}" is missing or malformed`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('signature', 'its signature does not verify with the org signing key');
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('signature', 'it is signed with a key the org does not publish');
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm', 'it is signed with an algorithm the org does not list');
  if (error instanceof errors.JOSEError) return invalid('malformed', 'it is not a well-formed signed JWT', error);
  // Transport failures fetching the keys stay as they are; anything else (a WebCrypto
  // DataError for a published key it cannot import, say) is a failed validation.
  if (isOktaAuthError(error)) return error;
  return invalid('signature', 'it could not be verified: a signing key the org published cannot be used', error instanceof Error ? new Error(`${error.name}: ${error.message}`.slice(0, 200)) : undefined);
}

/**
 * Validates an ID token: the signature against the org's JWKS (refetched once
 * for an unknown `kid`), `iss` = the org issuer, `aud` contains the client ID
 * (and `azp` is the client when there are several audiences), `exp` and
 * `iat` within the clock skew, `sub` present, `nonce`, and `auth_time`
 * when `max_age` was asked for.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @internal
 */
export async function validateIdToken(idToken: string, expect: IdTokenExpectations): Promise<IdTokenClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, expect.jwks.resolver(expect.signal), {
      issuer: expect.metadata.issuer,
      audience: expect.clientId,
      algorithms: [...expect.metadata.idTokenSigningAlgs],
      clockTolerance: expect.clockSkewSeconds,
      currentDate: new Date(expect.now()),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw mapJoseError(error);
  }
  const now = Math.floor(expect.now() / 1000);
  const claims = payload as IdTokenClaims;
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('malformed', 'it has no sub');
  if (claims.iat > now + expect.clockSkewSeconds) throw invalid('issued-in-future', 'its iat is in the future, beyond the allowed clock skew');
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== expect.clientId) {
    throw invalid('audience', 'it has several audiences and azp is not this client');
  }
  if (claims.azp !== undefined && claims.azp !== expect.clientId) throw invalid('audience', 'its azp is not this client');
  if (expect.nonce !== undefined && claims.nonce !== expect.nonce) {
    throw invalid('nonce', 'its nonce is not the one this sign-in sent (a replayed or crossed ID token)');
  }
  if (expect.maxAgeSeconds !== undefined) {
    if (typeof claims.auth_time !== 'number') throw invalid('auth-time', 'max_age was requested but it has no auth_time');
    if (claims.auth_time + expect.maxAgeSeconds + expect.clockSkewSeconds < now) {
      throw invalid('auth-time', 'the user authenticated longer ago than max_age allows');
    }
  }
  const previous = expect.previous;
  if (previous !== undefined) {
    if (claims.sub !== previous.sub) throw invalid('subject', 'the refreshed ID token is for another user');
    if (claims.nonce !== undefined && previous.nonce !== undefined && claims.nonce !== previous.nonce) {
      throw invalid('nonce', 'the refreshed ID token carries another nonce');
    }
  }
  return Object.freeze(claims);
}
