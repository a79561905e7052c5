import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { oktaId } from './ids.js';
import { keyPairPool, newKeyPair } from './key-pair.js';

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

  /** The first key being made off the event loop (`ready`), so that requests at once share it. */
  #first: Promise<void> | undefined;

  /** Keys are made on first use, so starting an org stays fast (a pair the pool made off the event loop since the org started, `key-pair.ts`). */
  #ensure(): void {
    if (this.#keys.length === 0) this.rotate();
  }

  /**
   * Makes the first key, if none yet, without blocking the event loop: a request that signs or
   * publishes awaits this first. Made synchronously, an RSA key held the loop 0.1 to 6 s under load,
   * and every client sharing it (a test's, in one process with the org) timed out meanwhile.
   */
  async ready(): Promise<void> {
    if (this.#keys.length > 0) return;
    this.#first ??= keyPairPool
      .takeAsync('RSA')
      .then((pair) => {
        if (this.#keys.length === 0) this.#add(pair);
      })
      .finally(() => {
        this.#first = undefined;
      });
    await this.#first;
  }

  /** Generate a new signing key and make it current; returns its `kid`. */
  rotate(): string {
    return this.#add(newKeyPair('RSA'));
  }

  #add({ privateKey, publicKey }: { privateKey: KeyObject; publicKey: KeyObject }): string {
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
