import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { isOktaAuthError } from '@org/okta-auth-core';
import { checkDuration } from '@org/okta-auth-core/internal';
import { configError, readOptions } from '../errors.js';
import { OktaSignInError } from './errors.js';
import { invalidIdToken as invalid, type IdTokenVerifier } from './id-token.js';
import { defaultKeySetMaxAgeMs, keySetCache, keySetCooldownMs, keySetMaxAgeLimitMs } from './id-token-key-set.js';
import type { JsonWebKeySetJson } from './jwks.js';

function mapJoseError(error: unknown): Error {
  if (error instanceof OktaSignInError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('signature', 'its signature does not verify with the org signing key');
  // Checked against a key set fetched for this token (or fetched again for it): signing in again will not help.
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('signature', 'it is signed with a key the org does not publish (its key set, fetched for this token, lacks it)');
  // Several keys of the set fit the token's kid and alg (jose's compactVerify tries none of them): the org's set is at fault, not the token.
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid(
      'signature',
      `it could not be verified: the org's key set (jwks_uri) publishes more than one key for its kid and algorithm, so which one signed it is ambiguous (the key set is fetched again at most every ${keySetCooldownMs / 1000} s)`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm', 'it is signed with an algorithm the org does not list');
  if (error instanceof errors.JOSEError) return invalid('malformed', 'it is not a well-formed signed JWT', error);
  // Transport failures fetching the keys stay as they are; anything else (a WebCrypto
  // DataError for a published key it cannot import, say) is a failed validation.
  if (isOktaAuthError(error)) return error;
  return invalid('signature', 'it could not be verified: a signing key the org published cannot be used', error instanceof Error ? new Error(`${error.name}: ${error.message}`.slice(0, 200)) : undefined);
}

/** A kid the held set lacks, within the cooldown of its last fetch: what to do about it. */
function coolingDown(): Error {
  const seconds = keySetCooldownMs / 1000;
  return invalid(
    'signature',
    `it is signed with a key the org does not publish in the key set held, which is not fetched again until ${seconds} s after its last fetch: if the org has just rotated its signing key, sign in again after that`,
  );
}

/** jose's key resolver of each fetched set, made once (it caches the imported keys). */
const resolvers = new WeakMap<JsonWebKeySetJson, JWTVerifyGetKey>();

function resolverOf(keys: JsonWebKeySetJson): JWTVerifyGetKey {
  let resolver = resolvers.get(keys);
  if (resolver === undefined) {
    resolver = createLocalJWKSet(keys as unknown as JSONWebKeySet);
    resolvers.set(keys, resolver);
  }
  return resolver;
}

/**
 * Options of {@link createJwksIdTokenVerifier}.
 * @example
 * ```ts
 * const options: JwksIdTokenVerifierOptions = { keySetMaxAgeMs: 5 * 60_000 };
 * ```
 * @see https://github.com/panva/jose/blob/main/docs/jwks/remote/interfaces/RemoteJWKSetOptions.md
 */
export interface JwksIdTokenVerifierOptions {
  /**
   * How long a fetched key set is used, in milliseconds from when its fetch started (jose's
   * `cacheMaxAge`): after that the next ID token waits for the set to be fetched again, so a key
   * the org has rotated out or revoked is trusted at most this long. A failed fetch never makes a
   * set live longer. From 0 (fetch for every token) to 86,400,000 (a day). @default 600000 (10 minutes)
   */
  readonly keySetMaxAgeMs?: number | undefined;
}

/**
 * Makes an ID token signature check like {@link jwksIdTokenVerifier}, with its own key-set cache
 * and your `keySetMaxAgeMs`. A key set is used for at most `keySetMaxAgeMs` after its fetch
 * started (10 minutes by default, jose's `createRemoteJWKSet` `cacheMaxAge`); the next ID token
 * then waits for the set to be fetched again (as jose's does: an old set is not used while the new
 * one is on its way), and fails with the fetch's own error if that fetch fails. For a `kid` the set
 * lacks or holds twice, the set is fetched again once, at most every 30 s per client (jose's
 * cooldown, counted from the last fetch, failed or not); a refetch that fails keeps the set held
 * for the keys it has, without resetting its age, and that token is `ID_TOKEN_INVALID` saying so.
 * Each caller stops waiting for a shared fetch when its own signal fires (`ABORTED`, or `TIMEOUT`),
 * and the fetch goes on for the others. A `keySetMaxAgeMs` that is not a number from 0 to a day
 * is `INVALID_CONFIG`.
 * @example
 * ```ts
 * import { createSignInClient } from '@org/okta-oauth/sign-in';
 * import { createJwksIdTokenVerifier } from '@org/okta-oauth/id-token-jwks';
 *
 * const idTokenVerifier = createJwksIdTokenVerifier({ keySetMaxAgeMs: 5 * 60_000 });
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'], idTokenVerifier });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys
 * @see https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md
 */
export function createJwksIdTokenVerifier(options?: JwksIdTokenVerifierOptions | null): IdTokenVerifier {
  const { keySetMaxAgeMs } = readOptions(options, 'createJwksIdTokenVerifier(options)');
  // At most a day: a key the org revokes is trusted that long.
  const maxAgeMs = checkDuration(keySetMaxAgeMs, 'keySetMaxAgeMs', defaultKeySetMaxAgeMs, [0, keySetMaxAgeLimitMs], configError);
  const keySet = keySetCache(maxAgeMs);
  return async (idToken, context) => {
    try {
      await compactVerify(
        idToken,
        async (header, token) => {
          const { keys, fresh } = await keySet(context);
          try {
            return await resolverOf(keys)(header, token);
          } catch (error) {
            // A kid the set lacks or holds twice: the set fetched again, once, and not within the
            // cooldown (then this token's error); a set fetched for this very token is not fetched again.
            if (!(error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) || fresh) throw error;
            const again = await keySet(context, keys);
            // Within the cooldown the set held stands: a kid it lacks may be a key the org has just started signing with.
            if (again.keys === keys && error instanceof errors.JWKSNoMatchingKey) throw coolingDown();
            if (again.keys === keys) throw error;
            return resolverOf(again.keys)(header, token);
          }
        },
        { algorithms: [...context.algorithms] },
      );
    } catch (error) {
      throw mapJoseError(error);
    }
  };
}

/**
 * The ID token signature check with jose against the org's JWKS (`jwks_uri`, fetched per client
 * and kept for 10 minutes, jose's `createRemoteJWKSet` `cacheMaxAge`; fetched again once for a
 * `kid` it does not hold or holds twice: Okta publishes a new key before it signs with it; at most
 * once every 30 s, as jose's cooldown, then `ID_TOKEN_INVALID`), accepting only the algorithms the
 * org lists. {@link createJwksIdTokenVerifier} makes one with another key-set max age. The default
 * of `createSignInClient` from `@org/okta-oauth`; pass it as `idTokenVerifier` to
 * `createSignInClient` from `@org/okta-oauth/sign-in` to check signatures there too (about 17 kB
 * minified of jose).
 * @example
 * ```ts
 * import { createSignInClient } from '@org/okta-oauth/sign-in';
 * import { jwksIdTokenVerifier } from '@org/okta-oauth/id-token-jwks';
 *
 * const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'], idTokenVerifier: jwksIdTokenVerifier });
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.2
 */
export const jwksIdTokenVerifier: IdTokenVerifier = /* @__PURE__ */ createJwksIdTokenVerifier();
