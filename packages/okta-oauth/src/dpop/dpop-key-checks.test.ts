/**
 * `DpopKey.fromKeyPair`, the one wrapper of a caller's `dpopKeyPair` (mutation testing, fourth
 * round, docs/security-history.md): a pair whose halves are not a private and a public key, or whose
 * private key cannot sign the chosen algorithm's proofs, is `INVALID_CONFIG` naming the key's kind
 * and the fix (never key material); a key serializes as its algorithm and thumbprint only.
 */
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import type { WebCryptoKeyPair } from '../internal/web-crypto.js';
import { DpopKey, type DpopAlgorithm } from './dpop-key.js';

const p256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** `INVALID_CONFIG: <message>`, or what else happened. */
async function refusal(pair: WebCryptoKeyPair, algorithm: DpopAlgorithm): Promise<string> {
  return DpopKey.fromKeyPair(pair, algorithm).then(
    () => 'accepted',
    (error: unknown) => (isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`),
  );
}

describe('DpopKey.fromKeyPair', () => {
  it('refuses a pair whose halves are swapped, or two private keys', async () => {
    const pair = (await crypto.subtle.generateKey(p256, false, ['sign', 'verify'])) as WebCryptoKeyPair;
    const other = (await crypto.subtle.generateKey(p256, true, ['sign', 'verify'])) as WebCryptoKeyPair;
    const said = 'INVALID_CONFIG: dpopKeyPair must be a WebCrypto key pair with a private and an extractable public key.';
    expect(await refusal({ privateKey: pair.publicKey, publicKey: pair.privateKey }, 'ES256')).toBe(said);
    expect(await refusal({ privateKey: pair.privateKey, publicKey: other.privateKey }, 'ES256')).toBe(said);
  });

  it.each([
    ['a P-384 key for ES256', { name: 'ECDSA', namedCurve: 'P-384' }, 'ES256', 'ECDSA P-384 with usages sign'],
    ['a P-256 key for RS256', p256, 'RS256', 'ECDSA P-256 with usages sign'],
  ] as const)("refuses %s, naming the key's kind and the fix", async (_, params, algorithm, kind) => {
    const pair = (await crypto.subtle.generateKey(params, false, ['sign', 'verify'])) as WebCryptoKeyPair;
    const message = await refusal(pair, algorithm);
    expect(message).toMatch(new RegExp(`^INVALID_CONFIG: dpopKeyPair cannot sign ${algorithm} proofs: its private key is ${kind}\\. Give the dpopAlgorithm that fits the key \\(ES256 is P-256`));
  });

  it("refuses an RSA key under 2048 bits or with another hash, naming the key's kind", async () => {
    const rsa = (bits: number, hash: string) => crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash }, false, ['sign', 'verify']);
    expect(await refusal((await rsa(1024, 'SHA-256')) as WebCryptoKeyPair, 'RS256')).toMatch(/^INVALID_CONFIG: dpopKeyPair cannot sign RS256 proofs: its private key is RSASSA-PKCS1-v1_5 with usages sign\./);
    expect(await refusal((await rsa(2048, 'SHA-384')) as WebCryptoKeyPair, 'RS256')).toMatch(/^INVALID_CONFIG: dpopKeyPair cannot sign RS256 proofs/);
  });

  it('refuses an RSA-PSS key for RS256 though its hash and size fit, naming its kind (RS256 is RSASSA-PKCS1-v1_5, RFC 7518 §3.3)', async () => {
    const pss = { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    const pair = (await crypto.subtle.generateKey(pss, false, ['sign', 'verify'])) as WebCryptoKeyPair;
    expect(await refusal(pair, 'RS256')).toMatch(/^INVALID_CONFIG: dpopKeyPair cannot sign RS256 proofs: its private key is RSA-PSS with usages sign\./);
  });

  it("takes a pair that fits, and serializes as its algorithm and the public key's thumbprint only", async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, false, ['sign', 'verify'])) as WebCryptoKeyPair;
    const key = await DpopKey.fromKeyPair(pair, 'ES512');
    expect(JSON.parse(JSON.stringify(key))).toEqual({ algorithm: 'ES512', thumbprint: await calculateJwkThumbprint(key.publicJwk) });
  });
});

describe("DpopKey.fromKeyPair: the public half is the private key's", () => {
  const mismatch = "INVALID_CONFIG: dpopKeyPair's publicKey is not its privateKey's: Okta would refuse its proofs (invalid_dpop_proof). Give the pair's own.";

  it("refuses another pair's public key of the same kind, or one of another kind", async () => {
    const [one, two] = await Promise.all([crypto.subtle.generateKey(p256, false, ['sign', 'verify']), crypto.subtle.generateKey(p256, false, ['sign', 'verify'])]) as WebCryptoKeyPair[];
    const rsa = (await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign', 'verify'])) as WebCryptoKeyPair;
    expect(await refusal({ privateKey: one!.privateKey, publicKey: two!.publicKey }, 'ES256')).toBe(mismatch);
    expect(await refusal({ privateKey: one!.privateKey, publicKey: rsa.publicKey }, 'ES256')).toBe(mismatch);
  });

  it("takes its own public key whatever its usages (imported again for the probe)", async () => {
    const pair = (await crypto.subtle.generateKey(p256, true, ['sign', 'verify'])) as WebCryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
    const bare = await crypto.subtle.importKey('jwk', jwk, p256, true, []);
    expect(await refusal({ privateKey: pair.privateKey, publicKey: bare }, 'ES256')).toBe('accepted');
  });
});
