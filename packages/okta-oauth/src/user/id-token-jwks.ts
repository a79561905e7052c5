import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { isOktaAuthError } from '@org/okta-auth-core';
import { waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { invalidIdToken as invalid, type IdTokenVerifier, type IdTokenVerifierContext } from './id-token.js';
import type { JsonWebKeySetJson } from './jwks.js';

function mapJoseError(error: unknown): Error {
  if (error instanceof OktaSignInError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('signature', 'its signature does not verify with the org signing key');
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('signature', 'it is signed with a key the org does not publish');
  // Several keys of the set fit the token's kid and alg (jose's compactVerify tries none of them): the org's set is at fault, not the token.
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid('signature', "it could not be verified: the org's key set (jwks_uri) publishes more than one key for its kid and algorithm, so which one signed it is ambiguous");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm', 'it is signed with an algorithm the org does not list');
  if (error instanceof errors.JOSEError) return invalid('malformed', 'it is not a well-formed signed JWT', error);
  // Transport failures fetching the keys stay as they are; anything else (a WebCrypto
  // DataError for a published key it cannot import, say) is a failed validation.
  if (isOktaAuthError(error)) return error;
  return invalid('signature', 'it could not be verified: a signing key the org published cannot be used', error instanceof Error ? new Error(`${error.name}: ${error.message}`.slice(0, 200)) : undefined);
}

type FetchKeys = IdTokenVerifierContext['fetchKeys'];

/** Each client's key set (by its `fetchKeys`), fetched on first use and kept; a failure is not kept. */
const keySets = new WeakMap<FetchKeys, Promise<JsonWebKeySetJson>>();

/**
 * The client's cached key set, or a new fetch (`fresh`) that concurrent calls share; `stale`
 * (still the cached set) is dropped first, for a `kid` it lacks (Okta publishes a new key
 * before it signs with it). Each caller waits at most until its own signal fires.
 */
async function keySet(context: IdTokenVerifierContext, stale?: JsonWebKeySetJson): Promise<{ readonly keys: JsonWebKeySetJson; readonly fresh: boolean }> {
  const { fetchKeys } = context;
  let pending = keySets.get(fetchKeys);
  if (pending !== undefined && stale !== undefined && (await pending.catch(() => undefined)) === stale) {
    if (keySets.get(fetchKeys) === pending) keySets.delete(fetchKeys);
    pending = keySets.get(fetchKeys);
  }
  const fresh = pending === undefined;
  if (pending === undefined) {
    const fetched = fetchKeys();
    pending = fetched;
    keySets.set(fetchKeys, fetched);
    fetched.catch(() => {
      if (keySets.get(fetchKeys) === fetched) keySets.delete(fetchKeys);
    });
  }
  return { keys: await waitFor(pending, context.signal), fresh };
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
 * The ID token signature check with jose against the org's JWKS (`jwks_uri`, fetched once per
 * client and kept here, refetched once for a `kid` it does not hold: Okta publishes a new key
 * before it signs with it), accepting only the algorithms the org lists. The default of `createSignInClient`
 * from `@org/okta-oauth`; pass it as `idTokenVerifier` to `createSignInClient` from
 * `@org/okta-oauth/sign-in` to check signatures there too (about 17 kB minified of jose).
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
export const jwksIdTokenVerifier: IdTokenVerifier = async (idToken, context) => {
  try {
    await compactVerify(
      idToken,
      async (header, token) => {
        const { keys, fresh } = await keySet(context);
        try {
          return await resolverOf(keys)(header, token);
        } catch (error) {
          // A set fetched for this very token will not grow by fetching again.
          if (!(error instanceof errors.JWKSNoMatchingKey) || fresh) throw error;
          return resolverOf((await keySet(context, keys)).keys)(header, token);
        }
      },
      { algorithms: [...context.algorithms] },
    );
  } catch (error) {
    throw mapJoseError(error);
  }
};
