import { decodeJwt, decodeProtectedHeader, errors, importJWK, jwtVerify, type JWTPayload } from 'jose';
import type { OrgContext } from './context.js';
import { OAuthFailure } from './errors.js';
import type { ServiceApp } from './model.js';

/** Signing algorithms Okta accepts for `private_key_jwt` client assertions. */
export const ASSERTION_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

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

/**
 * Verify a `private_key_jwt` client assertion as Okta does: key chosen by `kid` among the app's
 * registered keys, RS/ES 256/384/512 only, `iss` = `sub` = client id, `aud` = the endpoint URL
 * exactly, `exp` in the future and at most one hour ahead, and a `jti` never seen before.
 *
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export async function verifyClientAssertion(ctx: OrgContext, app: ServiceApp, assertion: string, audience: string): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalid('The client_assertion is not a valid JWT.');
  }
  const alg = header.alg ?? '';
  if (!(ASSERTION_ALGS as readonly string[]).includes(alg)) {
    throw invalid(`The client_assertion signature algorithm '${alg}' is not supported.`);
  }
  let jwk;
  if (header.kid !== undefined) {
    jwk = app.keys.find((k) => k.kid === header.kid);
    if (jwk === undefined) throw invalid("The client_assertion 'kid' doesn't match any key registered for the client.");
  } else if (app.keys.length === 1) {
    jwk = app.keys[0];
  } else {
    throw invalid("The client_assertion must have a 'kid' header when the client has more than one key.");
  }
  if (jwk === undefined) throw invalid('The client has no registered keys.');

  let payload: JWTPayload;
  try {
    const key = await importJWK({ ...jwk, alg }, alg);
    ({ payload } = await jwtVerify(assertion, key, { algorithms: [alg], currentDate: ctx.clock.date() }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw invalid('The client_assertion token is expired.');
    throw invalid('The client_assertion signature is invalid.');
  }

  if (payload.iss !== app.clientId || payload.sub !== app.clientId) {
    throw invalid("The client_assertion 'iss' and 'sub' claims must both be the client_id.");
  }
  const aud = payload.aud;
  const audOk = typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.length === 1 && aud[0] === audience;
  if (!audOk) throw invalid('The audience claim for client_assertion must be the endpoint invoked for the request.');
  const now = ctx.clock.nowSeconds();
  if (typeof payload.exp !== 'number') throw invalid("The client_assertion token must have an 'exp' claim.");
  if (payload.exp <= now) throw invalid('The client_assertion token is expired.');
  if (payload.exp > now + 3600) throw invalid('The client_assertion token has an expiration too far into the future.');
  if (typeof payload.jti !== 'string' || payload.jti === '') throw invalid("The client_assertion token must have a 'jti' claim.");

  const seen = ctx.store.assertionJtis;
  const nowMs = ctx.clock.nowMs();
  ctx.store.pruneReplayCaches(nowMs);
  const key = `${app.clientId} ${payload.jti}`;
  if ((seen.get(key) ?? 0) >= nowMs) throw invalid('The client_assertion token has already been used.');
  seen.set(key, payload.exp * 1000 + 60_000);
}
