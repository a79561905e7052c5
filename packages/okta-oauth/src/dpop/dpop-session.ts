import { dpopHtu } from './htu.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';

/** Where a DPoP nonce came from: the authorization server's token endpoint or a resource server. @internal */
export type DpopNonceScope = 'token-endpoint' | 'resource';

/**
 * Everything DPoP a credential holds for one org: one key pair (created once, lazily, never
 * shared across orgs) and the last nonce each server sent. Token endpoint and resource
 * nonces are kept apart (RFC 9449 §8 and §9: an AS nonce is not an RS nonce), so a resource
 * nonce never replaces the token endpoint's (no extra token round trip); a resource without a
 * nonce of its own is sent the token endpoint's.
 * @internal
 */
export class DpopSession {
  readonly origin: string;
  readonly #key: Promise<DpopKey>;
  readonly #nonces = new Map<DpopNonceScope, string>();

  constructor(origin: string, options: { readonly algorithm?: DpopAlgorithm | undefined; readonly keyPair?: WebCryptoKeyPair | undefined } = {}) {
    this.origin = origin;
    const algorithm = options.algorithm ?? 'ES256';
    this.#key = options.keyPair === undefined ? DpopKey.generate(algorithm) : DpopKey.fromKeyPair(options.keyPair, algorithm);
    this.#key.catch(() => undefined);
  }

  /** The key pair (generated on first use). */
  key(): Promise<DpopKey> {
    return this.#key;
  }

  /** The nonce last sent by that server, if any. */
  nonce(scope: DpopNonceScope): string | undefined {
    return this.#nonces.get(scope);
  }

  /**
   * Remembers the `DPoP-Nonce` header of any response (RFC 9449 §8.2: a server may rotate the
   * nonce on any answer). Returns true when the nonce is new.
   */
  observe(scope: DpopNonceScope, response: Response): boolean {
    const nonce = response.headers.get('dpop-nonce')?.trim();
    if (nonce === undefined || nonce === '' || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(nonce)) return false;
    if (this.#nonces.get(scope) === nonce) return false;
    this.#nonces.set(scope, nonce);
    return true;
  }

  /** A fresh proof for one request attempt: upper-case `htm`, decoded `htu`, new `jti`, the nonce, `ath` with a token. */
  async proof(options: { readonly method: string; readonly url: URL; readonly scope: DpopNonceScope; readonly nowSeconds: number; readonly accessToken?: string | undefined }): Promise<string> {
    const key = await this.#key;
    return key.proof({
      method: options.method,
      htu: dpopHtu(options.url),
      nowSeconds: options.nowSeconds,
      // A resource with no nonce of its own gets the org's token-endpoint nonce: harmless where
      // none is required (Okta today), and one round trip saved where the org shares them.
      nonce: this.#nonces.get(options.scope) ?? (options.scope === 'resource' ? this.#nonces.get('token-endpoint') : undefined),
      accessToken: options.accessToken,
    });
  }

  toJSON(): Record<string, string> {
    return { origin: this.origin };
  }
}
