import type { ClientAuthentication } from '../client-auth/client-auth.js';
import { randomId } from '@org/okta-auth-core/internal';

/** The parts of a token cache key. @internal */
export interface TokenCacheKeyParts {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  /**
   * Names the client authentication without revealing it (see `ClientAuthentication.binding`):
   * two credentials with the same client id but a different secret or key never share a token.
   */
  readonly clientBinding: string;
  readonly scopes: readonly string[];
  readonly dpopJkt?: string | undefined;
}

/**
 * The cache key for one service or OIN app token: token endpoint (so the org), client id, client
 * authentication binding (a keyed hash of the secret or the key's thumbprint), sorted scopes,
 * DPoP key thumbprint (or `bearer`). Contains no secret. Versioned so a shared store survives
 * format changes (v1 keys, which lacked the binding, are never read).
 * @internal
 */
export function tokenCacheKey(parts: TokenCacheKeyParts): string {
  const scopes = [...new Set(parts.scopes)].sort().join(' ');
  return ['okta-oauth:v2', parts.tokenEndpoint, parts.clientId, parts.clientBinding, scopes, parts.dpopJkt ?? 'bearer'].map(encodeURIComponent).join('|');
}

/**
 * The client binding of a cache key: the client authentication's own (a keyed hash of the
 * secret, the public key's thumbprint), or, where none can be derived (a non-extractable
 * `CryptoKey`), a random value unique to this credential, so it never shares a token.
 * @internal
 */
export async function tokenCacheBinding(clientAuth: Pick<ClientAuthentication, 'method' | 'binding'>): Promise<string> {
  const binding = await clientAuth.binding?.().catch(() => undefined);
  return `${clientAuth.method}:${binding ?? `local-${randomId()}`}`;
}
