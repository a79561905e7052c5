import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { oktaId } from './ids.js';
import { newKeyPair } from './key-pair.js';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

/**
 * The org's token-signing keys (RS256). The newest key signs; the previous key stays published in
 * `/oauth2/v1/keys`, as Okta keeps the old key during a rotation.
 */
export class SigningKeys {
  #keys: SigningKey[] = [];

  /** Keys are made on first use, so starting an org stays fast (a pair the pool made off the event loop since the org started, `key-pair.ts`). */
  #ensure(): void {
    if (this.#keys.length === 0) this.rotate();
  }

  /** Generate a new signing key and make it current; returns its `kid`. */
  rotate(): string {
    const { privateKey, publicKey } = newKeyPair('RSA');
    const kid = oktaId('kid').slice(0, 20);
    const jwk = publicKey.export({ format: 'jwk' });
    const publicJwk: JWK = { kty: 'RSA', alg: 'RS256', kid, use: 'sig', e: jwk.e ?? '', n: jwk.n ?? '' };
    this.#keys = [{ kid, privateKey, publicJwk }, ...this.#keys].slice(0, 2);
    return kid;
  }

  current(): SigningKey {
    this.#ensure();
    const key = this.#keys[0];
    if (key === undefined) throw new Error('internal: no signing key (#ensure makes one)');
    return key;
  }

  jwks(): { keys: JWK[] } {
    this.#ensure();
    return { keys: this.#keys.map((k) => ({ ...k.publicJwk })) };
  }
}
