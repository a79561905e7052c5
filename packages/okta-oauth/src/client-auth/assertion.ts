import { compactJws, encodeJson } from '../internal/jws.js';
import { randomId } from '@org/okta-auth-core/internal';
import type { ClientAuthRequest } from './client-auth.js';
import { keyError } from './key-algorithm.js';

/** Client assertion lifetime: short (Okta allows at most an hour), long enough for slow clocks. @internal */
export const clientAssertionLifetimeSeconds = 300;

/** The RFC 7523 `client_assertion_type`. @internal */
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What signs one assertion: the JWS `alg`, the `kid` (if any) and the JWS signature (r‖s for ES*) over the signing input. @internal */
export interface AssertionSigner {
  readonly alg: string;
  readonly kid: string | undefined;
  sign(data: Uint8Array<ArrayBuffer>, signal: AbortSignal | undefined): Promise<Uint8Array>;
}

/** ECDSA JWS signatures are r‖s of this many bytes (RFC 7518 §3.4). */
const ecSignatureBytes: Readonly<Record<string, number>> = { ES256: 64, ES384: 96, ES512: 132 };

/** Reads one DER INTEGER at `at`; returns its unsigned big-endian bytes and where the next element starts. */
function derInteger(der: Uint8Array, at: number): { value: Uint8Array; next: number } | undefined {
  if (der[at] !== 0x02) return undefined;
  const length = der[at + 1];
  if (length === undefined || length > 0x7f) return undefined;
  let start = at + 2;
  const end = start + length;
  if (end > der.length) return undefined;
  while (start < end - 1 && der[start] === 0) start++;
  return { value: der.subarray(start, end), next: end };
}

/** A DER `SEQUENCE { r INTEGER, s INTEGER }` (what AWS KMS, GCP KMS and HSMs return) as JWS r‖s, or undefined. */
function derToJoseSignature(der: Uint8Array, size: number): Uint8Array | undefined {
  if (der[0] !== 0x30) return undefined;
  let at = 2;
  const first = der[1] ?? 0;
  if (first === 0x81) at = 3;
  else if (first > 0x81) return undefined;
  const r = derInteger(der, at);
  const s = r === undefined ? undefined : derInteger(der, r.next);
  if (r === undefined || s?.next !== der.length) return undefined;
  const half = size / 2;
  if (r.value.length > half || s.value.length > half) return undefined;
  const out = new Uint8Array(size);
  out.set(r.value, half - r.value.length);
  out.set(s.value, size - s.value.length);
  return out;
}

/**
 * Checks a signature a user's signer returned; ECDSA DER signatures are converted to JWS form. Only
 * `privateKeyJwt`'s signer path calls it: WebCrypto's own ECDSA signatures are already r‖s, so a
 * `CryptoKey` bundle does not carry the DER conversion. @internal
 */
export function joseSignature(alg: string, signature: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (signature instanceof Uint8Array) bytes = signature;
  else if (signature instanceof ArrayBuffer) bytes = new Uint8Array(signature);
  else throw keyError(`The client assertion signer returned ${signature === null ? 'null' : typeof signature}, not the ${alg} signature bytes: return a Uint8Array.`);
  const size = ecSignatureBytes[alg];
  if (size === undefined || bytes.length === size) {
    if (bytes.length === 0) throw keyError(`The client assertion signer returned an empty ${alg} signature.`);
    return bytes;
  }
  const converted = derToJoseSignature(bytes, size);
  if (converted === undefined) {
    throw keyError(`The client assertion signer returned ${bytes.length} bytes for ${alg}; a JWS ${alg} signature is ${size} bytes (r‖s) or a DER ECDSA signature.`);
  }
  return converted;
}

/**
 * Builds and signs one RFC 7523 §3 client assertion: `iss` = `sub` = client id, `aud` = the
 * endpoint invoked, `iat`, `exp` = `iat` + 5 min, a random `jti`; `kid` in the header when known.
 * Sets `client_assertion_type` and `client_assertion` on the body. An error the signer throws
 * reaches the caller as itself.
 * @see https://developer.okta.com/docs/guides/build-self-signed-jwt/main/
 * @internal
 */
export async function addClientAssertion(request: ClientAuthRequest, signer: AssertionSigner): Promise<void> {
  const { clientId, endpoint, nowSeconds } = request;
  const header = signer.kid === undefined ? { alg: signer.alg, typ: 'JWT' } : { alg: signer.alg, typ: 'JWT', kid: signer.kid };
  const claims = { iss: clientId, sub: clientId, aud: endpoint.href, iat: nowSeconds, exp: nowSeconds + clientAssertionLifetimeSeconds, jti: randomId() };
  const assertion = await compactJws(encodeJson(header), claims, (input) => signer.sign(input, request.signal));
  request.body.set('client_assertion_type', jwtBearerAssertionType);
  request.body.set('client_assertion', assertion);
}
