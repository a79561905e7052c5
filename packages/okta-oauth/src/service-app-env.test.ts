import { isOktaAuthError } from '@org/okta-auth-core';
import { expectFactoryErrorNamed, failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { serviceAppCredentialFromEnv } from './service-app-env.js';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from './service-app.js';
import { testKey } from './test-helpers/keys.js';

const env = {
  OKTA_CLIENT_ORGURL: 'https://acme.okta.com',
  OKTA_CLIENT_CLIENTID: '0oa1bcd2efGHIJ3kl4m5',
  OKTA_CLIENT_SCOPES: 'okta.users.read okta.groups.read',
  OKTA_CLIENT_PRIVATEKEY: testKey('p256').pem,
};
const options: ServiceAppCredentialOptions = { orgUrl: env.OKTA_CLIENT_ORGURL, clientId: env.OKTA_CLIENT_CLIENTID, scopes: env.OKTA_CLIENT_SCOPES, privateKey: env.OKTA_CLIENT_PRIVATEKEY };
const jwk = testKey('p256').jwk;
const secretLike = 'Xq7vKp2LmN0wqRt5Yz8aBc4dEf6gHi9jKl1mNo3pQr';

// The demo guessed the variable from the message with regular expressions: an error of a value read from
// the environment was the factory's, about "the client JWK" or "the Okta org URL", naming no variable.
describe('serviceAppCredentialFromEnv: an error about a variable names it', () => {
  // [variable, what is wrong, bad value, the option the factory takes it as, whether the message may show it (an org URL's host, a kid: no secret)]
  it.each([
    ['OKTA_CLIENT_ORGURL', 'plain http', 'http://acme.okta.com', 'orgUrl', true],
    ['OKTA_CLIENT_ORGURL', 'the Admin Console', 'https://acme-admin.okta.com', 'orgUrl', true],
    ['OKTA_CLIENT_ORGURL', 'a placeholder', 'https://{yourOktaDomain}', 'orgUrl', true],
    ['OKTA_CLIENT_CLIENTID', 'a URL', 'https://acme.okta.com/app/0oa1', 'clientId', false],
    ['OKTA_CLIENT_CLIENTID', 'a secret in quotes', `"${secretLike}"`, 'clientId', false],
    ['OKTA_CLIENT_SCOPES', 'openid', 'openid okta.users.read', 'scopes', false],
    ['OKTA_CLIENT_SCOPES', 'a secret', `okta.users.read ${secretLike}\\x`, 'scopes', false],
    ['OKTA_CLIENT_PRIVATEKEY', 'RSA 1024', testKey('rsa1024').pem, 'privateKey', false],
    ['OKTA_CLIENT_PRIVATEKEY', 'a PEM cut short', testKey('p256').pem.split('\n').slice(0, 2).join('\n'), 'privateKey', false],
    ['OKTA_CLIENT_PRIVATEKEY', 'a JWK of the wrong crv', JSON.stringify({ ...jwk, crv: 'P-384' }), 'privateKey', false],
    ['OKTA_CLIENT_PRIVATEKEY', 'a JWK with a bad kid', JSON.stringify({ ...jwk, kid: 'k 1' }), 'privateKey', false],
    ['OKTA_CLIENT_PRIVATEKEY', 'an API token', `SSWS 00${secretLike}`, 'privateKey', false],
    ['OKTA_CLIENT_KEYID', 'a secret with a space', `00${secretLike} x`, 'keyId', false],
    ['OKTA_CLIENT_PRIVATEKEYID', 'a kid in quotes', '"key-2026-01"', 'keyId', false],
  ] as const)('%s (%s): the factory’s error for it (class, code, cause, what to fix), naming the variable', async (name, _what, value, option, shown) => {
    const got = await failure(() => serviceAppCredentialFromEnv({ ...env, [name]: value }), isOktaAuthError);
    const factory = await failure(() => createServiceAppCredential({ ...options, [option]: value }), isOktaAuthError);
    expectFactoryErrorNamed(got, factory, name);
    if (!shown) expect(got.message).not.toContain(value.trim());
    expect(got.message).not.toContain(secretLike);
  });

  it('a JWK whose kid differs from OKTA_CLIENT_KEYID is the key’s to fix, as the factory says', async () => {
    const value = JSON.stringify({ ...jwk, kid: 'k1' });
    const got = await failure(() => serviceAppCredentialFromEnv({ ...env, OKTA_CLIENT_PRIVATEKEY: value, OKTA_CLIENT_KEYID: 'k2' }), isOktaAuthError);
    const factory = await failure(() => createServiceAppCredential({ ...options, privateKey: value, keyId: 'k2' }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual([factory.code, `OKTA_CLIENT_PRIVATEKEY: ${factory.message}`, 'OKTA_CLIENT_PRIVATEKEY']);
  });

  it.each([
    ['OKTA_CLIENT_ORGURL', ' ', /^OKTA_CLIENT_ORGURL is not set/],
    ['OKTA_CLIENT_CLIENTID', 42, /^OKTA_CLIENT_CLIENTID holds number, not text/],
    ['OKTA_CLIENT_SCOPES', undefined, /^OKTA_CLIENT_SCOPES is not set/],
    ['OKTA_CLIENT_PRIVATEKEY', { get: () => 'key' }, /^OKTA_CLIENT_PRIVATEKEY holds object, not text/],
    ['OKTA_CLIENT_KEYID', true, /^OKTA_CLIENT_KEYID holds boolean, not text/],
    ['OKTA_CLIENT_AUTHORIZATIONMODE', 'SSWS', /^OKTA_CLIENT_AUTHORIZATIONMODE is "SSWS"/],
    ['OKTA_CLIENT_AUTHORIZATIONMODE', '"PrivateKey"', /^OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes/],
  ])('%s=%j: its own refusal carries the variable too', async (name, value, message) => {
    const got = await failure(() => serviceAppCredentialFromEnv({ ...env, [name]: value }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', expect.stringMatching(message), name]);
  });

  it('an error about an option, not a variable, has no envVariable', async () => {
    const got = await failure(() => serviceAppCredentialFromEnv(env, { dpop: 'sometimes' as 'auto' }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', expect.stringMatching(/^dpop must be/), undefined]);
  });
});
