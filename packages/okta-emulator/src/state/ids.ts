import { createHash, randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An Okta-style object id: a 3-character prefix (`00u` users, `0oa` apps, …) and 17 base62 characters. */
export function oktaId(prefix: string): string {
  let out = prefix;
  while (out.length < 20) out += BASE62.charAt(randomInt(62));
  return out;
}

/** A random base64url string from `bytes` random bytes. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A user code for the device grant: 8 consonant-only upper-case letters (no vowels, so no words). */
export function userCode(): string {
  const letters = 'BCDFGHJKLMNPQRSTVWXZ';
  let out = '';
  for (let i = 0; i < 8; i++) out += letters.charAt(randomInt(letters.length));
  return out;
}

/** base64url(SHA-256(ascii)), as used by PKCE S256 and the DPoP `ath` claim. */
export function sha256b64url(value: string): string {
  return createHash('sha256').update(value, 'ascii').digest('base64url');
}
