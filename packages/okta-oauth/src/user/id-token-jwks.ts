import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { isOktaAuthError } from '@org/okta-auth-core';
import { waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { invalidIdToken as invalid, type IdTokenVerifier, type IdTokenVerifierContext } from './id-token.js';
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

type FetchKeys = IdTokenVerifierContext['fetchKeys'];

/**
 * The least time between two fetches of a client's key set for tokens the set held cannot verify
 * (a `kid` it lacks or holds twice): 30 s, jose's `createRemoteJWKSet` cooldown. ID tokens naming
 * unknown kids (a forged one, or a hostile org's) cannot make the client hammer `jwks_uri`.
 */
export const keySetCooldownMs = 30_000;

/** A client's key set: the fetch (shared by concurrent calls) and when it started (`Date.now()`). */
interface HeldKeySet {
  readonly keys: Promise<JsonWebKeySetJson>;
  readonly at: number;
}

/** Each client's key set (by its `fetchKeys`), fetched on first use and kept; a failure is not kept. */
const keySets = new WeakMap<FetchKeys, HeldKeySet>();

/**
 * The client's cached key set, or a new fetch (`fresh`) that concurrent calls share; `stale`
 * (still the cached set) is dropped first, for a `kid` it lacks (Okta publishes a new key before
 * it signs with it) or holds twice, unless it was fetched less than {@link keySetCooldownMs} ago:
 * then it is what the caller gets (the same set: no fetch). Each caller waits at most until its
 * own signal fires.
 */
async function keySet(context: IdTokenVerifierContext, stale?: JsonWebKeySetJson): Promise<{ readonly keys: JsonWebKeySetJson; readonly fresh: boolean }> {
  const { fetchKeys } = context;
  let held = keySets.get(fetchKeys);
  if (held !== undefined && stale !== undefined && (await held.keys.catch(() => undefined)) === stale) {
    const age = Date.now() - held.at;
    if (age >= 0 && age < keySetCooldownMs) return { keys: stale, fresh: false };
    if (keySets.get(fetchKeys) === held) keySets.delete(fetchKeys);
    held = keySets.get(fetchKeys);
  }
  const fresh = held === undefined;
  if (held === undefined) {
    const fetched = fetchKeys();
    const entry: HeldKeySet = { keys: fetched, at: Date.now() };
    held = entry;
    keySets.set(fetchKeys, entry);
    fetched.catch(() => {
      if (keySets.get(fetchKeys) === entry) keySets.delete(fetchKeys);
    });
  }
  return { keys: await waitFor(held.keys, context.signal), fresh };
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
 * client and kept here, fetched again once for a `kid` it does not hold or holds twice: Okta
 * publishes a new key before it signs with it; at most once every 30 s, as jose's
 * `createRemoteJWKSet`, then `ID_TOKEN_INVALID`), accepting only the algorithms the org lists. The default of `createSignInClient`
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
