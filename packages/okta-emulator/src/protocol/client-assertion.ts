import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload } from 'jose';
import type { OrgContext } from '../state/context.js';
import { OAuthFailure } from '../http/errors.js';

/** Signing algorithms Okta accepts for `private_key_jwt` client assertions. */
export const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

/** HMAC algorithms Okta accepts for `client_secret_jwt` client assertions (keyed with the client secret). */
export const SECRET_ASSERTION_ALGS = ['HS256', 'HS384', 'HS512'] as const;

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Okta fails an assertion whose `exp` is more than one hour in the future. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 3600;

const invalid = (description: string): OAuthFailure => new OAuthFailure(401, 'invalid_client', description);

/** The `iss`/`sub` of an assertion, read before verification to find the client. */
export function assertionClientId(assertion: string): string | undefined {
  try {
    const claims = decodeJwt(assertion);
    return claims.sub ?? claims.iss;
  } catch {
    return undefined;
  }
}

/** The `alg` of an assertion, read before verification to tell `client_secret_jwt` from `private_key_jwt`. */
export function assertionAlg(assertion: string): string | undefined {
  try {
    return decodeProtectedHeader(assertion).alg;
  } catch {
    return undefined;
  }
}

function parse(assertion: string): { header: ReturnType<typeof decodeProtectedHeader>; claims: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(assertion), claims: decodeJwt(assertion) };
  } catch {
    throw invalid('The parsing of the client_assertion failed.');
  }
}

/**
 * Verify a `client_secret_jwt` client assertion: HS256/384/512 keyed with the app's client secret
 * (Okta: "a JWT that you sign with the client_secret using an HMAC SHA algorithm"), then the same
 * claim rules as `private_key_jwt`.
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#jwt-with-shared-key
 */
export async function verifySecretAssertion(ctx: OrgContext, app: { clientId: string; secrets: readonly string[] }, assertion: string, audience: string): Promise<void> {
  const { header, claims } = parse(assertion);
  const alg = header.alg ?? '';
  if (!(SECRET_ASSERTION_ALGS as readonly string[]).includes(alg)) throw invalid('The client_assertion JWT signature algorithm is invalid.');
  // Signed with any of the app's active secrets (two during a rotation).
  let verified = false;
  for (const secret of app.secrets) {
    try {
      await compactVerify(assertion, new TextEncoder().encode(secret), { algorithms: [alg] });
      verified = true;
      break;
    } catch {
      // the other active secret, if any
    }
  }
  if (!verified) throw invalid('The client_assertion signature is invalid.');
  checkClaims(ctx, app.clientId, claims, audience);
}

/**
 * Verify a `private_key_jwt` client assertion as Okta does (rules and wording from Okta's guide "Build
 * a JWT for client authentication" and its OAuth error catalogue, see docs/FIDELITY.md): key chosen
 * by `kid` among the app's registered keys, RS/ES 256/384/512 only, `iss` = `sub` = client id,
 * `aud` = the endpoint URL exactly, `exp` required, in the future and at most one hour ahead, `iat`
 * optional but not in the future, `jti` optional but single-use when present.
 *
 * @see https://developer.okta.com/docs/guides/build-self-signed-jwt/main/
 */
export async function verifyClientAssertion(ctx: OrgContext, app: { clientId: string; keys: readonly JWK[] }, assertion: string, audience: string): Promise<void> {
  const { header, claims } = parse(assertion);
  const alg = header.alg ?? '';
  if (!(ASSERTION_ALGS as readonly string[]).includes(alg)) throw invalid('The client_assertion JWT signature algorithm is invalid.');
  let jwk;
  if (header.kid !== undefined) {
    jwk = app.keys.find((k) => k.kid === header.kid);
  } else if (app.keys.length === 1) {
    jwk = app.keys[0];
  }
  if (jwk === undefined) throw invalid('The client_assertion JWT kid is invalid.');

  try {
    // The signature only: the claims are checked below, with Okta's wording for each.
    await compactVerify(assertion, await importJWK({ ...jwk, alg }, alg), { algorithms: [alg] });
  } catch {
    throw invalid('The client_assertion signature is invalid.');
  }
  checkClaims(ctx, app.clientId, claims, audience);
}

/** The claim rules both assertion methods share: `iss`, `sub`, `aud`, `exp`, `iat`, `nbf`, a single-use `jti`. */
function checkClaims(ctx: OrgContext, clientId: string, claims: JWTPayload, audience: string): void {
  if (claims.iss !== clientId) throw invalid('The issuer claim for client_assertion is not a valid client_id.');
  if (claims.sub !== clientId) throw invalid('The subject claim for client_assertion is not a valid client_id.');
  const aud = claims.aud;
  const audOk = typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.length === 1 && aud[0] === audience;
  if (!audOk) throw invalid('The audience claim for client_assertion must be the endpoint invoked for the request.');
  const now = ctx.clock.nowSeconds();
  if (typeof claims.exp !== 'number') throw invalid("The client_assertion must contain the 'exp' claim as seconds since epoch.");
  if (claims.exp <= now) throw invalid('The client_assertion token is expired.');
  if (claims.exp > now + MAX_ASSERTION_LIFETIME_SECONDS) throw invalid('The client_assertion token has an expiration too far into the future.');
  if (claims.iat !== undefined && (typeof claims.iat !== 'number' || claims.iat > now)) {
    throw invalid('The client_assertion token must be issued before the current time.');
  }
  // nbf: not in Okta's guide or catalogue; RFC 7523 section 3 says a JWT must not be accepted before it.
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now)) {
    throw invalid('The client_assertion token is not valid yet (nbf).');
  }
  if (claims.jti === undefined) return;
  if (typeof claims.jti !== 'string' || claims.jti === '') throw invalid('The parsing of the client_assertion failed.');

  const seen = ctx.store.assertionJtis;
  const nowMs = ctx.clock.nowMs();
  const key = `${clientId} ${claims.jti}`;
  if ((seen.get(key) ?? 0) >= nowMs) throw invalid('The client_assertion token has already been used.');
  seen.set(key, claims.exp * 1000 + 60_000);
}
