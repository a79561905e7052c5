import { jwkThumbprint } from '../internal/jws.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import type { ClientSigningKey } from './client-key.js';
import { checkAlgorithmOption, checkRsaBits, curveAlgorithms, fitAlgorithm, keyError, type ClientAssertionAlgorithm } from './key-algorithm.js';

const hashAlgorithms: Readonly<Record<string, ClientAssertionAlgorithm>> = { 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' };

/** Whether a client key input is a WebCrypto `CryptoKey`. @internal */
export function isCryptoKey(value: unknown): value is WebCryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/**
 * Checks a client `CryptoKey` (private, `sign` usage, RSA of 2048+ bits or ECDSA on an Okta
 * curve) and returns its algorithm: an RSA key's hash is fixed at import, so only its own. @internal
 */
export function fromCryptoKey(key: WebCryptoKey, requested: ClientAssertionAlgorithm | undefined): ClientAssertionAlgorithm {
  if (key.type !== 'private') {
    throw keyError(`The client CryptoKey is a ${key.type} key; private_key_jwt signs with the private key (the public key stays registered in Okta).`);
  }
  if (!key.usages.includes('sign')) throw keyError('The client CryptoKey cannot sign: import it with the "sign" usage.');
  const algorithm = key.algorithm as { name: string; namedCurve?: string; modulusLength?: number; hash?: { name: string } };
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') {
    checkRsaBits(algorithm.modulusLength ?? 0);
    const natural = hashAlgorithms[algorithm.hash?.name ?? ''];
    if (natural === undefined) throw keyError(`The client RSA CryptoKey uses hash ${algorithm.hash?.name ?? 'unknown'}; use SHA-256, SHA-384 or SHA-512.`);
    if (requested !== undefined && requested !== natural) {
      throw keyError(`The client CryptoKey was imported for ${natural} (its hash is fixed), not ${requested}: re-import it with the matching hash, or leave algorithm unset.`);
    }
    return natural;
  }
  if (algorithm.name === 'ECDSA') {
    const natural = curveAlgorithms[algorithm.namedCurve ?? ''];
    if (natural === undefined) throw keyError(`The client EC CryptoKey uses curve ${algorithm.namedCurve ?? 'unknown'}; Okta accepts P-256, P-384 and P-521.`);
    return fitAlgorithm(natural, requested, `an EC ${algorithm.namedCurve ?? ''} key`);
  }
  throw keyError(`The client CryptoKey is a ${algorithm.name} key; Okta accepts RSA (RSASSA-PKCS1-v1_5) and ECDSA (P-256, P-384, P-521) keys.`);
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
  const algorithm = fromCryptoKey(key, checkAlgorithmOption(options.algorithm));
  const thumbprint = importedThumbprints.get(key) ?? (key.extractable ? exportedThumbprint(key).catch(() => undefined) : undefined);
  return {
    algorithm,
    keyId: options.keyId,
    load: () => Promise.resolve(key),
    thumbprint: typeof thumbprint === 'function' ? thumbprint : () => Promise.resolve(thumbprint),
  };
}
