import { createPrivateKey } from 'node:crypto';
import { inspect } from 'node:util';
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError, type OktaOAuthError } from '../errors.js';
import { compactJws, encodeJson, keyParams, signParams } from '../internal/jws.js';
import { createServiceAppCredential as createFromRoot } from '../service-app.js';
import { createServiceAppCredential } from '../service-app-lean.js';
import { testKey } from '../test-helpers/keys.js';
import { prepareCryptoKey } from './crypto-key-input.js';
import { importPrivateKey } from './import-private-key.js';

const algorithms = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
const ecKinds = { ES256: 'p256', ES384: 'p384', ES512: 'p521' } as const;
const naturalAlg = { rsa2048: 'RS256', p256: 'ES256', p384: 'ES384', p521: 'ES512' } as const;
const kindOf = (alg: (typeof algorithms)[number]) => (alg.startsWith('RS') ? 'rsa2048' : ecKinds[alg as keyof typeof ecKinds]);

/** Every form importPrivateKey reads: PKCS#8, PKCS#1/SEC1, PEM with literal "\n" (env), JWK object, JWK text. */
function forms(kind: ReturnType<typeof kindOf>): (string | object)[] {
  const key = testKey(kind);
  const legacy = createPrivateKey(key.pem).export({ format: 'pem', type: kind === 'rsa2048' ? 'pkcs1' : 'sec1' }).toString();
  return [key.pem, legacy, key.pem.replace(/\n/g, '\\n'), key.jwk, JSON.stringify(key.jwk)];
}

async function rejection(promise: Promise<unknown>): Promise<OktaOAuthError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isOktaOAuthError(error)) throw new Error(`expected an OktaOAuthError, got ${String(error)}`);
  return error;
}

function thrown(run: () => unknown): OktaOAuthError {
  try {
    run();
  } catch (error) {
    if (isOktaOAuthError(error)) return error;
    throw error;
  }
  throw new Error('did not throw');
}

const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', scopes: ['okta.users.read'] };

describe('importPrivateKey', () => {
  it.each(algorithms)('reads every %s key form into a non-extractable signing CryptoKey whose signatures jose verifies', async (alg) => {
    const key = testKey(kindOf(alg));
    const publicKey = await importJWK(key.publicJwk, alg);
    for (const input of forms(kindOf(alg))) {
      const imported = await importPrivateKey(input, { algorithm: alg });
      expect(imported.algorithm).toBe(alg);
      expect(imported.privateKey.type).toBe('private');
      expect(imported.privateKey.extractable).toBe(false);
      expect(imported.privateKey.usages).toEqual(['sign']);
      const jws = await compactJws(encodeJson({ alg }), { n: 1 }, (data) => crypto.subtle.sign(signParams(alg), imported.privateKey, data));
      const { protectedHeader } = await compactVerify(jws, publicKey);
      expect(protectedHeader.alg).toBe(alg);
    }
  });

  it('implies the algorithm from the key: RS256 for RSA, ES256/384/512 by curve; an RSA key imported for RS384 hashes with SHA-384', async () => {
    for (const alg of ['RS256', 'ES256', 'ES384', 'ES512'] as const) expect((await importPrivateKey(testKey(kindOf(alg)).pem)).algorithm).toBe(alg);
    const rs384 = await importPrivateKey(testKey('rsa2048').pem, { algorithm: 'RS384' });
    expect((rs384.privateKey.algorithm as RsaHashedKeyAlgorithm).hash.name).toBe('SHA-384');
    expect(prepareCryptoKey(rs384.privateKey, {}).algorithm).toBe('RS384');
  });

  it("returns the keyId option or the JWK's own kid, and refuses a keyId that differs from it", async () => {
    const jwk = { ...testKey('p256').jwk, kid: 'k1' };
    expect((await importPrivateKey(jwk)).keyId).toBe('k1');
    expect((await importPrivateKey(testKey('p256').pem, { keyId: 'k2' })).keyId).toBe('k2');
    expect((await importPrivateKey(testKey('p256').pem)).keyId).toBeUndefined();
    expect((await rejection(importPrivateKey(jwk, { keyId: 'k2' }))).message).toMatch(/"k2" differs from the JWK's own "kid" \("k1"\)/);
  });

  it.each(['rsa2048', 'p256', 'p384', 'p521'] as const)("keeps the key non-extractable, yet its cache binding is the public key's thumbprint, equal to jose's (%s)", async (kind) => {
    const expected = await calculateJwkThumbprint(testKey(kind).publicJwk, 'sha256');
    for (const input of forms(kind)) {
      const { privateKey } = await importPrivateKey(input);
      expect(await prepareCryptoKey(privateKey, {}).thumbprint()).toBe(expected);
    }
    // A non-extractable key imported elsewhere has no known public half: no binding (tokens not shared).
    const { jwk } = testKey(kind);
    const own = await crypto.subtle.importKey('jwk', jwk, keyParams(naturalAlg[kind]), false, ['sign']);
    expect(await prepareCryptoKey(own, {}).thumbprint()).toBeUndefined();
  });

  it('says which JWK member is wrong (a missing or invalid "n", a "d" that is not base64url), never showing key material', async () => {
    const rsa = testKey('rsa2048');
    const ec = testKey('p256');
    const secret = String(rsa.jwk.d);
    const cases: [unknown, RegExp][] = [
      [{ ...rsa.jwk, n: undefined }, /^The client RSA JWK's "n" \(its modulus\) is missing or not a base64url string/],
      [JSON.stringify({ ...rsa.jwk, n: undefined }), /RSA JWK's "n" \(its modulus\) is missing/],
      [{ ...rsa.jwk, n: '' }, /RSA JWK's "n" \(its modulus\) is missing/],
      [{ ...rsa.jwk, n: 65537 }, /RSA JWK's "n" \(its modulus\) is missing/],
      [{ ...rsa.jwk, n: `${secret}!` }, /RSA JWK's "n" \(its modulus\) is missing/],
      [{ ...rsa.jwk, d: 42 }, /^The client JWK's "d" \(its private part\) is not a base64url string/],
      [{ ...rsa.jwk, d: [secret] }, /JWK's "d" \(its private part\) is not a base64url string/],
      [{ ...rsa.jwk, d: { value: secret } }, /JWK's "d" \(its private part\) is not a base64url string/],
      [{ ...rsa.jwk, d: '' }, /JWK's "d" \(its private part\) is not a base64url string/],
      [{ ...rsa.jwk, d: `${secret}!` }, /JWK's "d" \(its private part\) is not a base64url string/],
      [{ ...ec.jwk, d: null }, /JWK's "d" \(its private part\) is not a base64url string/],
      [JSON.stringify({ ...ec.jwk, d: 7 }), /JWK's "d" \(its private part\) is not a base64url string/],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(importPrivateKey(input as string));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/0 bits|public key/);
      const shown = `${error.message} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
      for (const material of [secret, String(rsa.jwk.n), String(rsa.jwk.p), String(ec.jwk.d)]) expect(shown).not.toContain(material);
    }
  });

  it('refuses an EC JWK whose "crv" names an Object property ("constructor", "toString") with INVALID_KEY, not a TypeError', async () => {
    for (const crv of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const error = await rejection(importPrivateKey({ ...testKey('p256').jwk, crv }));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toMatch(/uses curve .*; Okta accepts P-256, P-384 and P-521/);
    }
  });

  it('refuses what is not a usable private key with INVALID_KEY, never showing key material', async () => {
    const rsa = testKey('rsa2048');
    const cases: [unknown, RegExp][] = [
      [rsa.publicPem, /public key.*private key/],
      [rsa.publicJwk, /public key \(it has no "d"\)/],
      [testKey('rsa1024').pem, /1024 bits.*at least 2048/],
      [testKey('ed25519').pem, /Ed25519 key; Okta accepts RSA and EC/],
      [rsa.pem.split('\n').map((line, index) => (index === 3 ? '!!!!' : line)).join('\n'), /damaged/],
      ['', /empty/],
      [42, /must be a PEM string, a private JWK or a CryptoKey/],
    ];
    for (const [input, message] of cases) {
      const error = await rejection(importPrivateKey(input as string));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toMatch(message);
      const shown = `${error.message} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
      expect(shown).not.toContain(rsa.pem.split('\n')[2]);
      expect(shown).not.toContain(String(rsa.jwk.d));
    }
    const { privateKey } = await importPrivateKey(rsa.pem);
    expect((await rejection(importPrivateKey(privateKey as never))).message).toMatch(/already a CryptoKey: give it as privateKey/);
    expect((await rejection(importPrivateKey(rsa.pem, { algorithm: 'ES256' }))).message).toMatch(/does not match the client key \(an RSA key\)/);
  });
});

describe('createServiceAppCredential from @org/okta-oauth/service-app', () => {
  it('takes a CryptoKey (importPrivateKey spreads into its options), as the root entry does', async () => {
    const imported = await importPrivateKey(testKey('p256').pem, { keyId: 'key-1' });
    expect(typeof createServiceAppCredential({ ...base, ...imported }).authorize).toBe('function');
    expect(typeof createFromRoot({ ...base, ...imported }).authorize).toBe('function');
  });

  it('refuses a PEM or JWK with INVALID_CONFIG naming importPrivateKey and @org/okta-oauth, never echoing the key', () => {
    const { pem, jwk } = testKey('p256');
    for (const privateKey of [pem, JSON.stringify(jwk), jwk]) {
      // @ts-expect-error -- a CryptoKey only in /service-app's types; a JavaScript caller's PEM or JWK is refused
      const error = thrown(() => createServiceAppCredential({ ...base, privateKey }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toMatch(/takes a CryptoKey\. Read a PEM or private JWK with importPrivateKey .*createServiceAppCredential from @org\/okta-oauth,/);
      const shown = `${error.message} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`;
      expect(shown).not.toContain(pem.split('\n')[1]);
      expect(shown).not.toContain(String(jwk.d));
      // The root entry reads every form.
      expect(() => createFromRoot({ ...base, privateKey })).not.toThrow();
    }
    expect(thrown(() => createServiceAppCredential({ ...base, privateKey: 42 as never })).message).toMatch(/^privateKey is not a CryptoKey/);
  });

  it('checks a CryptoKey as the root entry does (public key, algorithm) with INVALID_KEY', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect(thrown(() => createServiceAppCredential({ ...base, privateKey: pair.publicKey })).message).toMatch(/is a public key/);
    expect(thrown(() => createServiceAppCredential({ ...base, privateKey: pair.privateKey, algorithm: 'ES384' })).code).toBe('INVALID_KEY');
  });
});
