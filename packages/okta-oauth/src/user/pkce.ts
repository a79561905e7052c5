import { sha256Base64url } from '@org/okta-auth-core/internal';

/**
 * The PKCE `S256` code challenge of a code verifier:
 * `BASE64URL(SHA-256(ASCII(code_verifier)))`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
export async function codeChallengeS256(codeVerifier: string): Promise<string> {
  return sha256Base64url(codeVerifier);
}

/** RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`. */
export function isValidCodeVerifier(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
}
