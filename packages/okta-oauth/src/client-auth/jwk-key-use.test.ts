/**
 * A private JWK marked for another use than signing (RFC 7517 §4.2 `use: "enc"`, §4.3 `key_ops`
 * without `"sign"`) is refused wherever a JWK signs: the service app's `privateKey` (object or
 * JSON text), `importPrivateKey` and `importDpopKeyPair`. WebCrypto refuses such a JWK itself; the
 * import strips `use` and `key_ops` (`keyMaterial`), so before jwk162 it signed client assertions
 * and DPoP proofs with no word. Keys marked for signing, or not marked, still sign.
 */
import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { importDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { isOktaOAuthError, type OktaOAuthError } from '../errors.js';
import { compactJws, encodeJson, signParams } from '../internal/jws.js';
import { createServiceAppCredential } from '../service-app.js';
import { serviceAppCredentialFromEnv } from '../service-app-env.js';
import { testKey } from '../test-helpers/keys.js';
import { importPrivateKey } from './import-private-key.js';

const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', scopes: ['okta.users.read'] };
const kinds = [
  ['RSA', 'rsa2048', 'RS256'],
  ['EC', 'p256', 'ES256'],
] as const;
const fix = {
  enc: '"use" is "enc" (an encryption key), not "sig" (signing): give the signing key, or remove "use".',
  ops: '"key_ops" has no "sign" (not a signing key): give the signing key, or remove "key_ops".',
};
const refused = [
  ['use: "enc"', { use: 'enc' }, fix.enc],
  ['key_ops: ["decrypt", "unwrapKey"]', { key_ops: ['decrypt', 'unwrapKey'] }, fix.ops],
  ['key_ops: ["verify"]', { key_ops: ['verify'] }, fix.ops],
  ['use: "sig" with key_ops: ["verify"]', { use: 'sig', key_ops: ['verify'] }, fix.ops],
] as const;
const accepted = [
  ['use: "sig"', { use: 'sig' }],
  ['key_ops: ["sign"]', { key_ops: ['sign'] }],
  ['key_ops: ["sign", "verify"]', { key_ops: ['sign', 'verify'] }],
  ['neither use nor key_ops', {}],
] as const;

/** The private members of `jwk`, none of which an error may show. */
const privateMembers = (jwk: JWK): string[] => (['d', 'p', 'q', 'dp', 'dq', 'qi'] as const).flatMap((name) => (typeof jwk[name] === 'string' ? [jwk[name]] : []));

function expectNoKeyMaterial(error: OktaOAuthError, jwk: JWK): void {
  const shown = [error.message, JSON.stringify(error), inspect(error, { depth: 5, showHidden: true }), String(error.cause), JSON.stringify(Object.entries(error))].join(' ');
  for (const member of privateMembers(jwk)) expect(shown).not.toContain(member.slice(0, 12));
}

describe.each(kinds)('a private %s JWK marked for another use than signing', (_type, kind, alg) => {
  it.each(refused)('%s: the service app privateKey (object, JSON text, OKTA_CLIENT_PRIVATEKEY) is INVALID_KEY saying what to fix, quoting no key material', async (_what, marks, problem) => {
    const jwk = { ...testKey(kind).jwk, ...marks } as JWK;
    for (const privateKey of [jwk, JSON.stringify(jwk)]) {
      const error = await failure(() => createServiceAppCredential({ ...base, privateKey }), isOktaOAuthError);
      expect([error.code, error.message]).toEqual(['INVALID_KEY', `The client JWK's ${problem}`]);
      expectNoKeyMaterial(error, jwk);
    }
    const env = { OKTA_CLIENT_ORGURL: base.orgUrl, OKTA_CLIENT_AUTHORIZATIONMODE: 'PrivateKey', OKTA_CLIENT_CLIENTID: base.clientId, OKTA_CLIENT_SCOPES: 'okta.users.read', OKTA_CLIENT_PRIVATEKEY: JSON.stringify(jwk) };
    const fromEnv = await failure(() => serviceAppCredentialFromEnv(env), isOktaOAuthError);
    expect([fromEnv.code, fromEnv.message]).toEqual(['INVALID_KEY', `OKTA_CLIENT_PRIVATEKEY: The client JWK's ${problem}`]);
    expectNoKeyMaterial(fromEnv, jwk);
  });

  it.each(refused)('%s: importPrivateKey (object and JSON text) rejects with INVALID_KEY, quoting no key material', async (_what, marks, problem) => {
    const jwk = { ...testKey(kind).jwk, ...marks } as JWK;
    for (const key of [jwk, JSON.stringify(jwk)]) {
      const error = await failure(importPrivateKey(key), isOktaOAuthError);
      expect([error.code, error.message]).toEqual(['INVALID_KEY', `The client JWK's ${problem}`]);
      expectNoKeyMaterial(error, jwk);
    }
  });

  it.each(refused)('%s: importDpopKeyPair rejects with INVALID_CONFIG, as its other refusals, quoting no key material', async (_what, marks, problem) => {
    const jwk = { ...testKey(kind).jwk, ...marks } as JWK;
    const error = await failure(importDpopKeyPair(jwk, alg), isOktaOAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', `The DPoP JWK's ${problem}`]);
    expectNoKeyMaterial(error, jwk);
  });

  it.each([
    ['use: "ENC"', { use: 'ENC' }, '"use" is "ENC", not "sig" (signing): give the signing key, or remove "use".'],
    ['use: ["sig"]', { use: ['sig'] }, '"use" is object, not "sig" (signing): give the signing key, or remove "use".'],
    ['key_ops: "sign"', { key_ops: 'sign' }, fix.ops],
  ])('%s, which WebCrypto refuses too, is refused as well', async (_what, marks, problem) => {
    const jwk = { ...testKey(kind).jwk, ...marks } as JWK;
    expect((await failure(importPrivateKey(jwk), isOktaOAuthError)).message).toBe(`The client JWK's ${problem}`);
    expect((await failure(importDpopKeyPair(jwk, alg), isOktaOAuthError)).message).toBe(`The DPoP JWK's ${problem}`);
  });
});

describe.each(kinds)('a private %s JWK marked for signing, or not marked', (_type, kind, alg) => {
  it.each(accepted)('%s: the factory takes it, importPrivateKey and importDpopKeyPair import keys whose signatures verify', async (_what, marks) => {
    const jwk = { ...testKey(kind).jwk, ...marks } as JWK;
    const publicKey = await importJWK(testKey(kind).publicJwk, alg);
    expect(createServiceAppCredential({ ...base, privateKey: jwk }).kind).toBe('service-app');
    expect(createServiceAppCredential({ ...base, privateKey: JSON.stringify(jwk) }).kind).toBe('service-app');
    const { privateKey } = await importPrivateKey(jwk);
    const pair = await importDpopKeyPair(jwk, alg);
    for (const key of [privateKey, pair.privateKey]) {
      const jws = await compactJws(encodeJson({ alg }), { n: 1 }, (data) => crypto.subtle.sign(signParams(alg), key, data));
      expect((await compactVerify(jws, publicKey)).protectedHeader.alg).toBe(alg);
    }
  });
});
