import type { JWK } from 'jose';
import { jwkThumbprint, keyMaterial, keyParams } from '../internal/jws.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import { fromCryptoKey, isCryptoKey } from './crypto-key-input.js';
import { fromJwk, parseJwkText } from './jwk-input.js';
import { checkAlgorithmOption, keyError, safeCause, type ClientAssertionAlgorithm } from './key-algorithm.js';
import { fromPem } from './pem-input.js';

export type { ClientAssertionAlgorithm } from './key-algorithm.js';

/**
 * A private key for `private_key_jwt`: a PEM string (PKCS#8 `-----BEGIN PRIVATE KEY-----`,
 * PKCS#1 `-----BEGIN RSA PRIVATE KEY-----` or SEC1 `-----BEGIN EC PRIVATE KEY-----`, as
 * `@okta/okta-sdk-nodejs` accepts them), a private JWK (object or JSON text), or a WebCrypto
 * `CryptoKey` of type `private`.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import type { ClientPrivateKeyInput } from '@org/okta-oauth';
 *
 * const fromPem: ClientPrivateKeyInput = await readFile('key.pem', 'utf8');
 * const fromJwk: ClientPrivateKeyInput = JSON.parse(await readFile('key.jwk.json', 'utf8'));
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-a-public-private-key-pair
 */
export type ClientPrivateKeyInput = string | JWK | WebCryptoKey;

/**
 * A checked client key: its algorithm and key id are known synchronously; the WebCrypto import
 * (non-extractable) runs once, started at creation. The key material lives in a closure.
 * @internal
 */
export interface ClientSigningKey {
  readonly algorithm: ClientAssertionAlgorithm;
  readonly keyId: string | undefined;
  /** The imported private key. Rejects with `INVALID_KEY` if the import fails. */
  load(): Promise<WebCryptoKey>;
  /**
   * The RFC 7638 thumbprint of the matching public key, for token cache keys; `undefined`
   * for a non-extractable `CryptoKey` (its public half cannot be derived).
   */
  thumbprint(): Promise<string | undefined>;
}

/** The RFC 7638 thumbprint of an extractable key's public half. */
async function exportedThumbprint(key: WebCryptoKey): Promise<string> {
  return jwkThumbprint(await crypto.subtle.exportKey('jwk', key));
}

/** The non-extractable (or, for the thumbprint, extractable) WebCrypto import of a checked key. */
async function importKey(format: 'pkcs8' | 'jwk', material: Uint8Array<ArrayBuffer> | JWK, algorithm: ClientAssertionAlgorithm, extractable: boolean): Promise<WebCryptoKey> {
  const params = keyParams(algorithm);
  return await (format === 'jwk'
    ? crypto.subtle.importKey('jwk', material as JWK, params, extractable, ['sign'])
    : crypto.subtle.importKey('pkcs8', material as Uint8Array<ArrayBuffer>, params, extractable, ['sign']));
}

/**
 * Checks a client private key for `private_key_jwt` synchronously (type, size, curve,
 * algorithm, `kid`) and starts its non-extractable WebCrypto import. Refuses public keys,
 * RSA keys under 2048 bits, unsupported types and curves, and an `algorithm` that does not
 * fit the key, with an `INVALID_KEY` error that never shows key material.
 * @internal
 */
export function prepareClientKey(
  input: ClientPrivateKeyInput,
  options: { readonly keyId?: string | undefined; readonly algorithm?: string | undefined } = {},
): ClientSigningKey {
  const requested = checkAlgorithmOption(options.algorithm);
  if (isCryptoKey(input)) {
    const algorithm = fromCryptoKey(input, requested);
    const thumbprint = input.extractable ? exportedThumbprint(input).catch(() => undefined) : Promise.resolve(undefined);
    return { algorithm, keyId: options.keyId, load: () => Promise.resolve(input), thumbprint: () => thumbprint };
  }
  let jwk: JWK;
  if (typeof input === 'string') {
    const text = input.trim();
    if (text === '') throw keyError('The client private key is empty.');
    if (!text.startsWith('{')) {
      // Environment variables often carry PEM with literal "\n".
      const pem = text.replace(/\\n/g, '\n');
      const { algorithm, pkcs8 } = fromPem(pem, requested);
      return withLazyImport(algorithm, options.keyId, () => importKey('pkcs8', pkcs8, algorithm, false), async () =>
        exportedThumbprint(await importKey('pkcs8', pkcs8, algorithm, true)),
      );
    }
    jwk = parseJwkText(text);
  } else if (typeof input === 'object' && (input as unknown) !== null) {
    const candidate = input as Record<string, unknown>;
    if (typeof candidate.asymmetricKeyType === 'string' && typeof candidate.export === 'function') {
      throw keyError("The client private key is a Node.js KeyObject: pass keyObject.export({ format: 'pem', type: 'pkcs8' }), or a CryptoKey.");
    }
    if ('privateKey' in candidate && 'publicKey' in candidate) throw keyError('The client private key is a key pair: pass its privateKey.');
    jwk = input;
  } else {
    throw keyError('The client private key must be a PEM string, a private JWK or a CryptoKey.');
  }
  const algorithm = fromJwk(jwk, requested);
  const kid = typeof jwk.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
  if (options.keyId !== undefined && kid !== undefined && options.keyId !== kid) {
    throw keyError(`The keyId "${options.keyId}" differs from the JWK's own "kid" ("${kid}"); remove one of them.`);
  }
  const material = keyMaterial(jwk);
  return withLazyImport(
    algorithm,
    options.keyId ?? kid,
    () => importKey('jwk', material, algorithm, false),
    () => jwkThumbprint(material),
  );
}

function withLazyImport(
  algorithm: ClientAssertionAlgorithm,
  keyId: string | undefined,
  load: () => Promise<WebCryptoKey>,
  thumbprintOf: () => Promise<string>,
): ClientSigningKey {
  let thumbprint: Promise<string | undefined> | undefined;
  const loading = load().catch((error: unknown) => {
    throw keyError(`The client ${algorithm.startsWith('RS') ? 'RSA' : 'EC'} private key could not be imported for ${algorithm}; check that it is complete.`, safeCause(error));
  });
  // Surface the failure on first use, not as an unhandled rejection.
  loading.catch(() => undefined);
  return {
    algorithm,
    keyId,
    load: () => loading,
    thumbprint: () => (thumbprint ??= thumbprintOf().catch(() => undefined)),
  };
}
