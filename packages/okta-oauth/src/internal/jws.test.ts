import { createPrivateKey } from 'node:crypto';
import {
  base64url as joseBase64url,
  calculateJwkThumbprint,
  CompactSign,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  EmbeddedJWK,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  jwtVerify,
  SignJWT,
} from 'jose';
import { base64url, base64urlDecode } from '@org/okta-auth-core/internal';
import { describe, expect, it } from 'vitest';
import { bindClientAuth, serviceAppAuth } from '../client-auth/client-auth.js';
import { prepareClientKey } from '../client-auth/client-key.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { DpopKey, type DpopAlgorithm } from '../dpop/dpop-key.js';
import { generateDpopKeyPair, importDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { testKey } from '../test-helpers/keys.js';
import { compactJws, decodeJws, encodeJson, jwkThumbprint, keyFits, keyParams, signParams } from './jws.js';

// What jws.ts signs is checked by jose, the library it replaces on the signing paths.
const algorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
const ecKinds = { ES256: 'p256', ES384: 'p384', ES512: 'p521' } as const;
const kindOf = (alg: (typeof algorithms)[number]) => (alg.startsWith('RS') ? 'rsa2048' : ecKinds[alg as keyof typeof ecKinds]);

describe('base64url', () => {
  it('encodes and decodes as jose does, for every length and byte', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      const encoded = base64url(bytes);
      expect(encoded).toBe(joseBase64url.encode(bytes));
      expect(base64urlDecode(encoded)).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 100_000 }, (_, i) => i % 256);
    expect(base64url(all)).toBe(joseBase64url.encode(all));
  });

  it('refuses what is not base64url', () => {
    for (const text of ['a+b/', 'ab cd', 'abc!', '=abc']) expect(() => base64urlDecode(text)).toThrow(TypeError);
  });
});

describe('jwkThumbprint', () => {
  it.each(['rsa2048', 'p256', 'p384', 'p521'] as const)('equals jose calculateJwkThumbprint for a %s key, private or public JWK', async (kind) => {
    const { jwk, publicJwk } = testKey(kind);
    const expected = await calculateJwkThumbprint(publicJwk, 'sha256');
    expect(await jwkThumbprint(publicJwk)).toBe(expected);
    expect(await jwkThumbprint({ ...jwk, kid: 'x', alg: 'ES256', use: 'sig' })).toBe(expected);
  });

  it('refuses an incomplete JWK', async () => {
    await expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'a' })).rejects.toThrow(TypeError);
    await expect(jwkThumbprint({ kty: 'EC', crv: 'P-256', x: 'a', y: '' })).rejects.toThrow(TypeError);
  });

  it.each(['rsa2048', 'p256', 'p384', 'p521'] as const)("a client key's thumbprint (PEM, PKCS#1/SEC1, JWK, extractable CryptoKey) equals jose's (%s)", async (kind) => {
    const key = testKey(kind);
    const expected = await calculateJwkThumbprint(key.publicJwk, 'sha256');
    const legacy = createPrivateKey(key.pem).export({ format: 'pem', type: kind === 'rsa2048' ? 'pkcs1' : 'sec1' }).toString();
    const alg = prepareClientKey(key.jwk).algorithm;
    const cryptoKey = await crypto.subtle.importKey('jwk', key.jwk, keyParams(alg), true, ['sign']);
    for (const input of [key.pem, legacy, key.jwk, JSON.stringify(key.jwk), cryptoKey]) {
      expect(await prepareClientKey(input).thumbprint()).toBe(expected);
    }
  });
});

describe('client key import', () => {
  it.each(algorithms)('imports every %s key jose imports (PKCS#8, PKCS#1/SEC1 wrapped, JWK), and jose verifies what it signs', async (alg) => {
    const key = testKey(kindOf(alg));
    const legacy = createPrivateKey(key.pem).export({ format: 'pem', type: alg.startsWith('RS') ? 'pkcs1' : 'sec1' }).toString();
    for (const input of [key.pem, legacy, key.jwk]) {
      const joseKey = typeof input === 'string' ? await importPKCS8(createPrivateKey(input).export({ format: 'pem', type: 'pkcs8' }).toString(), alg) : await importJWK(input, alg);
      const ours = await prepareClientKey(input, { algorithm: alg }).load();
      expect(ours.algorithm).toEqual(joseKey instanceof Uint8Array ? undefined : joseKey.algorithm);
      const jws = await compactJws(encodeJson({ alg }), { n: 1 }, (data) => crypto.subtle.sign(signParams(alg), ours, data));
      await expect(compactVerify(jws, key.publicKey)).resolves.toBeDefined();
      // And the reverse: jose's signature over the same key checks out with the same public key.
      await expect(compactVerify(await new CompactSign(new Uint8Array([1])).setProtectedHeader({ alg }).sign(joseKey), key.publicKey)).resolves.toBeDefined();
    }
  });
});

describe('compactJws', () => {
  it.each(algorithms)('signs %s with a WebCrypto key so that jose compactVerify accepts it', async (alg) => {
    const key = testKey(kindOf(alg));
    const privateKey = await crypto.subtle.importKey('jwk', key.jwk, keyParams(alg), false, ['sign']);
    expect(keyFits(privateKey, alg)).toBe(true);
    const jws = await compactJws(encodeJson({ alg }), { hello: 'wörld' }, (input) => crypto.subtle.sign(signParams(alg), privateKey, input));
    const { payload, protectedHeader } = await compactVerify(jws, key.publicKey, { algorithms: [alg] });
    expect(protectedHeader).toEqual({ alg });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual({ hello: 'wörld' });
  });

  it.each(['HS256', 'HS384', 'HS512'] as const)('signs %s so that jose accepts it with the secret', async (alg) => {
    const secret = crypto.getRandomValues(new Uint8Array(64));
    const key = await crypto.subtle.importKey('raw', secret, keyParams(alg), false, ['sign']);
    const jws = await compactJws(encodeJson({ alg }), { a: 1 }, (input) => crypto.subtle.sign(signParams(alg), key, input));
    await expect(compactVerify(jws, secret, { algorithms: [alg] })).resolves.toBeDefined();
  });

  it('keyFits refuses a key of another curve, hash, size or usage', async () => {
    const p384 = await crypto.subtle.importKey('jwk', testKey('p384').jwk, keyParams('ES384'), false, ['sign']);
    expect(keyFits(p384, 'ES256')).toBe(false);
    const rs384 = await crypto.subtle.importKey('jwk', testKey('rsa2048').jwk, keyParams('RS384'), false, ['sign']);
    expect(keyFits(rs384, 'RS256')).toBe(false);
    const small = await crypto.subtle.importKey('jwk', testKey('rsa1024').jwk, keyParams('RS256'), false, ['sign']);
    expect(keyFits(small, 'RS256')).toBe(false);
    const verifyOnly = await crypto.subtle.importKey('jwk', testKey('p256').publicJwk, keyParams('ES256'), false, ['verify']);
    expect(keyFits(verifyOnly, 'ES256')).toBe(false);
  });
});

describe('client assertions and DPoP proofs, verified by jose', () => {
  it.each(algorithms)('private_key_jwt with a private JWK and a CryptoKey (%s)', async (alg) => {
    const key = testKey(kindOf(alg));
    const cryptoKey = await crypto.subtle.importKey('jwk', key.jwk, keyParams(alg), false, ['sign']);
    for (const input of [key.jwk, cryptoKey]) {
      const body = new URLSearchParams();
      const auth = bindClientAuth('0oa1', privateKeyJwt(input, { algorithm: alg }), serviceAppAuth);
      await auth.apply({ endpoint: new URL('https://acme.okta.com/oauth2/v1/token'), body, headers: new Headers(), nowSeconds: Math.floor(Date.now() / 1000), signal: undefined });
      const { payload } = await jwtVerify(body.get('client_assertion') ?? '', key.publicKey, { algorithms: [alg], issuer: '0oa1', subject: '0oa1', audience: 'https://acme.okta.com/oauth2/v1/token' });
      expect(typeof payload.jti).toBe('string');
    }
  });

  it.each(algorithms)('a DPoP proof (%s) verifies with its embedded JWK, whose thumbprint is jose\'s', async (alg: DpopAlgorithm) => {
    const key = await DpopKey.generate(alg);
    expect(key.thumbprint).toBe(await calculateJwkThumbprint(key.publicJwk));
    const proof = await key.proof({ method: 'get', htu: 'https://acme.okta.com/api/v1/users', nowSeconds: 1000, accessToken: 'tok' });
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: [alg], currentDate: new Date(1_000_000) });
    expect(protectedHeader).toEqual({ alg, typ: 'dpop+jwt', jwk: key.publicJwk });
    expect(payload).toMatchObject({ htm: 'GET', iat: 1000 });
  });
});

describe('generateDpopKeyPair and importDpopKeyPair', () => {
  it('generates non-extractable pairs unless asked, and imports an exported one that signs as the original', async () => {
    expect((await generateDpopKeyPair()).privateKey.extractable).toBe(false);
    const rsa = await generateDpopKeyPair('RS256');
    expect(rsa.privateKey.algorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048 });
    const generated = await generateDpopKeyPair('ES384', { extractable: true });
    const privateJwk = await exportJWK(generated.privateKey);
    const imported = await importDpopKeyPair(privateJwk, 'ES384');
    expect(imported.privateKey.extractable).toBe(false);
    const key = await DpopKey.fromKeyPair(imported, 'ES384');
    expect(key.thumbprint).toBe(await calculateJwkThumbprint(await exportJWK(generated.publicKey)));
  });

  it("takes a JavaScript caller's null options as none: a non-extractable pair, not a TypeError", async () => {
    const pair = await generateDpopKeyPair('ES256', null as never);
    expect([pair.privateKey.extractable, pair.publicKey.extractable]).toEqual([false, true]);
  });

  it('refuses a JWK of another type or curve, a public JWK and an unknown algorithm with INVALID_CONFIG', async () => {
    const { jwk, publicJwk } = testKey('p256');
    await expect(importDpopKeyPair(jwk, 'ES384')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(importDpopKeyPair(publicJwk, 'ES256')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(importDpopKeyPair(testKey('rsa2048').jwk, 'ES256')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(importDpopKeyPair({ ...jwk, d: 'AAAA' }, 'ES256')).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(generateDpopKeyPair('PS256' as never)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('a key pair that does not fit dpopAlgorithm is refused with a message naming the fix', async () => {
    const pair = await generateDpopKeyPair('ES384');
    await expect(DpopKey.fromKeyPair(pair, 'ES256')).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/cannot sign ES256 proofs: its private key is ECDSA P-384/) });
  });
});

describe('decodeJws', () => {
  it("reads what jose's decodeJwt and decodeProtectedHeader read, without verifying", async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const claims = { sub: '00u1', aud: ['a', 'b'], name: 'Zoë ✓', nested: { n: 1 } };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuedAt(1_800_000_000).sign(privateKey);
    const decoded = decodeJws(token);
    expect(decoded.payload).toEqual(decodeJwt(token));
    expect(decoded.header).toEqual(decodeProtectedHeader(token));
  });

  it('refuses what is not three segments: a JSON object header and payload, and a signature', () => {
    for (const token of ['', 'a.b', 'a.b.c.d', 'e30.e30.', `${encodeJson({ alg: 'ES256' })}.bm90IGpzb24.c2ln`, `${encodeJson({ alg: 'ES256' })}.${encodeJson([1])}.c2ln`, `W10.${encodeJson({})}.c2ln`, '!!!.e30.c2ln']) {
      expect(() => decodeJws(token)).toThrow();
    }
  });

  it('refuses JSON that is not an object (null, a number) and bytes that are not UTF-8, with a TypeError', () => {
    const notUtf8 = base64url(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])); // {"a":"\xff"}
    for (const token of ['bnVsbA.e30.c2ln', 'NQ.e30.c2ln', `e30.${notUtf8}.c2ln`]) expect(() => decodeJws(token)).toThrow(TypeError);
    // Four or five segments (a JWE's shape) are no compact JWS, however well its first two decode.
    for (const token of ['e30.e30.c2ln.e30', 'e30.e30.c2ln.e30.e30']) expect(() => decodeJws(token)).toThrow(TypeError);
  });

  it('quotes nothing of a token it refuses (the payload may echo a secret)', () => {
    const secret = 'refresh-token-echoed-by-the-server-0123456789';
    const notJson = base64url(new TextEncoder().encode(`{"sub": ${secret}}`));
    for (const token of [`${encodeJson({ alg: 'ES256' })}.${notJson}.c2ln`, `${notJson}.${encodeJson({})}.c2ln`]) {
      let error: unknown;
      try {
        decodeJws(token);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toContain(secret.slice(0, 12));
      expect((error as Error).cause).toBeUndefined();
    }
  });
});
