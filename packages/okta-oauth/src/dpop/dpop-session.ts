import { dpopHtu } from './htu.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';

/** The longest `DPoP-Nonce` remembered. */
const maxNonceLength = 512;

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
  /** The key once generated: a warm proof does not wait on the promise again. */
  #ready: DpopKey | undefined;
  readonly #nonces = new Map<DpopNonceScope, string>();
  /** The nonce each attempt's proof carried (`undefined`: none). */
  readonly #sent = new WeakMap<object, string | undefined>();

  constructor(origin: string, options: { readonly algorithm?: DpopAlgorithm | undefined; readonly keyPair?: WebCryptoKeyPair | undefined } = {}) {
    this.origin = origin;
    const algorithm = options.algorithm ?? 'ES256';
    this.#key = options.keyPair === undefined ? DpopKey.generate(algorithm) : DpopKey.fromKeyPair(options.keyPair, algorithm);
    this.#key.then((key) => (this.#ready = key), () => undefined);
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
    // A nonce goes into every later proof: one longer than any real one (Okta's are ~40 characters) is ignored.
    if (nonce === undefined || nonce === '' || nonce.length > maxNonceLength || !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(nonce)) return false;
    if (this.#nonces.get(scope) === nonce) return false;
    this.#nonces.set(scope, nonce);
    return true;
  }

  /**
   * A fresh proof for one request attempt: upper-case `htm`, decoded `htu`, new `jti`, the
   * nonce, `ath` with a token. With `attempt`, remembers which nonce that attempt carried, for
   * {@link DpopSession.retryForNonce}.
   */
  async proof(options: {
    readonly method: string;
    readonly url: URL;
    readonly scope: DpopNonceScope;
    readonly nowSeconds: number;
    readonly accessToken?: string | undefined;
    readonly attempt?: object | undefined;
  }): Promise<string> {
    const key = this.#ready ?? (await this.#key);
    const nonce = this.#current(options.scope);
    if (options.attempt !== undefined) this.#sent.set(options.attempt, nonce);
    return key.proof({ method: options.method, htu: dpopHtu(options.url), nowSeconds: options.nowSeconds, nonce, accessToken: options.accessToken });
  }

  /**
   * After a `use_dpop_nonce` answer to `attempt`: remembers the answer's nonce and says whether
   * a retry can succeed, i.e. whether the nonce now known differs from the one the attempt sent.
   * Comparing with what was *sent* (not with what was stored) matters when requests run
   * concurrently: the first answer stores the nonce, and every other request that went out
   * without it must still retry with it (RFC 9449 §8).
   */
  retryForNonce(scope: DpopNonceScope, response: Response, attempt: object): boolean {
    this.observe(scope, response);
    if (!this.#sent.has(attempt)) return false;
    const known = this.#current(scope);
    return known !== undefined && known !== this.#sent.get(attempt);
  }

  /** The nonce a proof for that server carries now. */
  #current(scope: DpopNonceScope): string | undefined {
    // A resource with no nonce of its own gets the org's token-endpoint nonce: harmless where
    // none is required (Okta today), and one round trip saved where the org shares them.
    return this.#nonces.get(scope) ?? (scope === 'resource' ? this.#nonces.get('token-endpoint') : undefined);
  }

  toJSON(): Record<string, string> {
    return { origin: this.origin };
  }
}
