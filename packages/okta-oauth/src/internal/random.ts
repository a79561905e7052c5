import { base64url } from './jws.js';

/**
 * The package's one source of random identifiers: `bytes` bytes of entropy from
 * `crypto.getRandomValues`, base64url without padding. 16 bytes (128 bits) for `jti` values
 * and cache keys; 32 for `state` and `nonce` (43 characters); 48 for a PKCE code verifier. A DPoP
 * proof's `jti` is `crypto.randomUUID()` instead (hot path; see `dpop/dpop-key.ts`).
 * @internal
 */
export function randomId(bytes = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * The package's one SHA-256 helper: base64url (unpadded) of the SHA-256 of the UTF-8 text.
 * Used for the PKCE `S256` challenge (RFC 7636 §4.2) and the DPoP `ath` (RFC 9449 §4.2).
 * @internal
 */
export async function sha256Base64url(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}
