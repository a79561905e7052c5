/**
 * The packages' one base64url codec (RFC 4648 §5, unpadded, as JWS uses it: RFC 7515 §2), and on
 * it their one source of random identifiers and their one SHA-256 helper. `@org/okta-oauth`
 * (JWS segments, `jti`, `state`/`nonce`, PKCE, DPoP `ath`, thumbprints) and
 * `@org/okta-token-store-redis` (Redis keys, lock owners, AES-GCM entries) use them, through
 * `@org/okta-auth-core/internal`. Web standards only: no Buffer.
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * base64url without padding (RFC 7515 §2). A table lookup: on the DPoP hot path it is about 3×
 * faster than `btoa` and three regular-expression replaces. @internal
 */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  const at = (index: number): number => bytes[index] ?? 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const value = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += alphabet.charAt(value >> 18) + alphabet.charAt((value >> 12) & 63);
    if (i + 1 < bytes.length) out += alphabet.charAt((value >> 6) & 63);
    if (i + 2 < bytes.length) out += alphabet.charAt(value & 63);
  }
  return out;
}

/**
 * Decodes base64url (padding optional). Throws a `TypeError` on anything else: the standard
 * alphabet's `+` and `/`, whitespace, a misplaced `=`. @internal
 */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[\w-]*={0,2}$/.test(text)) throw new TypeError('not base64url');
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
}

/**
 * The one source of random identifiers: `bytes` bytes of entropy from `crypto.getRandomValues`,
 * base64url without padding. 16 bytes (128 bits) for `jti` values, cache keys and Redis lock
 * owners; 32 for `state` and `nonce` (43 characters); 48 for a PKCE code verifier. A DPoP
 * proof's `jti` is `crypto.randomUUID()` instead (hot path; see okta-oauth's `dpop/dpop-key.ts`).
 * @internal
 */
export function randomId(bytes = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * The one SHA-256 helper: base64url (unpadded) of the SHA-256 of the UTF-8 text. Used for the
 * PKCE `S256` challenge (RFC 7636 §4.2), the DPoP `ath` (RFC 9449 §4.2) and Redis keys.
 * @internal
 */
export async function sha256Base64url(text: string): Promise<string> {
  // Flat: `base64url` grows its text a character at a time (the DPoP hot path's fastest way), a tree of some 40 pieces,
  // about 1 kB of heap; this digest is kept as a key (a rate-limit bucket's, a tab's spent token, a transaction's id),
  // and `normalize()` (the same text: base64url is ASCII) copies it into one string of 43 characters, 0.1–0.2 µs a call.
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))).normalize();
}
