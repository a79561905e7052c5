/**
 * rev121's red-team read of journey120's refusal of a PEM holding two private keys (`pem-input.ts`): the
 * ways a second key can sit beside the first (line endings, PKCS#1/SEC1/PKCS#8 and encrypted labels, a
 * second block cut short or pasted with another END line) are all refused, quoting no key material, and a
 * single key with what an export writes beside it (a certificate, a public key, EC PARAMETERS, "Bag
 * Attributes" and comment lines) is still taken.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { prepareClientKey } from './client-key.js';

const keyError = (run: () => unknown) => failure.sync(run, isOktaOAuthError);
const rsa = testKey('rsa2048').pem;
const ec = testKey('p256').pem;
/** The same keys in their traditional forms: PKCS#1 and SEC1, as `openssl genrsa` and `openssl ecparam -genkey` write them. */
const pkcs1 = createPrivateKey(rsa).export({ format: 'pem', type: 'pkcs1' }).toString();
const sec1 = createPrivateKey(ec).export({ format: 'pem', type: 'sec1' }).toString();
const encrypted = createPrivateKey(ec).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pass' }).toString();
const publicKey = createPublicKey(ec).export({ format: 'pem', type: 'spki' }).toString();
const certificate = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUAAAA\n-----END CERTIFICATE-----\n';
const twoKeys = (count: number) => `The client key PEM holds ${count} private keys (an old and a new key together?): give one, the private half of the public key registered in Okta under keyId.`;
/** Every base64 line of a PEM: none may be quoted by a refusal. */
const bodyLines = (...pems: string[]) => pems.flatMap((pem) => pem.split(/\r?\n/).filter((line) => line !== '' && !line.startsWith('-----')));

describe('a PEM with a second private key beside the first', () => {
  it.each([
    ['CRLF line endings', `${rsa}\n${ec}`.replace(/\n/g, '\r\n'), 2],
    ['PKCS#1 and PKCS#8', `${pkcs1}${ec}`, 2],
    ['SEC1 and PKCS#8', `${rsa}\n\n  ${sec1}`, 2],
    ['an encrypted key and a plain one', `${encrypted}${rsa}`, 2],
    ['a certificate, then two keys', `${certificate}${rsa}${certificate}${ec}`, 2],
    ['three keys', `${rsa}${ec}${sec1}`, 3],
    // The new key appended but cut short (a secret store's size limit, a paste that stopped): no END line of its own.
    ['a second key cut short', `${rsa}${ec.slice(0, 120)}`, 2],
    ['a second key whose END line names another label', `${rsa}${ec.replace('END PRIVATE KEY', 'END EC PRIVATE KEY')}`, 2],
    // The first key's END line names another label: its block ran on to the second key's END.
    ['a first key whose END line names another label', `${ec.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY')}${rsa}`, 2],
  ])('%s: INVALID_KEY, the count, no key material', (_what, pem, count) => {
    const error = keyError(() => prepareClientKey(pem, { keyId: 'key-2026-12' }));
    expect([error.code, error.message]).toEqual(['INVALID_KEY', twoKeys(count)]);
    for (const line of bodyLines(rsa, ec, pkcs1, sec1, encrypted)) expect(error.message).not.toContain(line.slice(0, 16));
  });
});

describe('one private key with what an export writes beside it', () => {
  it.each([
    ['a trailing certificate and a comment', `${ec}${certificate}# rotated 2026-12, old key removed\n`, 'ES256'],
    ['a public key after it', `${rsa}${publicKey}`, 'RS256'],
    ['openssl ecparam -genkey: EC PARAMETERS first', `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`, 'ES256'],
    ['a PKCS#12 export: "Bag Attributes" lines, the key, its certificate', `Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n${rsa}${certificate}`, 'RS256'],
    ['CRLF line endings and indentation', `  ${ec.replace(/\n/g, '\r\n')}`, 'ES256'],
  ])('%s: taken', async (_what, pem, algorithm) => {
    const key = prepareClientKey(pem);
    expect(key.algorithm).toBe(algorithm);
    expect((await key.load()).type).toBe('private');
  });
});
