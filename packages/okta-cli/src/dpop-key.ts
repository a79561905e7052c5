import type { SignInStorage } from '@org/okta-oauth';

const storageKey = 'okta-auth:dpop-key';
const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * The DPoP key pair a signed-in user's tokens are bound to. Tokens outlive
 * the process, so the key must too: it is generated once and kept, as a
 * private JWK, in the same `0600` token file (a CLI has no non-extractable
 * key store that survives a restart), and removed with the tokens on logout.
 */
export async function loadDpopKeyPair(storage: SignInStorage): Promise<CryptoKeyPair> {
  const stored = await storage.get(storageKey);
  if (typeof stored === 'string') {
    try {
      const jwk = JSON.parse(stored) as JsonWebKey;
      const publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as JsonWebKey;
      return {
        privateKey: await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign']),
        publicKey: await crypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']),
      };
    } catch {
      // Unreadable: make a new one (tokens bound to the old key will need a new sign-in).
    }
  }
  const pair = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  await storage.set(storageKey, JSON.stringify(await crypto.subtle.exportKey('jwk', pair.privateKey)));
  return pair;
}

/** Forgets the DPoP key (on logout). */
export async function removeDpopKeyPair(storage: SignInStorage): Promise<void> {
  await storage.remove(storageKey);
}
