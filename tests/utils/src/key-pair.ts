import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Which key to generate: RSA of a modulus length, EC on a named curve, or Ed25519. */
export type KeyPairKind = { type: 'rsa'; modulusLength: number } | { type: 'ec'; namedCurve: string } | { type: 'ed25519' };

const pkcs8 = { format: 'pem', type: 'pkcs8' } as const;
const spki = { format: 'pem', type: 'spki' } as const;

/**
 * A new key pair for a test, as `KeyObject`s that are safe to export. A `KeyObject` that
 * `generateKeyPairSync` returns can deadlock Node.js 20 when exported (a garbage collection during
 * the export destroys the generating job, which takes the lock the export holds: a test worker hung
 * on it in CI), so the keys come out as PEM and are parsed again, as the emulator's
 * `state/key-pair.ts` does for its own keys (where the hazard is reproduced). ESLint refuses any other
 * use of `generateKeyPairSync`.
 */
export function newKeyPair(kind: KeyPairKind): { privateKey: KeyObject; publicKey: KeyObject } {
  let pair: { privateKey: string; publicKey: string };
  switch (kind.type) {
    case 'rsa':
      pair = generateKeyPairSync('rsa', { modulusLength: kind.modulusLength, privateKeyEncoding: pkcs8, publicKeyEncoding: spki });
      break;
    case 'ec':
      pair = generateKeyPairSync('ec', { namedCurve: kind.namedCurve, privateKeyEncoding: pkcs8, publicKeyEncoding: spki });
      break;
    case 'ed25519':
      pair = generateKeyPairSync('ed25519', { privateKeyEncoding: pkcs8, publicKeyEncoding: spki });
      break;
  }
  return { privateKey: createPrivateKey(pair.privateKey), publicKey: createPublicKey(pair.publicKey) };
}
