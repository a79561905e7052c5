import type { KeyObject } from 'node:crypto';
import { newKeyPair, type KeyPairKind } from '@org/okta-test-utils';
import { exportJWK, type JWK } from 'jose';
import type { ClientAssertionSigner } from '../client-auth/private-key-jwt.js';

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

const kinds: Record<'rsa2048' | 'rsa1024' | 'p256' | 'p384' | 'p521' | 'secp256k1' | 'ed25519', KeyPairKind> = {
  rsa2048: { type: 'rsa', modulusLength: 2048 },
  rsa1024: { type: 'rsa', modulusLength: 1024 },
  p256: { type: 'ec', namedCurve: 'P-256' },
  p384: { type: 'ec', namedCurve: 'P-384' },
  p521: { type: 'ec', namedCurve: 'P-521' },
  secp256k1: { type: 'ec', namedCurve: 'secp256k1' },
  ed25519: { type: 'ed25519' },
};

/** Test keys, generated once per process. */
export function testKey(kind: keyof typeof kinds): TestKey {
  const hit = cache.get(kind);
  if (hit !== undefined) return hit;
  const pair = newKeyPair(kinds[kind]);
  const key = wrap(pair.privateKey, pair.publicKey);
  cache.set(kind, key);
  return key;
}

/** A P-256 key held "in a KMS": a non-extractable WebCrypto key the library only reaches through sign. */
export async function kmsKey(kid: string, der = false): Promise<{ signer: ClientAssertionSigner; publicJwk: object; calls: () => number }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  let calls = 0;
  const signer: ClientAssertionSigner = {
    alg: 'ES256',
    kid,
    sign: async (data) => {
      calls++;
      const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, data));
      return der ? toDer(raw) : raw;
    },
  };
  return { signer, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }, calls: () => calls };
}

/** r‖s as the DER SEQUENCE a cloud KMS returns. */
export function toDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array): number[] => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = [...bytes.subarray(start)];
    if ((trimmed[0] ?? 0) & 0x80) trimmed.unshift(0);
    return [0x02, trimmed.length, ...trimmed];
  };
  const body = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
}
