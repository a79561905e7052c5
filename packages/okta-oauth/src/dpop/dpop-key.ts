import { calculateJwkThumbprint, CompactSign, exportJWK, generateKeyPair, type CompactJWSHeaderParameters, type JWK } from 'jose';
import { OktaOAuthError } from '../errors.js';
import { randomId, sha256Base64url } from '../internal/random.js';
import type { WebCryptoKey, WebCryptoKeyPair } from '../internal/web-crypto.js';
import { isSigningAlgorithm, signingAlgorithms } from '../internal/algorithms.js';

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

const encoder = new TextEncoder();


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
 * A DPoP key pair (RFC 9449): the private key is a non-extractable WebCrypto key held in a
 * private field; only the public JWK and its thumbprint (`jkt`) are visible. Never the
 * client-assertion key.
 * @internal
 */
export class DpopKey {
  readonly #privateKey: WebCryptoKey;
  /** The proof algorithm, ES256 by default. */
  readonly algorithm: DpopAlgorithm;
  /** The public JWK, sent in every proof header. */
  readonly publicJwk: Readonly<JWK>;
  /** base64url SHA-256 JWK thumbprint (RFC 7638): Okta's `cnf.jkt` for tokens bound to this key. */
  readonly thumbprint: string;
  /** The protected header, the same for every proof of this key. */
  readonly #header: CompactJWSHeaderParameters;
  /** `ath` of the last access token: a token is reused for many requests, its hash need not be. */
  #athMemo: { readonly accessToken: string; readonly ath: string } | undefined;

  private constructor(privateKey: WebCryptoKey, algorithm: DpopAlgorithm, publicJwk: JWK, thumbprint: string) {
    this.#privateKey = privateKey;
    this.algorithm = algorithm;
    this.publicJwk = Object.freeze(publicJwk);
    this.thumbprint = thumbprint;
    this.#header = { alg: algorithm, typ: 'dpop+jwt', jwk: { ...publicJwk } };
  }

  /** Generates a fresh non-extractable key pair (ES256 unless told otherwise). */
  static async generate(algorithm: DpopAlgorithm = 'ES256'): Promise<DpopKey> {
    if (!isSigningAlgorithm(algorithm)) {
      throw new OktaOAuthError('INVALID_CONFIG', `dpopAlgorithm "${String(algorithm)}" is not one Okta accepts: use one of ${signingAlgorithms.join(', ')}.`);
    }
    const pair = await generateKeyPair(algorithm, { extractable: false, ...(algorithm.startsWith('RS') ? { modulusLength: 2048 } : {}) });
    return DpopKey.fromKeyPair(pair, algorithm);
  }

  /** Wraps an existing WebCrypto key pair (for example one kept in IndexedDB). */
  static async fromKeyPair(pair: WebCryptoKeyPair, algorithm: DpopAlgorithm): Promise<DpopKey> {
    if (pair.privateKey.type !== 'private' || pair.publicKey.type !== 'public') {
      throw new OktaOAuthError('INVALID_CONFIG', 'dpopKeyPair must be a WebCrypto key pair with a private and a public key.');
    }
    const full = await exportJWK(pair.publicKey);
    const publicJwk: JWK =
      full.kty === 'EC' ? { kty: full.kty, crv: full.crv ?? '', x: full.x ?? '', y: full.y ?? '' } : { kty: full.kty ?? 'RSA', e: full.e ?? '', n: full.n ?? '' };
    const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
    return new DpopKey(pair.privateKey, algorithm, publicJwk, thumbprint);
  }

  /** Signs one proof: `typ` dpop+jwt, `jwk`, and `htm`, `htu`, `iat`, a new `jti`, `nonce`, `ath`. */
  async proof(claims: DpopProofClaims): Promise<string> {
    const payload: Record<string, string | number> = { htm: claims.method.toUpperCase(), htu: claims.htu, iat: Math.floor(claims.nowSeconds), jti: randomId() };
    if (claims.nonce !== undefined) payload.nonce = claims.nonce;
    if (claims.accessToken !== undefined) payload.ath = await this.#ath(claims.accessToken);
    // jose's CompactSign: the claims are fixed here, so SignJWT's claim builders add nothing but cost.
    return new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader(this.#header).sign(this.#privateKey);
  }

  async #ath(accessToken: string): Promise<string> {
    if (this.#athMemo?.accessToken === accessToken) return this.#athMemo.ath;
    const ath = await accessTokenHash(accessToken);
    this.#athMemo = { accessToken, ath };
    return ath;
  }

  toJSON(): Record<string, string> {
    return { algorithm: this.algorithm, thumbprint: this.thumbprint };
  }
}

/**
 * `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the ASCII access token, unpadded.
 * @internal
 */
export async function accessTokenHash(accessToken: string): Promise<string> {
  return sha256Base64url(accessToken);
}
