import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { failure } from '@org/okta-test-utils';
import { CompactSign, compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { prepareClientKey } from './client-key.js';

const keyError = (run: () => unknown) => failure.sync(run, isOktaOAuthError);

describe('prepareClientKey', () => {
  it.each([
    ['rsa2048', 'RS256'],
    ['p256', 'ES256'],
    ['p384', 'ES384'],
    ['p521', 'ES512'],
  ] as const)('derives the algorithm of a %s PEM and JWK and imports it non-extractable', async (kind, alg) => {
    for (const input of [testKey(kind).pem, testKey(kind).jwk, JSON.stringify(testKey(kind).jwk)]) {
      const prepared = prepareClientKey(input);
      expect(prepared.algorithm).toBe(alg);
      const key = await prepared.load();
      expect(key.type).toBe('private');
      expect(key.extractable).toBe(false);
    }
  });

  it('accepts RS384/RS512 for an RSA key and refuses ES* for it', async () => {
    const prepared = prepareClientKey(testKey('rsa2048').pem, { algorithm: 'RS512' });
    expect(prepared.algorithm).toBe('RS512');
    expect(((await prepared.load()).algorithm as RsaHashedKeyAlgorithm).hash.name).toBe('SHA-512');
    expect(keyError(() => prepareClientKey(testKey('rsa2048').pem, { algorithm: 'ES256' })).message).toMatch(/does not match the client key \(an RSA key\)/);
  });

  it('refuses an algorithm that does not match the curve', () => {
    expect(keyError(() => prepareClientKey(testKey('p256').jwk, { algorithm: 'ES384' })).message).toMatch(/ES384.*does not match.*P-256/);
    expect(keyError(() => prepareClientKey(testKey('p256').pem, { algorithm: 'RS256' })).code).toBe('INVALID_KEY');
  });

  it('refuses algorithms Okta does not accept', () => {
    expect(keyError(() => prepareClientKey(testKey('rsa2048').pem, { algorithm: 'PS256' })).message).toMatch(/RS256, RS384, RS512, ES256, ES384, ES512/);
    expect(keyError(() => prepareClientKey(testKey('rsa2048').pem, { algorithm: 'none' })).code).toBe('INVALID_KEY');
  });

  it('refuses RSA keys under 2048 bits in every form', async () => {
    const small = testKey('rsa1024');
    expect(keyError(() => prepareClientKey(small.pem)).message).toMatch(/1024 bits.*at least 2048/);
    expect(keyError(() => prepareClientKey(small.jwk)).message).toMatch(/1024 bits/);
    const cryptoKey = await crypto.subtle.importKey('jwk', small.jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    expect(keyError(() => prepareClientKey(cryptoKey)).message).toMatch(/1024 bits/);
  });

  it('refuses public keys in every form', async () => {
    const key = testKey('p256');
    expect(keyError(() => prepareClientKey(key.publicPem)).message).toMatch(/public key.*private key/);
    expect(keyError(() => prepareClientKey(key.publicJwk)).message).toMatch(/public key \(it has no "d"\)/);
    const publicCryptoKey = await crypto.subtle.importKey('jwk', key.publicJwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
    expect(keyError(() => prepareClientKey(publicCryptoKey)).message).toMatch(/is a public key/);
  });

  it('refuses unsupported key types and curves', () => {
    expect(keyError(() => prepareClientKey(testKey('ed25519').pem)).message).toMatch(/Ed25519 key; Okta accepts RSA and EC/);
    expect(keyError(() => prepareClientKey(testKey('ed25519').jwk)).message).toMatch(/kty "OKP"/);
    expect(keyError(() => prepareClientKey(testKey('secp256k1').pem)).message).toMatch(/curve Okta does not accept/);
    expect(keyError(() => prepareClientKey(testKey('secp256k1').jwk)).message).toMatch(/curve "secp256k1"/);
  });

  it.each([
    ['rsa2048', 'pkcs1', 'RS256'],
    ['p256', 'sec1', 'ES256'],
    ['p384', 'sec1', 'ES384'],
    ['p521', 'sec1', 'ES512'],
  ] as const)('accepts a %s key as %s PEM (node:crypto) and signs what its public key verifies', async (kind, type, alg) => {
    const pem = createPrivateKey(testKey(kind).pem).export({ format: 'pem', type }).toString();
    expect(pem).toMatch(type === 'pkcs1' ? /BEGIN RSA PRIVATE KEY/ : /BEGIN EC PRIVATE KEY/);
    const prepared = prepareClientKey(pem);
    expect(prepared.algorithm).toBe(alg);
    const key = await prepared.load();
    expect(key.extractable).toBe(false);
    const jws = await new CompactSign(new TextEncoder().encode('x')).setProtectedHeader({ alg }).sign(key);
    await expect(compactVerify(jws, testKey(kind).publicKey)).resolves.toBeDefined();
  });

  it.each([
    ['openssl genrsa -traditional', ['genrsa', '-traditional', '2048'], 'RS256'],
    ['openssl ecparam -genkey (P-256, with its EC PARAMETERS block)', ['ecparam', '-name', 'prime256v1', '-genkey'], 'ES256'],
    ['openssl ecparam -genkey (P-384, no public key)', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout'], 'ES384'],
  ] as const)('accepts a key from %s', async (_name, args, alg) => {
    const pem = execFileSync('openssl', args, { encoding: 'utf8' });
    const prepared = prepareClientKey(pem);
    expect(prepared.algorithm).toBe(alg);
    const key = await prepared.load();
    const publicKey = createPublicKey(createPrivateKey(pem));
    const jws = await new CompactSign(new TextEncoder().encode('x')).setProtectedHeader({ alg }).sign(key);
    await expect(compactVerify(jws, publicKey)).resolves.toBeDefined();
  });

  it('refuses a small PKCS#1 key, a SEC1 key on another curve, and damaged ones', () => {
    const small = createPrivateKey(testKey('rsa1024').pem).export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(keyError(() => prepareClientKey(small)).message).toMatch(/1024 bits/);
    const k1 = createPrivateKey(testKey('secp256k1').pem).export({ format: 'pem', type: 'sec1' }).toString();
    expect(keyError(() => prepareClientKey(k1)).message).toMatch(/curve Okta does not accept/);
    const damaged = '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----';
    expect(keyError(() => prepareClientKey(damaged)).message).toMatch(/damaged.*PKCS#1 RSA/);
  });

  it('refuses encrypted PEMs with the command that decrypts them', () => {
    const encrypted = createPrivateKey(testKey('p256').pem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(keyError(() => prepareClientKey(encrypted)).message).toMatch(/encrypted.*openssl pkcs8 -topk8 -nocrypt -in key.pem/);
    const legacy = createPrivateKey(testKey('rsa2048').pem).export({ format: 'pem', type: 'pkcs1', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(legacy).toMatch(/Proc-Type: 4,ENCRYPTED/);
    expect(keyError(() => prepareClientKey(legacy)).message).toMatch(/encrypted.*openssl pkcs8 -topk8 -nocrypt/);
  });

  it('says how to convert an ssh-keygen key, and that an SSH public key is the wrong half', () => {
    // ssh-keygen's default format; only the label is read before the refusal.
    const openssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(keyError(() => prepareClientKey(openssh))).toMatchObject({ code: 'INVALID_KEY', message: expect.stringMatching(/OpenSSH private key.*ssh-keygen -p -m PKCS8 -f /) });
    for (const line of ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 me@laptop', 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY me@laptop']) {
      const error = keyError(() => prepareClientKey(line));
      expect(error.message).toMatch(/an SSH public key.*private_key_jwt signs with the private key/);
      expect(error.message).not.toContain('AAAA');
    }
  });

  it('refuses damaged and unrecognisable input without echoing it', () => {
    const pem = testKey('rsa2048').pem;
    const damaged = pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const message = keyError(() => prepareClientKey(damaged)).message;
    expect(message).toMatch(/damaged/);
    for (const input of ['not a key', '{"kty":', '{"keys":[]}', '[1]', '']) {
      const error = keyError(() => prepareClientKey(input));
      expect(error.code).toBe('INVALID_KEY');
      if (input.length > 3) expect(error.message).not.toContain(input);
    }
    const body = pem.split('\n')[1] ?? '';
    expect(message).not.toContain(body.slice(0, 16));
  });

  it('says a PEM cut short (its BEGIN line and no END, as a .env file keeps one line) was cut, not that it is no PEM', () => {
    const pem = testKey('rsa2048').pem;
    const lines = pem.split('\n');
    for (const cut of [lines[0] ?? '', lines.slice(0, 5).join('\n'), pem.replace(/-----END [A-Z ]+-----\s*$/, '')]) {
      const error = keyError(() => prepareClientKey(cut));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toMatch(/"-----BEGIN PRIVATE KEY-----" line but no "-----END PRIVATE KEY-----"/);
      expect(error.message).toMatch(/\\n/);
      expect(error.message).not.toContain((lines[1] ?? '').slice(0, 16));
    }
  });

  it('says a PEM whose END line names another label does not match, not that it was cut short', () => {
    const pem = testKey('p256').pem;
    const error = keyError(() => prepareClientKey(pem.replace(/-----END [A-Z ]+-----/, '-----END RSA PRIVATE KEY-----')));
    expect(error.code).toBe('INVALID_KEY');
    expect(error.message).toMatch(/"-----BEGIN PRIVATE KEY-----" line ends with "-----END RSA PRIVATE KEY-----"/);
    expect(error.message).not.toMatch(/cut short/);
    expect(error.message).not.toContain((pem.split('\n')[1] ?? '').slice(0, 16));
  });

  // A key file or secret the new key was appended to during a rotation: the first block (the old key) was
  // taken silently, signed under the new key's kid, and Okta answered "signature is invalid".
  it('refuses a PEM holding more than one private key (old and new keys together), quoting neither', async () => {
    const [rsa, ec] = [testKey('rsa2048').pem, testKey('p256').pem];
    for (const both of [`${rsa}\n${ec}`, `${ec}${rsa}`, `${rsa}\n${rsa}`]) {
      const error = keyError(() => prepareClientKey(both, { keyId: 'key-2026-12' }));
      expect([error.code, error.message]).toEqual([
        'INVALID_KEY',
        'The client key PEM holds 2 private keys (an old and a new key together?): give one, the private half of the public key registered in Okta under keyId.',
      ]);
      for (const pem of [rsa, ec]) expect(error.message).not.toContain((pem.split('\n')[1] ?? '').slice(0, 16));
    }
    // One private key with a certificate or EC PARAMETERS block beside it is one key.
    const certificate = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUAAAA\n-----END CERTIFICATE-----\n';
    expect(prepareClientKey(`${ec}${certificate}`).algorithm).toBe('ES256');
    expect((await prepareClientKey(`${certificate}${rsa}`).load()).type).toBe('private');
  });

  it('explains a Node.js KeyObject and a key pair', async () => {
    expect(keyError(() => prepareClientKey(createPrivateKey(testKey('p256').pem) as never)).message).toMatch(/KeyObject.*export/);
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    expect(keyError(() => prepareClientKey(pair as never)).message).toMatch(/key pair: pass its privateKey/);
  });

  it('explains a key given as bytes: readFile without an encoding, or DER', () => {
    const pem = testKey('p256').pem;
    const bytes = new TextEncoder().encode(pem);
    for (const input of [Buffer.from(pem), bytes, bytes.buffer, new DataView(bytes.buffer)]) {
      const error = keyError(() => prepareClientKey(input as never));
      expect(error.code).toBe('INVALID_KEY');
      expect(error.message).toMatch(/bytes.*readFile\(path, 'utf8'\)/);
      expect(error.message).not.toContain('JWK has no');
    }
  });

  it('accepts PEM with literal \\n as environment variables carry it', async () => {
    const flat = testKey('p256').pem.trim().replace(/\n/g, '\\n');
    const key = await prepareClientKey(flat).load();
    expect(key.type).toBe('private');
    expect(key.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
  });

  it('accepts PEM with literal \\r\\n as a Windows .env file carries it, as it accepts literal \\n', async () => {
    for (const kind of ['p256', 'rsa2048'] as const) {
      const flat = `${testKey(kind).pem.trim().replace(/\n/g, '\\r\\n')}\\r\\n`;
      const key = await prepareClientKey(flat).load();
      expect(key.type).toBe('private');
      expect(key.algorithm).toMatchObject({ name: kind === 'p256' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5' });
    }
  });

  it('accepts a JWK with literal \\n or \\r\\n between its members, as it reads a PEM (and as the CLI reads its inline key)', async () => {
    const jwk = { ...testKey('p256').jwk, kid: 'k1' };
    for (const escape of ['\\n', '\\r\\n']) {
      const flat = JSON.stringify(jwk, null, 2).replace(/\n/g, escape);
      expect(flat).not.toContain('\n');
      const prepared = prepareClientKey(flat);
      expect(prepared).toMatchObject({ algorithm: 'ES256', keyId: 'k1' });
      expect((await prepared.load()).type).toBe('private');
    }
  });

  it('takes the kid from the JWK, lets keyId supply one, and refuses a conflict', () => {
    const jwk = { ...testKey('p256').jwk, kid: 'k1' };
    expect(prepareClientKey(jwk).keyId).toBe('k1');
    expect(prepareClientKey(jwk, { keyId: 'k1' }).keyId).toBe('k1');
    expect(prepareClientKey(testKey('p256').jwk, { keyId: 'k2' }).keyId).toBe('k2');
    expect(keyError(() => prepareClientKey(jwk, { keyId: 'k2' })).message).toMatch(/"k2" differs from the JWK's own "kid" \("k1"\)/);
  });

  it('honours a JWK alg and refuses one that contradicts the option', () => {
    const jwk = { ...testKey('rsa2048').jwk, alg: 'RS384' };
    expect(prepareClientKey(jwk).algorithm).toBe('RS384');
    expect(keyError(() => prepareClientKey(jwk, { algorithm: 'RS256' })).message).toMatch(/differs from the JWK's own "alg"/);
  });

  it('takes a CryptoKey as it is and checks its hash against the algorithm', async () => {
    const key = await crypto.subtle.importKey('jwk', testKey('rsa2048').jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }, false, ['sign']);
    const prepared = prepareClientKey(key);
    expect(prepared.algorithm).toBe('RS384');
    expect(await prepared.load()).toBe(key);
    expect(keyError(() => prepareClientKey(key, { algorithm: 'RS256' })).message).toMatch(/imported for RS384/);
    const ecdh = await crypto.subtle.importKey('jwk', testKey('p256').jwk, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
    expect(keyError(() => prepareClientKey(ecdh)).message).toMatch(/cannot sign/);
  });

  it('reads a CryptoKey\'s algorithm from key.algorithm and refuses what Okta does not accept, naming it', async () => {
    const { jwk } = testKey('rsa2048');
    const pss = await crypto.subtle.importKey('jwk', jwk, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
    expect(keyError(() => prepareClientKey(pss)).message).toBe(
      'The client CryptoKey is RSA-PSS SHA-256; Okta accepts RSASSA-PKCS1-v1_5 with SHA-256, SHA-384 or SHA-512, and ECDSA on P-256, P-384 or P-521.',
    );
    const sha1 = await crypto.subtle.importKey('jwk', jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' }, false, ['sign']);
    expect(keyError(() => prepareClientKey(sha1)).message).toMatch(/is RSASSA-PKCS1-v1_5 SHA-1; Okta accepts/);
    const short = await crypto.subtle.importKey('jwk', testKey('rsa1024').jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    expect(keyError(() => prepareClientKey(short)).message).toMatch(/has 1024 bits/);
    const ec = await crypto.subtle.importKey('jwk', testKey('p384').jwk, { name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign']);
    expect(prepareClientKey(ec).algorithm).toBe('ES384');
    expect(prepareClientKey(ec, { algorithm: 'ES384' }).algorithm).toBe('ES384');
    for (const algorithm of ['ES256', 'RS256', 'HS256', 42]) {
      expect(keyError(() => prepareClientKey(ec, { algorithm: algorithm as never })).message).toBe(
        `The client CryptoKey was imported for ES384 (ECDSA P-384, fixed at import), not ${String(algorithm)}: re-import it to match, or leave algorithm unset.`,
      );
    }
  });

  it('reports a key that passes the checks but fails to import when it is used', async () => {
    const jwk = { ...testKey('p256').jwk, x: 'A'.repeat(43) }; // of P-256's length, but not on the curve
    const prepared = prepareClientKey(jwk);
    await expect(prepared.load()).rejects.toMatchObject({ code: 'INVALID_KEY' });
  });
});
