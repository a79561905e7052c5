import { boundUserCode } from '@org/okta-auth-core/internal';
import { deepFreeze } from '../internal/deep-freeze.js';
import { decodeJws } from '../internal/jws.js';
import type { OrgServerMetadata } from './discovery.js';
import { OktaSignInError, type IdTokenFailure } from './errors.js';
import type { JsonWebKeySetJson } from './jwks.js';

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
export interface IdTokenClaims {
  /** The issuer: the org URL (checked). */
  readonly iss: string;
  /** The user's id (the same on refresh, checked). */
  readonly sub: string;
  /** The audience: this client's id (checked; on refresh the first ID token's). */
  readonly aud: string | string[];
  /** Expiry, epoch seconds (checked with the clock skew). */
  readonly exp: number;
  /** Issued at, epoch seconds (not in the future beyond the clock skew, checked). */
  readonly iat: number;
  /** Not before, epoch seconds (checked with the clock skew when present). */
  readonly nbf?: number;
  /** The token's unique id. */
  readonly jti?: string;
  /** The authorized party: this client when there are several audiences (checked; on refresh the first ID token's, or none as it had none). */
  readonly azp?: string;
  /** The nonce of the sign-in (checked). */
  readonly nonce?: string;
  /** When the user authenticated (epoch seconds); on refresh, present only as the first ID token's (checked). */
  readonly auth_time?: number;
  /** The authentication context class met: one of `acrValues` when the sign-in asked for them (checked). */
  readonly acr?: string;
  /** The user's full name (with the `profile` scope). */
  readonly name?: string;
  /** The user's email (with the `email` scope). */
  readonly email?: string;
  /** The user's Okta login (with the `profile` scope). */
  readonly preferred_username?: string;
  /** Any other claim Okta adds. */
  readonly [claim: string]: unknown;
}

/**
 * What an {@link IdTokenVerifier} is given: the org's signing algorithms and a way to fetch its
 * key set (`jwks_uri`) through the client's transport. Keeping the set between tokens is the
 * verifier's business (so a client without a verifier ships no key-set cache):
 * `fetchKeys` is the same function for every token one client checks, so a verifier can key
 * its cache on it, as {@link jwksIdTokenVerifier} does.
 * @example
 * ```ts
 * const verifier: IdTokenVerifier = async (idToken: string, context: IdTokenVerifierContext) => {
 *   const { keys } = await context.fetchKeys();
 *   if (keys.length === 0 || idToken === '' || context.signal?.aborted) throw new Error('no keys');
 * };
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export interface IdTokenVerifierContext {
  /** The org's `id_token_signing_alg_values_supported`: the only algorithms to accept. */
  readonly algorithms: readonly string[];
  /**
   * Fetches the org's key set now (one GET of `jwks_uri` on the org origin, bounded and typed like
   * every request of the client; not tied to `signal`, so several callers may share it).
   */
  readonly fetchKeys: () => Promise<JsonWebKeySetJson>;
  /** The signal of the call that is checking the token: stop waiting when it fires. */
  readonly signal: AbortSignal | undefined;
}

/**
 * Checks an ID token's signature; resolves when it verifies, rejects (with an
 * `OktaSignInError` `ID_TOKEN_INVALID`, reason `signature` or `algorithm`) when not. The claims
 * are checked by the client either way. {@link jwksIdTokenVerifier} (jose against the org's
 * JWKS) is the default of `createSignInClient` from `@org/okta-oauth`; `@org/okta-oauth/sign-in`
 * has none by default and relies on TLS (OIDC Core §3.1.3.7 step 6). It is bounded like `onTokens`:
 * one that does not settle within twice the client's `timeoutMs` (room for fetching discovery and
 * the key set) fails that sign-in or refresh with `TIMEOUT`.
 * @example
 * ```ts
 * import { createSignInClient } from '@org/okta-oauth/sign-in';
 * import { jwksIdTokenVerifier } from '@org/okta-oauth/id-token-jwks';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'], idTokenVerifier: jwksIdTokenVerifier });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export type IdTokenVerifier = (idToken: string, context: IdTokenVerifierContext) => Promise<void>;

/** What {@link validateIdToken} checks against. @internal */
export interface IdTokenExpectations {
  readonly metadata: OrgServerMetadata;
  readonly clientId: string;
  /** The client's key-set fetch, for the verifier. */
  readonly fetchKeys: () => Promise<JsonWebKeySetJson>;
  /** The signature check; none: TLS stands for it (the token came from the token endpoint). */
  readonly idTokenVerifier: IdTokenVerifier | undefined;
  /** The tolerance on top of {@link IdTokenExpectations.now} for `iat`, `nbf`, `exp` and `auth_time`. */
  readonly clockSkewSeconds: number;
  /** The time the claims are checked at (epoch ms): the org's when the token answer had a usable `Date`, else the local clock. */
  readonly now: () => number;
  /** The nonce sent on `/authorize`; the claim must equal it. */
  readonly nonce?: string | undefined;
  /** `max_age` sent on `/authorize`; `auth_time` must then be present and recent enough. */
  readonly maxAgeSeconds?: number | undefined;
  /** `acr_values` sent on `/authorize`; `acr` must then be one of them. */
  readonly acrValues?: string | undefined;
  /** On refresh: the claims of the ID token being replaced (OIDC Core §12.2). */
  readonly previous?: IdTokenClaims | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Whether text of the token answer carries a secret of its request (`carriesRequestSecret`): claims that do are refused. */
  readonly carriesSecret?: ((text: string) => boolean) | undefined;
  /**
   * The bound on the verifier (user code), as on `onTokens` and storage: twice the transport's
   * `timeoutMs`, since a verifier may fetch discovery and the key set (each bounded by `timeoutMs`,
   * whose own `TIMEOUT` then reaches the caller).
   */
  readonly verifierTimeoutMs: number;
}

/** The `ID_TOKEN_INVALID` error of every ID token check (claims here, signatures in verifiers). @internal */
export function invalidIdToken(reason: IdTokenFailure, message: string, cause?: unknown): OktaSignInError {
  return new OktaSignInError('ID_TOKEN_INVALID', `The ID token is invalid: ${message}.`, { reason, cause });
}
const invalid = invalidIdToken;

/**
 * The registered claims as jose's `jwtVerify` checks them (same order, same failures):
 * `iss`, `sub`, `aud`, `exp`, `iat` present; `iss` the issuer; `aud` contains the client;
 * `iat` a number; `nbf` and `exp` within the skew.
 */
function checkRegisteredClaims(claims: Record<string, unknown>, expect: IdTokenExpectations, now: number): void {
  const skew = expect.clockSkewSeconds;
  for (const name of ['iss', 'sub', 'aud', 'exp', 'iat']) {
    if (name in claims) continue;
    if (name === 'exp') throw invalid('expired', 'it has no valid exp');
    throw name === 'iat' ? invalid('issued-in-future', 'it has no valid iat') : invalid('malformed', `claim "${name}" is missing or malformed`);
  }
  // Not quoted, as no claim is. With a custom URL domain, Okta names the issuer the app's Issuer setting picks (Okta URL,
  // Custom URL or Dynamic: the domain the request came to), whatever URL the client calls.
  if (claims.iss !== expect.metadata.issuer) {
    throw invalid('issuer', "its issuer is not the org URL; with a custom URL domain, set the app's Issuer (its Sign On tab) to orgUrl's URL, or Dynamic");
  }
  const aud = claims.aud;
  if (!(aud === expect.clientId || (Array.isArray(aud) && aud.includes(expect.clientId)))) throw invalid('audience', 'its audience is not this client');
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) throw invalid('issued-in-future', 'it has no valid iat');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + skew)) throw invalid('malformed', 'claim "nbf" is missing or malformed');
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) throw invalid('expired', 'it has no valid exp');
  if (claims.exp <= now - skew) throw invalid('expired', 'it has expired (exp is in the past, beyond the allowed clock skew)');
}

/** An `aud` as the sorted list of its audiences: one audience written as a string or as an array of it is the same. */
const audiences = (aud: unknown): string => JSON.stringify([aud].flat().sort());

/**
 * Validates an ID token: the signature with the client's verifier when it has one
 * (else TLS stands for it, OIDC Core §3.1.3.7 step 6: ID tokens only ever come from the token
 * endpoint here), the header `alg` one the org lists, `iss` = the org issuer, `aud` contains the client ID
 * (and `azp` is the client when there are several audiences), `exp` and
 * `iat` within the clock skew, `sub` present, `nonce`, and `auth_time`
 * when `max_age` was asked for (not in the future either), no `crit` and a `typ`, when there, of `JWT`.
 * On refresh (OIDC Core §12.2): the same `sub`, `aud` and `azp`, the same `nonce`
 * when both carry one, and an `auth_time` only when it is the first ID token's. Last, no claim may carry a
 * secret of the token request (`carriesSecret`).
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @internal
 */
export async function validateIdToken(idToken: string, expect: IdTokenExpectations): Promise<IdTokenClaims> {
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  let payloadText: string;
  try {
    ({ header, payload, payloadText } = decodeJws(idToken));
  } catch (error) {
    throw invalid('malformed', 'it is not a well-formed signed JWT', error);
  }
  const algorithms = expect.metadata.idTokenSigningAlgs;
  if (typeof header.alg !== 'string' || header.alg === 'none' || !algorithms.includes(header.alg)) {
    throw invalid('algorithm', 'it is signed with an algorithm the org does not list');
  }
  // No `crit`: no extension is defined for ID tokens (RFC 7515 §4.1.11; `b64: false`, which jose's `compactVerify`
  // honours, would have the verifier read another payload than this). A `typ`, when there, `JWT` (RFC 8725 §3.11:
  // no logout or access token taken for an ID token).
  const typ = header.typ;
  if (header.crit !== undefined || (typ !== undefined && !(typeof typ === 'string' && /^(application\/)?jwt$/i.test(typ)))) {
    throw invalid('malformed', 'its header has crit, or a typ other than JWT');
  }
  const verifier = expect.idTokenVerifier;
  if (verifier !== undefined) {
    // Bounded like all user code: inside a refresh no caller's signal reaches it, and one that
    // never settled would leave the refresh pending for every later call.
    const verify = () => verifier(idToken, { algorithms, fetchKeys: expect.fetchKeys, signal: expect.signal });
    await boundUserCode('The idTokenVerifier', verify, { signal: expect.signal, timeoutMs: expect.verifierTimeoutMs });
  }
  const now = Math.floor(expect.now() / 1000);
  checkRegisteredClaims(payload, expect, now);
  const claims = payload as IdTokenClaims;
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('malformed', 'it has no sub');
  if (claims.iat > now + expect.clockSkewSeconds) throw invalid('issued-in-future', 'its iat is in the future, beyond the allowed clock skew');
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== expect.clientId) {
    throw invalid('audience', 'it has several audiences and azp is not this client');
  }
  if (claims.azp !== undefined && claims.azp !== expect.clientId) throw invalid('audience', 'its azp is not this client');
  if (expect.nonce !== undefined && claims.nonce !== expect.nonce) {
    throw invalid('nonce', 'its nonce is not the one this sign-in sent (a replayed or crossed ID token): start a new sign-in');
  }
  if (expect.maxAgeSeconds !== undefined) {
    // One in the future (or Infinity, as JSON.parse reads 1e400) would pass any max_age.
    if (typeof claims.auth_time !== 'number' || claims.auth_time > now + expect.clockSkewSeconds) {
      throw invalid('auth-time', 'max_age was requested but its auth_time is missing or in the future, beyond the allowed clock skew');
    }
    if (claims.auth_time + expect.maxAgeSeconds + expect.clockSkewSeconds < now) {
      throw invalid('auth-time', 'the user authenticated longer ago than max_age allows');
    }
  }
  // acr_values is voluntary for the server (OIDC Core §3.1.2.1): Okta ignores one it does not support. A step-up
  // asked for is met only when the token names one of the values asked; none, or another, is refused (not quoted).
  if (expect.acrValues !== undefined && !(claims.acr && expect.acrValues.split(' ').includes(claims.acr))) {
    throw invalid('acr', 'its acr is not one of acr_values: the step-up was not met (Okta ignores a value it does not support)');
  }
  const previous = expect.previous;
  if (previous !== undefined) {
    if (claims.sub !== previous.sub) throw invalid('subject', 'the refreshed ID token is for another user');
    if (audiences(claims.aud) !== audiences(previous.aud) || claims.azp !== previous.azp) throw invalid('audience', 'the refreshed ID token has another aud or azp');
    // The original authentication's time (§12.2): one the first ID token did not carry cannot be checked as that, so it is refused too.
    if (claims.auth_time !== undefined && claims.auth_time !== previous.auth_time) {
      throw invalid('auth-time', "the refreshed ID token is of another sign-in (its auth_time is not the first ID token's)");
    }
    if (claims.nonce !== undefined && previous.nonce !== undefined && claims.nonce !== previous.nonce) {
      throw invalid('nonce', 'the refreshed ID token carries another nonce');
    }
  }
  // The app's to show and log: an echo of the token request's secrets (the code, its verifier, the refresh token, the
  // client's secret or assertion), in a claim's name or value at any depth, must not ride along, as the granted scope's.
  if (expect.carriesSecret?.(payloadText) === true) throw invalid('malformed', 'a claim carries a secret of the token request');
  // Frozen throughout, as the UserInfo claims: a nested claim (amr, address) is shared with every reader of the credential.
  return deepFreeze(claims);
}
