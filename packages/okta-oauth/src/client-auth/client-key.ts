import { base64url, calculateJwkThumbprint, exportJWK, importJWK, importPKCS8, type JWK } from 'jose';
import { OktaOAuthError } from '../errors.js';
import { derToPem, inspectPkcs8, pemToDer, pkcs1ToPkcs8, sec1ToPkcs8, type Pkcs8Summary } from './pkcs8.js';
import type { WebCryptoKey } from '../internal/web-crypto.js';
import { isSigningAlgorithm, signingAlgorithms } from '../internal/algorithms.js';

/**
 * The client-assertion algorithms Okta accepts. Chosen from the key unless given.
 *
 * @example
 * ```ts
 * declare const options: ServiceAppCredentialOptions; // your service app's
 * createServiceAppCredential({ ...options, algorithm: 'RS384' }); // an RSA key, signed with SHA-384
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 */
export type ClientAssertionAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

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

/** The public members of an RSA or EC JWK (RFC 7638 §3.2 uses only these). */
function publicThumbprint(jwk: JWK): Promise<string> {
  const members: JWK = jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv ?? '', x: jwk.x ?? '', y: jwk.y ?? '' } : { kty: 'RSA', e: jwk.e ?? '', n: jwk.n ?? '' };
  return calculateJwkThumbprint(members, 'sha256');
}

const curveAlgorithms: Readonly<Record<string, ClientAssertionAlgorithm>> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' };
const hashAlgorithms: Readonly<Record<string, ClientAssertionAlgorithm>> = { 'SHA-256': 'RS256', 'SHA-384': 'RS384', 'SHA-512': 'RS512' };
const minimumRsaBits = 2048;

function keyError(message: string, cause?: unknown): OktaOAuthError {
  return new OktaOAuthError('INVALID_KEY', message, cause === undefined ? {} : { cause });
}

/** A cause without key material: WebCrypto and jose errors name the problem only, but keep just name + message. */
function safeCause(error: unknown): unknown {
  return error instanceof Error ? new Error(`${error.name}: ${error.message}`.slice(0, 200)) : undefined;
}

/**
 * The `INVALID_KEY` error for a key that imported but cannot sign (a JWK with a malformed
 * optional member, say): WebCrypto's own error names no fix. @internal
 */
export function signingFailure(algorithm: ClientAssertionAlgorithm, error: unknown): OktaOAuthError {
  if (error instanceof OktaOAuthError) return error;
  return keyError(`The client private key could not sign a ${algorithm} client assertion; check that the key is complete and unaltered.`, safeCause(error));
}

function isCryptoKey(value: unknown): value is WebCryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

function checkAlgorithmOption(algorithm: unknown, what = 'algorithm'): ClientAssertionAlgorithm | undefined {
  if (algorithm === undefined) return undefined;
  if (typeof algorithm !== 'string' || !isSigningAlgorithm(algorithm)) {
    throw keyError(`The client key ${what} "${typeof algorithm === 'string' ? algorithm : typeof algorithm}" is not one Okta accepts for client assertions: use one of ${signingAlgorithms.join(', ')}.`);
  }
  return algorithm;
}

/** Picks the algorithm: the key's natural one unless a compatible one was asked for. */
function fitAlgorithm(natural: ClientAssertionAlgorithm, requested: ClientAssertionAlgorithm | undefined, what: string): ClientAssertionAlgorithm {
  if (requested === undefined || requested === natural) return natural;
  if (natural.startsWith('RS') && requested.startsWith('RS')) return requested;
  const choices = natural.startsWith('RS') ? 'RS256, RS384 or RS512' : natural;
  throw keyError(`The algorithm "${requested}" does not match the client key (${what}); use ${choices}, or leave algorithm unset.`);
}

function checkRsaBits(bits: number): void {
  if (bits < minimumRsaBits) throw keyError(`The client RSA key has ${bits} bits; Okta and this library need at least ${minimumRsaBits}. Generate a new key.`);
}

function fromCryptoKey(key: WebCryptoKey, requested: ClientAssertionAlgorithm | undefined): ClientAssertionAlgorithm {
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

function parseJwkText(text: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw keyError('The client private key looks like JSON but does not parse: give a private JWK, or a PEM private key ("-----BEGIN PRIVATE KEY-----").');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw keyError('The client private key JSON is not a JWK object.');
  if ('keys' in value) throw keyError('The client private key is a JWK Set; pass the one private JWK (an element of "keys").');
  return value;
}

function fromJwk(jwk: JWK, requested: ClientAssertionAlgorithm | undefined): ClientAssertionAlgorithm {
  if (typeof jwk.kty !== 'string') throw keyError('The client JWK has no "kty"; give an RSA or EC private JWK.');
  if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') throw keyError(`The client JWK has kty "${jwk.kty}"; Okta accepts RSA and EC keys.`);
  if (typeof jwk.d !== 'string' || jwk.d === '') {
    throw keyError('The client JWK is a public key (it has no "d"); private_key_jwt signs with the private JWK (register the public one in Okta).');
  }
  let natural: ClientAssertionAlgorithm;
  if (jwk.kty === 'EC') {
    const fromCurve = curveAlgorithms[jwk.crv ?? ''];
    if (fromCurve === undefined) throw keyError(`The client JWK uses curve "${jwk.crv ?? ''}"; Okta accepts P-256, P-384 and P-521.`);
    natural = fromCurve;
  } else {
    let bits = 0;
    try {
      const n = base64url.decode(jwk.n ?? '');
      let first = 0;
      while (first < n.length && n[first] === 0) first++;
      const leading = n[first] ?? 0;
      bits = (n.length - first - 1) * 8 + (leading === 0 ? 0 : Math.floor(Math.log2(leading)) + 1);
    } catch {
      throw keyError('The client RSA JWK has a malformed "n".');
    }
    checkRsaBits(bits);
    natural = 'RS256';
  }
  const declared = checkAlgorithmOption(jwk.alg, 'JWK "alg"');
  if (declared !== undefined) {
    natural = fitAlgorithm(natural, declared, `a ${jwk.kty} JWK`);
    if (requested !== undefined && requested !== declared) {
      throw keyError(`The algorithm "${requested}" differs from the JWK's own "alg" ("${declared}"); remove one of them.`);
    }
  }
  return fitAlgorithm(natural, requested, `a ${jwk.kty}${jwk.kty === 'EC' ? ` ${jwk.crv ?? ''}` : ''} key`);
}

/** The private key block of a PEM text: `openssl ecparam -genkey` writes an "EC PARAMETERS" block first. */
function privateKeyBlock(pem: string): { readonly label: string; readonly block: string } | undefined {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)];
  const chosen = blocks.find((block) => block[1]?.includes('PRIVATE KEY') === true) ?? blocks[0];
  return chosen?.[1] === undefined ? undefined : { label: chosen[1], block: chosen[0] };
}

const decryptCommand = 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem';

/** Checks a PEM private key and returns its algorithm and its PKCS#8 PEM (PKCS#1 and SEC1 keys are wrapped). */
function fromPem(pem: string, requested: ClientAssertionAlgorithm | undefined): { readonly algorithm: ClientAssertionAlgorithm; readonly pkcs8: string } {
  const found = privateKeyBlock(pem);
  if (found === undefined) {
    throw keyError('The client private key is neither a PEM block nor a JWK: give a PEM private key ("-----BEGIN PRIVATE KEY-----") or a private JWK as JSON.');
  }
  const { label, block } = found;
  if (label === 'ENCRYPTED PRIVATE KEY' || /^Proc-Type:\s*4,\s*ENCRYPTED/m.test(block)) {
    throw keyError(`The client key PEM is encrypted; decrypt it to an unencrypted PKCS#8 "PRIVATE KEY" (it asks for the passphrase): ${decryptCommand}`);
  }
  if (label.includes('PUBLIC KEY') || label === 'CERTIFICATE') {
    throw keyError(`The client key PEM holds a ${label.toLowerCase()}; private_key_jwt signs with the private key (keep the public key registered in Okta).`);
  }
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY' && label !== 'EC PRIVATE KEY') {
    throw keyError(`The client key PEM is a "${label}"; give a "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1).`);
  }
  let der: Uint8Array;
  let summary: Pkcs8Summary;
  try {
    der = pemToDer(block);
    if (label === 'RSA PRIVATE KEY') der = pkcs1ToPkcs8(der);
    else if (label === 'EC PRIVATE KEY') der = sec1ToPkcs8(der);
    summary = inspectPkcs8(der);
  } catch {
    throw keyError(`The client key PEM is damaged: its base64 body is not a ${label === 'PRIVATE KEY' ? 'PKCS#8' : label === 'RSA PRIVATE KEY' ? 'PKCS#1 RSA' : 'SEC1 EC (with a named curve)'} private key. Copy the whole block again.`);
  }
  const pkcs8 = label === 'PRIVATE KEY' ? block : derToPem(der);
  if (summary.type === 'RSA') {
    checkRsaBits(summary.bits);
    return { algorithm: fitAlgorithm('RS256', requested, 'an RSA key'), pkcs8 };
  }
  if (summary.type === 'EC') {
    const natural = curveAlgorithms[summary.curve];
    if (natural === undefined) throw keyError('The client EC key uses a curve Okta does not accept; use P-256, P-384 or P-521.');
    return { algorithm: fitAlgorithm(natural, requested, `an EC ${summary.curve} key`), pkcs8 };
  }
  throw keyError(`The client key is ${summary.name === 'an unknown algorithm' ? 'of an unknown type' : `an ${summary.name} key`}; Okta accepts RSA and EC (P-256, P-384, P-521) keys.`);
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
    const thumbprint = input.extractable ? exportJWK(input).then(publicThumbprint, () => undefined) : Promise.resolve(undefined);
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
      return withLazyImport(algorithm, options.keyId, () => importPKCS8(pkcs8, algorithm, { extractable: false }), async () =>
        publicThumbprint(await exportJWK(await importPKCS8(pkcs8, algorithm, { extractable: true }))),
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
  // Import the key material only: a stale alg/use/key_ops/ext must not fight the checked algorithm.
  const material: JWK = { ...jwk };
  delete material.alg;
  delete material.use;
  delete material.key_ops;
  delete material.ext;
  return withLazyImport(
    algorithm,
    options.keyId ?? kid,
    async () => {
      const key = await importJWK(material, algorithm, { extractable: false });
      if (!isCryptoKey(key)) throw new TypeError('jose returned raw bytes');
      return key;
    },
    () => publicThumbprint(material),
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
