import { waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { expectJsonObject, send, type HttpOptions } from './http.js';

/**
 * The org's signing keys (`/oauth2/v1/keys`) as JSON, fetched on first use and kept; no JOSE
 * here (an {@link IdTokenVerifier} imports the keys). `get` says whether the set was fetched
 * for this call, so a verifier refetches (`refetch`) only for an unknown `kid` in a set
 * fetched before (Okta rotates keys and publishes the new one first); concurrent fetches
 * share one request. @internal
 */
export class JwksCache {
  readonly #http: HttpOptions;
  readonly #uri: () => Promise<URL>;
  #keys: Promise<JsonWebKeySetJson> | undefined;

  constructor(http: HttpOptions, uri: () => Promise<URL>) {
    this.#http = http;
    this.#uri = uri;
  }

  /** The cached key set (fetched now when there is none: `fresh`). */
  async get(signal?: AbortSignal): Promise<{ readonly keys: JsonWebKeySetJson; readonly fresh: boolean }> {
    const fresh = this.#keys === undefined;
    return { keys: await waitFor(this.#ensure(), signal), fresh };
  }

  /** Drops `stale` (when it is still the cached set) and fetches the set again. */
  async refetch(stale: JsonWebKeySetJson, signal?: AbortSignal): Promise<JsonWebKeySetJson> {
    if (this.#keys !== undefined && (await this.#keys.catch(() => undefined)) === stale) this.#keys = undefined;
    return waitFor(this.#ensure(), signal);
  }

  #ensure(): Promise<JsonWebKeySetJson> {
    this.#keys ??= this.#load().catch((error: unknown) => {
      this.#keys = undefined;
      throw error;
    });
    return this.#keys;
  }

  async #load(): Promise<JsonWebKeySetJson> {
    const url = await this.#uri();
    const response = await send(this.#http, ({ signal }) =>
      new Request(url, { headers: { accept: 'application/json' }, redirect: 'manual', signal }),
    );
    if (!response.ok) {
      await response.body?.cancel();
      throw new OktaSignInError('INVALID_RESPONSE', `Okta answered HTTP ${response.status} for its signing keys (${url.pathname}).`, {
        status: response.status,
      });
    }
    const body = await expectJsonObject(response, 'the JWKS endpoint');
    if (!Array.isArray(body.keys)) throw new OktaSignInError('INVALID_RESPONSE', "Okta's JWKS has no keys array.");
    return Object.freeze(body as unknown as JsonWebKeySetJson);
  }
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
