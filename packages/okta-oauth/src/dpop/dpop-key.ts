import type { JWK } from 'jose';
import { configError } from '../errors.js';
import { sha256Base64url } from '@org/okta-auth-core/internal';
import type { WebCryptoKey, WebCryptoKeyPair } from '../internal/web-crypto.js';
import { compactJws, encodeJson, jwkThumbprint, keyFits, keyParams, publicJwk, signParams } from '../internal/jws.js';
import { checkDpopAlgorithm } from '../internal/validate.js';
import { newDpopKeyPair } from './dpop-key-pair.js';

/**
 * The DPoP proof algorithms Okta accepts (`dpop_signing_alg_values_supported`). ES256 is the default.
 *
 * @example
 * ```ts
 * declare const options: ServiceAppCredentialOptions; // your service app's
 * createServiceAppCredential({ ...options, dpopAlgorithm: 'RS256' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.1
 */
export type DpopAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'RS256' | 'RS384' | 'RS512';



/** The claims of one DPoP proof. @internal */
export interface DpopProofClaims {
  /** HTTP method; upper-cased here. */
  readonly method: string;
  /** The `htu` value (see `dpopHtu`). */
  readonly htu: string;
  /** Seconds since the epoch, corrected for the server clock. */
  readonly nowSeconds: number;
  readonly nonce?: string | undefined;
  /** The access token the proof goes with; sets `ath`. */
  readonly accessToken?: string | undefined;
}

/**
 * `ath` of each key's last access token, outside the instances: a private field is shown by a V8
 * inspector (Chromium's console, DevTools, workerd's inspector) with the token, where a WeakMap
 * entry is not an own state (as `Secret`'s values and the memory token store's entries).
 */
const athMemos = new WeakMap<DpopKey, { readonly accessToken: string; readonly ath: string }>();

/**
 * A DPoP key pair (RFC 9449): the private key is a non-extractable WebCrypto key held in a
 * private field; only the public JWK and its thumbprint (`jkt`) are visible. Never the
 * client-assertion key. Its one proof builder encodes the protected header once per key and
 * hashes each access token once (`ath` memo, kept in `athMemos`, outside the instance); a proof
 * is then one payload encoding and one `crypto.subtle.sign`.
 * @internal
 */
export class DpopKey {
  readonly #privateKey: WebCryptoKey;
  /** The proof algorithm, ES256 by default. */
  declare readonly algorithm: DpopAlgorithm;
  /** The public JWK, sent in every proof header. */
  declare readonly publicJwk: Readonly<JWK>;
  /** base64url SHA-256 JWK thumbprint (RFC 7638): Okta's `cnf.jkt` for tokens bound to this key. */
  declare readonly thumbprint: string;
  /** The encoded protected header, the same for every proof of this key. */
  readonly #header: string;
  readonly #signParams: { readonly name: string; readonly hash?: string };
  private constructor(privateKey: WebCryptoKey, algorithm: DpopAlgorithm, jwk: JWK, thumbprint: string) {
    this.#privateKey = privateKey;
    this.algorithm = algorithm;
    this.publicJwk = Object.freeze(jwk);
    this.thumbprint = thumbprint;
    this.#header = encodeJson({ alg: algorithm, typ: 'dpop+jwt', jwk });
    this.#signParams = signParams(algorithm);
  }
  /** Generates a fresh non-extractable key pair (ES256 unless told otherwise). */
  static async generate(algorithm: DpopAlgorithm = 'ES256'): Promise<DpopKey> {
    checkDpopAlgorithm(algorithm);
    return DpopKey.fromKeyPair(await newDpopKeyPair(algorithm), algorithm);
  }
  /** Wraps an existing WebCrypto key pair (for example one kept in IndexedDB). */
  static async fromKeyPair(pair: WebCryptoKeyPair, algorithm: DpopAlgorithm): Promise<DpopKey> {
    // The public key goes in every proof as a JWK: one imported non-extractable made WebCrypto's export throw its own DOMException.
    if (pair.privateKey.type !== 'private' || pair.publicKey.type !== 'public' || !pair.publicKey.extractable) {
      throw configError('dpopKeyPair must be a WebCrypto key pair with a private and an extractable public key.');
    }
    if (!keyFits(pair.privateKey, algorithm)) {
      throw configError(
        `dpopKeyPair cannot sign ${algorithm} proofs: its private key is ${pair.privateKey.algorithm.name}${'namedCurve' in pair.privateKey.algorithm ? ` ${String(pair.privateKey.algorithm.namedCurve)}` : ''} with usages ${pair.privateKey.usages.join(', ') || 'none'}. Give the dpopAlgorithm that fits the key (ES256 is P-256, ES384 P-384, ES512 P-521; RS* an RSA key of 2048 bits or more with that hash) and the "sign" usage.`,
      );
    }
    const jwk = publicJwk(await crypto.subtle.exportKey('jwk', pair.publicKey));
    // The public half is sent in every proof: one probe, signed and verified with it (imported
    // from its JWK, whatever the caller's usages), once per DpopSession (each credential or
    // sign-in client made with the pair), when it is made.
    const params = signParams(algorithm);
    const probe = new Uint8Array(1);
    const fits = await crypto.subtle
      .importKey('jwk', jwk, keyParams(algorithm), false, ['verify'])
      .then(async (publicKey) => crypto.subtle.verify(params, publicKey, await crypto.subtle.sign(params, pair.privateKey, probe), probe))
      .catch(() => false);
    if (!fits) throw configError("dpopKeyPair's publicKey is not its privateKey's: Okta would refuse its proofs (invalid_dpop_proof). Give the pair's own.");
    return new DpopKey(pair.privateKey, algorithm, jwk, await jwkThumbprint(jwk));
  }
  /** Signs one proof: `typ` dpop+jwt, `jwk`, and `htm`, `htu`, `iat`, a new `jti`, `nonce`, `ath`. */
  async proof(claims: DpopProofClaims): Promise<string> {
    // jti: a v4 UUID, which RFC 9449 §4.2 names as enough; `crypto.randomUUID()` costs about 0.2 µs
    // where 16 bytes of `getRandomValues` cost 2.5 µs on Node.js 20 (bench/src/explanations.md §2).
    // DPoP needs a secure context for crypto.subtle anyway, where randomUUID always exists.
    const payload: Record<string, string | number> = { htm: claims.method.toUpperCase(), htu: claims.htu, iat: Math.floor(claims.nowSeconds), jti: crypto.randomUUID() };
    if (claims.nonce !== undefined) payload.nonce = claims.nonce;
    const token = claims.accessToken;
    if (token !== undefined) {
      // A token is reused for many requests, its hash need not be: a hit awaits nothing.
      const memo = athMemos.get(this);
      payload.ath = memo?.accessToken === token ? memo.ath : await this.#ath(token);
    }
    return compactJws(this.#header, payload, (input) => crypto.subtle.sign(this.#signParams, this.#privateKey, input));
  }
  /** `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the ASCII access token, unpadded; kept for the next proof. */
  async #ath(accessToken: string): Promise<string> {
    const ath = await sha256Base64url(accessToken);
    athMemos.set(this, { accessToken, ath });
    return ath;
  }
  toJSON(): Record<string, string> {
    return { algorithm: this.algorithm, thumbprint: this.thumbprint };
  }
}
