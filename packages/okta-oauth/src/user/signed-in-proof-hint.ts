import { parseWwwAuthenticate } from '@org/okta-auth-core/internal';

/**
 * An API's `WWW-Authenticate: DPoP error="invalid_dpop_proof"` to a signed-in user's call (the
 * root entry's sign-in client): restored tokens stay bound to the key they were issued with.
 *
 * @example
 * ```ts
 * const rootHints: OAuthHints = { ...signInHints, proof: signedInProofHint };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-7.1
 * @internal
 */
export const signedInProofHint = (response: Response): string | undefined =>
  parseWwwAuthenticate(response.headers.get('www-authenticate')).some((challenge) => challenge.params.error === 'invalid_dpop_proof')
    ? 'Okta refused the DPoP proof: DPoP-bound tokens need the DPoP key they were issued with (give the sign-in client that same dpopKeyPair: one made without it has a new key); otherwise check the system clock.'
    : undefined;
