import type { CryptoKey } from 'jose';

/**
 * A WebCrypto `CryptoKey` as the runtime's own types declare it: DOM's `CryptoKey` in a
 * browser project, Node's `webcrypto.CryptoKey` in a Node.js project (no DOM library
 * needed), a structural `{ type, algorithm, extractable, usages }` otherwise. This is
 * jose's `CryptoKey` type, so a key from `crypto.subtle` fits it everywhere.
 *
 * @example
 * ```ts
 * import type { WebCryptoKey } from '@org/okta-oauth';
 *
 * const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * const privateKey: WebCryptoKey = pair.privateKey;
 * ```
 * @see https://www.w3.org/TR/WebCryptoAPI/#cryptokey-interface
 */
export type WebCryptoKey = CryptoKey;

/**
 * A WebCrypto key pair (`crypto.subtle.generateKey` for ECDSA or RSA), declared without the
 * DOM library: DOM's `CryptoKeyPair` and Node's `webcrypto.CryptoKeyPair` both fit.
 *
 * @example
 * ```ts
 * import type { WebCryptoKeyPair } from '@org/okta-oauth';
 *
 * const dpopKeyPair: WebCryptoKeyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * ```
 * @see https://www.w3.org/TR/WebCryptoAPI/#keypair
 */
export interface WebCryptoKeyPair {
  /** The private key: signs. */
  readonly privateKey: WebCryptoKey;
  /** The public key: its JWK goes into each DPoP proof. */
  readonly publicKey: WebCryptoKey;
}
