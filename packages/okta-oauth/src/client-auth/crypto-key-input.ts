import { jwkThumbprint } from '../internal/jws.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import type { ClientSigningKey } from './client-key.js';
import { checkRsaBits, keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';

/**
 * The algorithm each WebCrypto key (`key.algorithm`'s name with its hash or curve) signs with, as Okta
 * accepts them. Without a prototype, as every table looked up by a key from outside (docs/SECURITY.md, "Keys from outside").
 */
const cryptoKeyAlgorithms: Readonly<Record<string, ClientAssertionAlgorithm>> = Object.assign(Object.create(null) as Record<string, ClientAssertionAlgorithm>, {
  'RSASSA-PKCS1-v1_5 SHA-256': 'RS256',
  'RSASSA-PKCS1-v1_5 SHA-384': 'RS384',
  'RSASSA-PKCS1-v1_5 SHA-512': 'RS512',
  'ECDSA P-256': 'ES256',
  'ECDSA P-384': 'ES384',
  'ECDSA P-521': 'ES512',
});

/** Whether a client key input is a WebCrypto `CryptoKey`. @internal */
export function isCryptoKey(value: unknown): value is WebCryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/**
 * Checks a client `CryptoKey` (private, `sign` usage, RSA of 2048+ bits or ECDSA on an Okta
 * curve) and returns its algorithm, read from `key.algorithm`: a WebCrypto key's hash or curve is
 * fixed at import, so only its own. @internal
 */
export function fromCryptoKey(key: WebCryptoKey, requested: string | undefined): ClientAssertionAlgorithm {
  if (key.type !== 'private') {
    throw keyError(`The client CryptoKey is a ${key.type} key; private_key_jwt signs with the private key (the public key stays registered in Okta).`);
  }
  if (!key.usages.includes('sign')) throw keyError('The client CryptoKey cannot sign: import it with the "sign" usage.');
  const algorithm = key.algorithm as { name: string; namedCurve?: string; modulusLength?: number; hash?: { name: string } };
  const kind = `${algorithm.name} ${algorithm.hash?.name ?? algorithm.namedCurve ?? ''}`.trim();
  const natural = cryptoKeyAlgorithms[kind];
  if (natural === undefined) {
    throw keyError(`The client CryptoKey is ${kind}; Okta accepts RSASSA-PKCS1-v1_5 with SHA-256, SHA-384 or SHA-512, and ECDSA on P-256, P-384 or P-521.`);
  }
  if (algorithm.modulusLength !== undefined) checkRsaBits(algorithm.modulusLength);
  if (requested !== undefined && requested !== natural) {
    throw keyError(`The client CryptoKey was imported for ${natural} (${kind}, fixed at import), not ${requested}: re-import it to match, or leave algorithm unset.`);
  }
  return natural;
}

/** The RFC 7638 thumbprint of an extractable key's public half. @internal */
export async function exportedThumbprint(key: WebCryptoKey): Promise<string> {
  return jwkThumbprint(await crypto.subtle.exportKey('jwk', key));
}

/**
 * The thumbprints of the non-extractable keys `importPrivateKey` made, known from the PEM or JWK
 * it read: module-private, so no other code can claim a thumbprint for a key.
 */
const importedThumbprints = new WeakMap<WebCryptoKey, () => Promise<string | undefined>>();

/** Records the thumbprint of a key `importPrivateKey` imported (computed on first use). @internal */
export function rememberThumbprint(key: WebCryptoKey, thumbprintOf: () => Promise<string>): void {
  let thumbprint: Promise<string | undefined> | undefined;
  importedThumbprints.set(key, () => (thumbprint ??= thumbprintOf().catch(() => undefined)));
}

/**
 * A checked client `CryptoKey` for `private_key_jwt`. Its thumbprint (the token cache binding) is
 * the public half's when the key is extractable or came from `importPrivateKey`, else undefined.
 * @internal
 */
export function prepareCryptoKey(key: WebCryptoKey, options: { readonly keyId?: string | undefined; readonly algorithm?: string | undefined }): ClientSigningKey {
  const algorithm = fromCryptoKey(key, options.algorithm);
  const thumbprint = importedThumbprints.get(key) ?? (key.extractable ? exportedThumbprint(key).catch(() => undefined) : undefined);
  return {
    algorithm,
    keyId: options.keyId,
    load: () => Promise.resolve(key),
    thumbprint: typeof thumbprint === 'function' ? thumbprint : () => Promise.resolve(thumbprint),
  };
}
