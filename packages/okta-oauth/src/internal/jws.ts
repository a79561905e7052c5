import { base64url, base64urlDecode } from '@org/okta-auth-core/internal';
import type { JWK } from 'jose';
import type { WebCryptoKey } from './web-crypto.js';

/**
 * The package's one JWS signing toolkit, on WebCrypto alone (base64url is core's one codec,
 * `@org/okta-auth-core/internal`): the WebCrypto parameters of each JWS algorithm Okta accepts (RFC 7518 §3.3 RSASSA-PKCS1-v1_5, §3.4 ECDSA,
 * §3.2 HMAC), the compact serialization and the RFC 7638 thumbprint. It signs (client
 * assertions, DPoP proofs) and decodes, but never verifies: verification stays with jose (ID tokens in
 * `user/`, the emulator), whose tests check everything signed here (`jws.test.ts`). WebCrypto's
 * ECDSA signature is already the JWS `r‖s` form (RFC 7518 §3.4), so no conversion is needed.
 * Why not jose: it is 17.8 kB of the service-app bundle for what is one `crypto.subtle.sign`
 * (bench/src/explanations.md, section 5).
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @internal
 */

// Pure, both: a bundle that never signs (the sign-in client's) drops the encoder, one that never
// decodes a JWS (the service app's) the decoder.
const encoder = /* @__PURE__ */ new TextEncoder();
const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/** The JSON object a segment holds, and its text as it came (in which the ID token's claims are looked at for echoed secrets). */
function jsonObject(segment: string): readonly [Record<string, unknown>, string] {
  let value: unknown;
  let text = '';
  try {
    text = decoder.decode(base64urlDecode(segment));
    value = JSON.parse(text);
  } catch {
    // Never the parser's own error: V8's SyntaxError quotes the text, and a token from the
    // network may carry whatever the other side echoed (one of our secrets, say).
    throw new TypeError('not base64url-encoded JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('not a JSON object');
  return [value as Record<string, unknown>, text];
}

/**
 * The header and claims of a compact JWS (`header.payload.signature`), decoded and NOT
 * verified: the counterpart of {@link encodeJson}. Throws a `TypeError` that quotes nothing of the token for
 * anything that is not three base64url segments (core's one codec) whose first two are JSON objects and whose
 * third, the signature, is at least one byte (checked for its form only); `payloadText` is the payload's JSON as it came. @internal
 */
export function decodeJws(token: string): { readonly header: Record<string, unknown>; readonly payload: Record<string, unknown>; readonly payloadText: string } {
  const parts = token.split('.');
  let length = 0;
  try {
    length = base64urlDecode(parts[2] ?? '').length;
  } catch {
    // Not base64url (core's one codec): no signature, as an empty segment.
  }
  if (parts.length !== 3 || !length) throw new TypeError('not a compact JWS');
  const [header] = jsonObject(parts[0] ?? '');
  const [payload, payloadText] = jsonObject(parts[1] ?? '');
  return { header, payload, payloadText };
}

/** base64url of the UTF-8 JSON of `value`: one JWS header or payload segment. @internal */
export const encodeJson = (value: object): string => base64url(encoder.encode(JSON.stringify(value)));

/** The JWS algorithms signed here: those Okta accepts for assertions and proofs, and HMAC for `client_secret_jwt`. @internal */
export type JwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512' | 'HS256' | 'HS384' | 'HS512';

const curves: Readonly<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };

/** The WebCrypto algorithm of `alg` for `importKey` (hash and curve included). @internal */
export function keyParams(alg: JwsAlgorithm): { readonly name: string; readonly hash?: string; readonly namedCurve?: string } {
  if (alg.startsWith('ES')) return { name: 'ECDSA', namedCurve: curves[alg] ?? '' };
  return { name: alg.startsWith('HS') ? 'HMAC' : 'RSASSA-PKCS1-v1_5', hash: `SHA-${alg.slice(2)}` };
}

/** The WebCrypto algorithm of `alg` for `crypto.subtle.sign` (ECDSA names its hash here, RSA and HMAC in the key). @internal */
export function signParams(alg: JwsAlgorithm): { readonly name: string; readonly hash?: string } {
  return alg.startsWith('ES') ? { name: 'ECDSA', hash: `SHA-${alg.slice(2)}` } : { name: alg.startsWith('HS') ? 'HMAC' : 'RSASSA-PKCS1-v1_5' };
}

/**
 * Whether a WebCrypto key signs `alg` as its JWS header says: the right family, curve or hash,
 * the `sign` usage and, for RSA, at least 2048 bits (what jose checks before it signs). @internal
 */
export function keyFits(key: WebCryptoKey, alg: JwsAlgorithm): boolean {
  const algorithm = key.algorithm as { name: string; namedCurve?: string; modulusLength?: number; hash?: { name: string } };
  const wanted = keyParams(alg);
  return (
    key.type === 'private' &&
    key.usages.includes('sign') &&
    algorithm.name === wanted.name &&
    (wanted.namedCurve === undefined || algorithm.namedCurve === wanted.namedCurve) &&
    (wanted.name !== 'RSASSA-PKCS1-v1_5' || (algorithm.hash?.name === wanted.hash && (algorithm.modulusLength ?? 0) >= 2048))
  );
}

/** `header.payload.signature`, signed by `sign` over the ASCII signing input. @internal */
export async function compactJws(
  encodedHeader: string,
  payload: object,
  sign: (input: Uint8Array<ArrayBuffer>) => Promise<Uint8Array | ArrayBuffer>,
): Promise<string> {
  const input = `${encodedHeader}.${encodeJson(payload)}`;
  return `${input}.${base64url(new Uint8Array(await sign(encoder.encode(input))))}`;
}

/** The public members of an EC or RSA JWK, and nothing else (what goes into a DPoP proof's `jwk`). @internal */
export function publicJwk(jwk: JWK): JWK {
  return jwk.kty === 'EC' ? { kty: 'EC', crv: jwk.crv ?? '', x: jwk.x ?? '', y: jwk.y ?? '' } : { kty: 'RSA', e: jwk.e ?? '', n: jwk.n ?? '' };
}

/**
 * A JWK's key material only, for `importKey`: a stale `alg`, `use`, `key_ops` or `ext` must not
 * fight the algorithm the key was checked for. `use` and `key_ops` are read before, by
 * `useProblem` (`client-auth/jwk-input.ts`): a key marked for another use than signing never
 * gets here. @internal
 */
export function keyMaterial(jwk: JWK): JWK {
  const material: JWK = { ...jwk };
  delete material.alg;
  delete material.use;
  delete material.key_ops;
  delete material.ext;
  return material;
}

/**
 * The RFC 7638 SHA-256 JWK thumbprint of an EC or RSA key: the required public members in
 * lexicographic order, no whitespace, hashed and base64url-encoded. Equals jose's
 * `calculateJwkThumbprint` (tested). @internal
 */
export async function jwkThumbprint(jwk: JWK): Promise<string> {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y } : { e: jwk.e, kty: 'RSA', n: jwk.n };
  if (Object.values(members).some((value) => typeof value !== 'string' || value === '')) throw new TypeError('incomplete JWK');
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(members)))));
}
