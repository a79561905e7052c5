import { base64url } from 'jose';

/** A fresh unguessable identifier (128 bits, base64url) for `jti` values. @internal */
export function randomId(): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(16)));
}
