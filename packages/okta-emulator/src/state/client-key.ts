import type { JWK } from 'jose';
import { randomToken } from './ids.js';
import { newKeyPair } from './key-pair.js';
import type { ServiceAppCredentials } from './app-options.js';

/** A client-authentication key pair of an app, without its client id. */
export type ClientKeyPair = Omit<ServiceAppCredentials, 'clientId'>;

/**
 * A new client-authentication key pair (RS256 or ES256) under a random `kid`: the private key as PEM
 * and JWK for the test, the public JWK for the app's keys.
 */
export function generateKey(keyType: 'RSA' | 'EC'): ClientKeyPair {
  const alg = keyType === 'EC' ? 'ES256' : 'RS256';
  const { privateKey, publicKey } = newKeyPair(keyType);
  const keyId = randomToken(16);
  const privateJwk: JWK = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg };
  const publicJwk: JWK = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid: keyId, alg, use: 'sig' };
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { keyId, privateKeyPem, privateJwk, publicJwk };
}
