/**
 * What the twenty-seventh mutation round found no test reading in `pem-input.ts` and
 * `key-algorithm.ts`: each refusal's words for a PEM label, a damaged body of each kind, an
 * encrypted header's spacing, an SSH line that is not the whole text, and the key checks' small
 * builders (`keyError`'s cause, `safeCause`, `signingFailure`, `bitLength`).
 */
import { createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { bitLength, checkAlgorithmOption, fitAlgorithm, keyError, safeCause, signingFailure } from './key-algorithm.js';
import { fromPem } from './pem-input.js';

const block = (label: string, body: string, headers = ''): string => `-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`;
/** `fromPem`'s refusal: its code and message. */
function refusal(pem: string, requested?: Parameters<typeof fromPem>[1]): unknown {
  try {
    fromPem(pem, requested);
  } catch (error) {
    return { code: (error as OktaOAuthError).code, message: (error as Error).message };
  }
  return 'no refusal';
}
const invalidKey = (message: string) => ({ code: 'INVALID_KEY', message });
const hexPem = (label: string, hex: string): string => block(label, btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((pair) => parseInt(pair, 16)))));

describe('fromPem refuses, saying what to give', () => {
  it('a certificate, or a block of a label it does not read', () => {
    expect(refusal(block('CERTIFICATE', 'MIIB'))).toEqual(invalidKey('The client key PEM holds a certificate; private_key_jwt signs with the private key (keep the public key registered in Okta).'));
    expect(refusal(block('DSA PRIVATE KEY', 'MIIB'))).toEqual(invalidKey('The client key PEM is a "DSA PRIVATE KEY"; give a "PRIVATE KEY" (PKCS#8), "RSA PRIVATE KEY" (PKCS#1) or "EC PRIVATE KEY" (SEC1).'));
  });

  it.each([
    ['PRIVATE KEY', 'PKCS#8'],
    ['RSA PRIVATE KEY', 'PKCS#1 RSA'],
    ['EC PRIVATE KEY', 'SEC1 EC (with a named curve)'],
  ])('a damaged %s', (label, kind) => {
    expect(refusal(block(label, 'MIIBdamaged'))).toEqual(invalidKey(`The client key PEM is damaged: its base64 body is not a ${kind} private key. Copy the whole block again.`));
  });

  it.each(['Proc-Type: 4,ENCRYPTED', 'Proc-Type:4,ENCRYPTED', 'Proc-Type: 4, ENCRYPTED'])('an encrypted PKCS#1 key (%s)', (header) => {
    expect(refusal(block('RSA PRIVATE KEY', 'MIIB', `${header}\nDEK-Info: AES-256-CBC,00\n\n`))).toEqual(
      invalidKey('The client key PEM is encrypted; decrypt it to an unencrypted PKCS#8 "PRIVATE KEY" (it asks for the passphrase): openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pkcs8.pem'),
    );
  });

  it('text that only holds an SSH public key further on is neither a PEM nor a JWK', () => {
    expect(refusal('my key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host')).toEqual(
      invalidKey('The client private key is neither a PEM block nor a JWK: give a PEM private key ("-----BEGIN PRIVATE KEY-----") or a private JWK as JSON.'),
    );
  });

  it('an EC key whose algorithm does not fit its curve, naming the curve', () => {
    expect(refusal(testKey('p256').pem, 'ES384')).toEqual(invalidKey('The algorithm "ES384" does not match the client key (an EC P-256 key); use ES256, or leave algorithm unset.'));
  });

  it('a key of an algorithm it does not know, and an Ed25519 key', () => {
    expect(refusal(hexPem('PRIVATE KEY', '300c020100300506032a03040400'))).toEqual(invalidKey('The client key is of an unknown type; Okta accepts RSA and EC (P-256, P-384, P-521) keys.'));
    expect(refusal(testKey('ed25519').pem)).toEqual(invalidKey('The client key is an Ed25519 key; Okta accepts RSA and EC (P-256, P-384, P-521) keys.'));
  });
});

describe('fromPem reads', () => {
  it('the private key block after an SSH public key line in the same text', () => {
    const pem = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user@host\n${testKey('p256').pem}`;
    expect(fromPem(pem, undefined).algorithm).toBe('ES256');
  });

  it('a PKCS#1 key as the PKCS#8 OpenSSL exports', () => {
    const pkcs1 = createPrivateKey(testKey('rsa2048').pem).export({ format: 'pem', type: 'pkcs1' }).toString();
    expect(fromPem(pkcs1, 'RS512')).toEqual({ algorithm: 'RS512', pkcs8: new Uint8Array(createPrivateKey(pkcs1).export({ format: 'der', type: 'pkcs8' })) });
  });
});

describe("key-algorithm's builders", () => {
  it('keyError keeps a cause given, and has none otherwise', () => {
    const cause = new Error('why');
    expect(keyError('m', cause)).toMatchObject({ code: 'INVALID_KEY', message: 'm', cause });
    expect('cause' in keyError('m')).toBe(false);
  });

  it('safeCause keeps the name and message of an Error, 200 characters at most, and nothing else', () => {
    const error = Object.assign(new TypeError('x'.repeat(300)), { key: 'secret' });
    const safe = safeCause(error) as Error;
    expect(safe).toBeInstanceOf(Error);
    expect(safe.message).toBe(`TypeError: ${'x'.repeat(189)}`);
    expect(Object.keys(safe)).toEqual([]);
    expect(safeCause('a string')).toBeUndefined();
  });

  it("signingFailure passes the library's own error through and explains WebCrypto's", () => {
    const own = new OktaOAuthError('INVALID_KEY', 'own');
    expect(signingFailure('ES256', own)).toBe(own);
    expect(signingFailure('RS256', new DOMException('bad key', 'DataError'))).toMatchObject({
      code: 'INVALID_KEY',
      message: 'The client private key could not sign a RS256 client assertion; check that the key is complete and unaltered.',
      cause: new Error('DataError: bad key'),
    });
  });

  it('checkAlgorithmOption names what was given: the string, or the type of anything else, and the option', () => {
    expect(() => checkAlgorithmOption('HS256')).toThrow('The client key algorithm "HS256" is not one Okta accepts for client assertions: use one of RS256, RS384, RS512, ES256, ES384, ES512.');
    expect(() => checkAlgorithmOption(256, 'JWK "alg"')).toThrow('The client key JWK "alg" number is not one Okta accepts for client assertions');
  });

  it("fitAlgorithm lists an RSA key's three algorithms, and an EC key's one", () => {
    expect(() => fitAlgorithm('RS256', 'ES256', 'an RSA key')).toThrow('The algorithm "ES256" does not match the client key (an RSA key); use RS256, RS384 or RS512, or leave algorithm unset.');
    expect(() => fitAlgorithm('ES384', 'RS256', 'an EC P-384 key')).toThrow('The algorithm "RS256" does not match the client key (an EC P-384 key); use ES384, or leave algorithm unset.');
  });

  it.each([
    [[], 0],
    [[0, 0], 0],
    [[0x01], 1],
    [[0, 0x01], 1],
    [[0, 0, 0x80, 0], 16],
    [[0xff, 0], 16],
  ])('bitLength of %j is %i', (bytes, bits) => {
    expect(bitLength(new Uint8Array(bytes))).toBe(bits);
  });
});
