import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

const pkcs8 = { format: 'pem', type: 'pkcs8' } as const;
const spki = { format: 'pem', type: 'spki' } as const;

/**
 * A new key pair (RSA 2048 or EC P-256) as `KeyObject`s that are safe to export.
 *
 * A `KeyObject` that `generateKeyPairSync` returns shares a lock with the key-generation job that
 * made it. On Node.js 20.20, exporting such a key (`export({ format: 'jwk' })` allocates while
 * holding the lock) can start a garbage collection that destroys the job, whose destructor takes
 * the same lock: the thread waits on itself forever (seen as a hung test worker; reproduced in
 * `key-pair.server.test.ts`). The keys are therefore generated as PEM, inside the job, and parsed
 * again into `KeyObject`s of their own. The lint rule `no-restricted-syntax` (eslint.config.js)
 * refuses any other use of `generateKeyPairSync`.
 */
export function newKeyPair(type: 'RSA' | 'EC'): { privateKey: KeyObject; publicKey: KeyObject } {
  const pair =
    type === 'EC'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: pkcs8, publicKeyEncoding: spki })
      : generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: pkcs8, publicKeyEncoding: spki });
  return { privateKey: createPrivateKey(pair.privateKey), publicKey: createPublicKey(pair.publicKey) };
}
