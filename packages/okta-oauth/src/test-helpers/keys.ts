import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';

export interface TestKey {
  readonly pem: string;
  readonly jwk: JWK;
  readonly publicJwk: JWK;
  readonly publicPem: string;
  readonly publicKey: KeyObject;
}

function wrap(privateKey: KeyObject, publicKey: KeyObject): TestKey {
  return {
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: privateKey.export({ format: 'jwk' }),
    publicJwk: publicKey.export({ format: 'jwk' }),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKey,
  };
}

const cache = new Map<string, TestKey>();

/** Test keys, generated once per process. */
export function testKey(kind: 'rsa2048' | 'rsa1024' | 'p256' | 'p384' | 'p521' | 'secp256k1' | 'ed25519'): TestKey {
  const hit = cache.get(kind);
  if (hit !== undefined) return hit;
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  switch (kind) {
    case 'rsa2048':
      pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      break;
    case 'rsa1024':
      pair = generateKeyPairSync('rsa', { modulusLength: 1024 });
      break;
    case 'p256':
      pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      break;
    case 'p384':
      pair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
      break;
    case 'p521':
      pair = generateKeyPairSync('ec', { namedCurve: 'P-521' });
      break;
    case 'secp256k1':
      pair = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
      break;
    case 'ed25519':
      pair = generateKeyPairSync('ed25519');
      break;
  }
  const key = wrap(pair.privateKey, pair.publicKey);
  cache.set(kind, key);
  return key;
}
