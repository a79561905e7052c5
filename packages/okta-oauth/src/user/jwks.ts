import { OktaSignInError } from './errors.js';
import { getJsonObject, type HttpOptions } from './http.js';

/**
 * Fetches the org's signing keys (`jwks_uri`) as JSON, once per call: no JOSE and no cache here
 * (the verifier keeps the set and imports the keys, so a client without one ships neither).
 * @internal
 */
export async function fetchKeySet(http: HttpOptions, uri: URL): Promise<JsonWebKeySetJson> {
  return getJsonObject(http, uri, `its signing keys (${uri.pathname})`, 'INVALID_RESPONSE', (body) => {
    if (!Array.isArray(body.keys)) throw new OktaSignInError('INVALID_RESPONSE', "Okta's JWKS has no keys array.");
    return Object.freeze(body as unknown as JsonWebKeySetJson);
  });
}

/**
 * A JSON Web Key Set as the org publishes it (RFC 7517 §5).
 * @example
 * ```ts
 * const set: JsonWebKeySetJson = { keys: [{ kty: 'RSA', kid: 'k1', n: '…', e: 'AQAB' }] };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export interface JsonWebKeySetJson {
  /** The public keys, as JWK objects. */
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}
