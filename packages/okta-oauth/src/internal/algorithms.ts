import type { ClientAssertionAlgorithm } from '../client-auth/client-key.js';
import type { DpopAlgorithm } from '../dpop/dpop-key.js';

/**
 * The package's one list of the asymmetric JWS algorithms Okta accepts, for client assertions
 * (`private_key_jwt`, a key or a KMS signer) and DPoP proofs alike: RSASSA-PKCS1-v1_5 and ECDSA
 * over SHA-256/384/512. Messages list them in this order.
 * @see https://developer.okta.com/docs/reference/api/oidc/#token-authentication-methods
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-5.1
 * @internal
 */
export const signingAlgorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const satisfies readonly (ClientAssertionAlgorithm & DpopAlgorithm)[];

/** Whether `value` is one of {@link signingAlgorithms}. @internal */
export function isSigningAlgorithm(value: unknown): value is ClientAssertionAlgorithm & DpopAlgorithm {
  return typeof value === 'string' && (signingAlgorithms as readonly string[]).includes(value);
}

/**
 * How a refusal shows the name it refused (an algorithm, a mode): a string of up to 16 characters
 * quoted (every name these options take is shorter), anything else by its type only, so a secret
 * put in the wrong place (a client secret, a key) is never echoed, and a value `JSON.stringify`
 * cannot write (a BigInt) is still a typed refusal. @internal
 */
export const refusedName = (value: unknown): string => (typeof value !== 'string' ? typeof value : value.length > 16 ? `(a string of ${value.length} characters, not shown)` : JSON.stringify(value));
