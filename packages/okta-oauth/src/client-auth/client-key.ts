import type { JWK } from 'jose';
import { envLineBreaks } from '@org/okta-auth-core/internal';
import { jwkThumbprint, keyMaterial, keyParams } from '../internal/jws.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import { exportedThumbprint, isCryptoKey, prepareCryptoKey } from './crypto-key-input.js';
import { fromJwk, parseJwkText, refuseKeySet } from './jwk-input.js';
import { checkAlgorithmOption, keyError, safeCause, type ClientAssertionAlgorithm } from './key-algorithm.js';
import { fromPem } from './pem-input.js';
import { checkKeyId } from '../internal/validate.js';

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

/** The non-extractable (or, for the thumbprint, extractable) WebCrypto import of a checked key. */
function importKey(key: ClientKeyMaterial, extractable: boolean): Promise<WebCryptoKey> {
  const params = keyParams(key.algorithm);
  return key.format === 'jwk'
    ? crypto.subtle.importKey('jwk', key.material as JWK, params, extractable, ['sign'])
    : crypto.subtle.importKey('pkcs8', key.material as Uint8Array<ArrayBuffer>, params, extractable, ['sign']);
}

/** A checked PEM or JWK key, ready for WebCrypto's `importKey`. @internal */
export interface ClientKeyMaterial {
  readonly algorithm: ClientAssertionAlgorithm;
  readonly keyId: string | undefined;
  readonly format: 'pkcs8' | 'jwk';
  readonly material: Uint8Array<ArrayBuffer> | JWK;
}

/**
 * The one reader of PEM and JWK client keys: checks type, size, curve, algorithm and `kid`
 * synchronously and returns what WebCrypto imports. `INVALID_KEY` never shows key material. @internal
 */
export function readClientKey(input: unknown, options: { readonly keyId?: string | undefined; readonly algorithm?: string | undefined } = {}): ClientKeyMaterial {
  const requested = checkAlgorithmOption(options.algorithm);
  let jwk: JWK;
  if (typeof input === 'string') {
    // Environment variables often carry a PEM or a JWK with literal "\n", a Windows .env file with literal "\r\n": core's one
    // reading of them, as the CLI's. A JWK holds none of its own (base64url and names): only the whitespace between its members.
    const text = envLineBreaks(input).trim();
    if (text === '') throw keyError('The client private key is empty.');
    if (!text.startsWith('{') && !text.startsWith('[')) {
      const { algorithm, pkcs8 } = fromPem(text, requested);
      return { algorithm, keyId: options.keyId, format: 'pkcs8', material: pkcs8 };
    }
    jwk = parseJwkText(text);
  } else if (typeof input === 'object' && input !== null) {
    // readFile(path) without an encoding gives a Buffer, read as a JWK it would have "no kty".
    if (ArrayBuffer.isView(input) || Object.prototype.toString.call(input) === '[object ArrayBuffer]') {
      throw keyError("The client private key is bytes (a Buffer, Uint8Array or ArrayBuffer): pass the PEM as text, such as readFile(path, 'utf8'), or a private JWK.");
    }
    const candidate = input as Record<string, unknown>;
    if (typeof candidate.asymmetricKeyType === 'string' && typeof candidate.export === 'function') {
      throw keyError("The client private key is a Node.js KeyObject: pass keyObject.export({ format: 'pem', type: 'pkcs8' }), or a CryptoKey.");
    }
    if ('privateKey' in candidate && 'publicKey' in candidate) throw keyError('The client private key is a key pair: pass its privateKey.');
    refuseKeySet(input);
    jwk = input;
  } else {
    throw keyError('The client private key must be a PEM string, a private JWK or a CryptoKey.');
  }
  const algorithm = fromJwk(jwk, requested);
  // The JWK's own kid goes where the keyId option goes (the assertion's header, the token errors' hints): the same check.
  const kid = jwk.kid === '' ? undefined : checkKeyId(jwk.kid, "The client JWK's kid");
  if (options.keyId !== undefined && kid !== undefined && options.keyId !== kid) {
    throw keyError(`The keyId "${options.keyId}" differs from the JWK's own "kid" ("${kid}"); remove one of them.`);
  }
  return { algorithm, keyId: options.keyId ?? kid, format: 'jwk', material: keyMaterial(jwk) };
}

/** Imports checked key material non-extractable; a WebCrypto refusal becomes `INVALID_KEY`. @internal */
export function importClientKey(key: ClientKeyMaterial): Promise<WebCryptoKey> {
  return importKey(key, false).catch((error: unknown) => {
    throw keyError(`The client ${key.algorithm.startsWith('RS') ? 'RSA' : 'EC'} private key could not be imported for ${key.algorithm}; check that it is complete.`, safeCause(error));
  });
}

/** The RFC 7638 thumbprint of checked key material's public half. @internal */
export async function materialThumbprint(key: ClientKeyMaterial): Promise<string> {
  return key.format === 'jwk' ? jwkThumbprint(key.material as JWK) : exportedThumbprint(await importKey(key, true));
}

/**
 * Checks a client private key for `private_key_jwt` synchronously (type, size, curve,
 * algorithm, `kid`) and starts its non-extractable WebCrypto import. Refuses public keys,
 * RSA keys under 2048 bits, unsupported types and curves, and an `algorithm` that does not
 * fit the key, with an `INVALID_KEY` error that never shows key material. A `CryptoKey` goes to
 * {@link prepareCryptoKey}; PEM and JWK to {@link readClientKey}.
 * @internal
 */
export function prepareClientKey(
  input: ClientPrivateKeyInput,
  options: { readonly keyId?: string | undefined; readonly algorithm?: string | undefined } = {},
): ClientSigningKey {
  if (isCryptoKey(input)) return prepareCryptoKey(input, options);
  const key = readClientKey(input, options);
  let thumbprint: Promise<string | undefined> | undefined;
  const loading = importClientKey(key);
  // Surface the failure on first use, not as an unhandled rejection.
  loading.catch(() => undefined);
  return {
    algorithm: key.algorithm,
    keyId: key.keyId,
    load: () => loading,
    thumbprint: () => (thumbprint ??= materialThumbprint(key).catch(() => undefined)),
  };
}
