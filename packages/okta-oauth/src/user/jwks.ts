import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { waitFor } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { expectJsonObject, send, type HttpOptions } from './http.js';

/**
 * The org's signing keys (`/oauth2/v1/keys`), fetched on first use and kept.
 * A token signed with a key the cached set does not hold triggers one
 * refetch (Okta rotates keys and publishes the new one first); concurrent
 * refetches share one request. @internal
 */
export class JwksCache {
  readonly #http: HttpOptions;
  readonly #uri: () => Promise<URL>;
  #keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(http: HttpOptions, uri: () => Promise<URL>) {
    this.#http = http;
    this.#uri = uri;
  }

  /** A jose key resolver that refetches once for an unknown `kid`. */
  resolver(signal?: AbortSignal): JWTVerifyGetKey {
    return async (header, token) => {
      const fresh = this.#keys === undefined;
      const used = this.#ensure();
      const keys = await waitFor(used, signal);
      try {
        return await keys(header, token);
      } catch (error) {
        // A set fetched for this very token will not grow by fetching again.
        if (!(error instanceof errors.JWKSNoMatchingKey) || fresh) throw error;
        if (this.#keys === used) this.#keys = undefined;
        const refetched = await waitFor(this.#ensure(), signal);
        return refetched(header, token);
      }
    };
  }

  #ensure(): Promise<JWTVerifyGetKey> {
    this.#keys ??= this.#load().catch((error: unknown) => {
      this.#keys = undefined;
      throw error;
    });
    return this.#keys;
  }

  async #load(): Promise<JWTVerifyGetKey> {
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
    return createLocalJWKSet(body as unknown as JSONWebKeySet);
  }
}
