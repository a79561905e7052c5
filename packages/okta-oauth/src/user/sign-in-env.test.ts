import { isOktaAuthError } from '@org/okta-auth-core';
import { expectFactoryErrorNamed, failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { testKey } from '../test-helpers/keys.js';
import { createSignInClient, type SignInClientOptions } from './sign-in-client.js';
import { signInClientFromEnv } from './sign-in-env.js';

const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_CLIENTID: '0oa1bcd2efGHIJ3kl4m5', OKTA_CLIENT_SCOPES: 'openid offline_access' };
const options: SignInClientOptions = { orgUrl: env.OKTA_CLIENT_ORGURL, clientId: env.OKTA_CLIENT_CLIENTID, scopes: env.OKTA_CLIENT_SCOPES };
const pem = testKey('p256').pem;
const jwk = testKey('p256').jwk;
const secretLike = 'Xq7vKp2LmN0wqRt5Yz8aBc4dEf6gHi9jKl1mNo3pQr';

// An error of a value read from the environment was createSignInClient's about the option ("redirectUri is not an
// absolute URL."), naming no variable.
describe('signInClientFromEnv: an error about a variable names it', () => {
  // [variable, what is wrong, bad value, the option the factory takes it as, other variables (and the same as options)]
  it.each([
    ['OKTA_CLIENT_ORGURL', 'plain http', 'http://acme.okta.com', 'orgUrl', {}],
    ['OKTA_CLIENT_CLIENTID', 'a URL', 'https://acme.okta.com/app/0oa1', 'clientId', {}],
    ['OKTA_CLIENT_SCOPES', 'an entry in quotes', 'openid "profile"', 'scopes', {}],
    ['OKTA_CLIENT_CLIENTSECRET', 'a non-ASCII secret', `${secretLike}é`, 'clientSecret', {}],
    ['OKTA_CLIENT_PRIVATEKEY', 'RSA 1024', testKey('rsa1024').pem, 'privateKey', {}],
    ['OKTA_CLIENT_PRIVATEKEY', 'a JWK with a bad kid', JSON.stringify({ ...jwk, kid: 'k 1' }), 'privateKey', {}],
    ['OKTA_CLIENT_KEYID', 'a secret with a space', `00${secretLike} x`, 'keyId', { OKTA_CLIENT_PRIVATEKEY: ['privateKey', pem] }],
    ['OKTA_CLIENT_PRIVATEKEYID', 'a key id without a key', 'key-2026-01', 'keyId', {}],
    ['OKTA_CLIENT_REDIRECTURI', 'a relative URL', 'callback', 'redirectUri', {}],
    ['OKTA_CLIENT_POSTLOGOUTREDIRECTURI', 'a javascript: URL', 'javascript:alert(1)', 'postLogoutRedirectUri', {}],
  ] as const)('%s (%s): the factory’s error for it (class, code, cause, what to fix), naming the variable', async (name, _what, value, option, more) => {
    const extra = Object.entries(more as Record<string, readonly [string, string]>);
    const given = { ...env, ...Object.fromEntries(extra.map(([variable, [, v]]) => [variable, v])), [name]: value };
    const got = await failure(() => signInClientFromEnv(given), isOktaAuthError);
    const factory = await failure(() => createSignInClient({ ...options, ...Object.fromEntries(extra.map(([, pair]) => pair)), [option]: value }), isOktaAuthError);
    expectFactoryErrorNamed(got, factory, name);
    if (name !== 'OKTA_CLIENT_ORGURL' && name !== 'OKTA_CLIENT_PRIVATEKEYID') expect(got.message).not.toContain(value);
    expect(got.message).not.toContain(secretLike);
  });

  it.each([
    ['OKTA_CLIENT_ORGURL', ' ', /^OKTA_CLIENT_ORGURL is not set/],
    ['OKTA_CLIENT_CLIENTID', 42, /^OKTA_CLIENT_CLIENTID holds number, not text/],
    ['OKTA_CLIENT_SCOPES', undefined, /^OKTA_CLIENT_SCOPES is not set/],
    ['OKTA_CLIENT_CLIENTSECRET', { get: () => 'secret' }, /^OKTA_CLIENT_CLIENTSECRET holds object, not text/],
    ['OKTA_CLIENT_REDIRECTURI', ['http://localhost/cb'], /^OKTA_CLIENT_REDIRECTURI holds an array, not text/],
  ])('%s=%j: its own refusal carries the variable too', async (name, value, message) => {
    const got = await failure(() => signInClientFromEnv({ ...env, [name]: value }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', expect.stringMatching(message), name]);
  });

  it('a refusal of two variables names both in its message, and no one envVariable', async () => {
    const got = await failure(() => signInClientFromEnv({ ...env, OKTA_CLIENT_CLIENTSECRET: secretLike, OKTA_CLIENT_PRIVATEKEY: pem }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', expect.stringMatching(/^Both OKTA_CLIENT_CLIENTSECRET and OKTA_CLIENT_PRIVATEKEY are set/), undefined]);
  });

  it('an option that wins over its variable is refused as the option, with no envVariable', async () => {
    const got = await failure(() => signInClientFromEnv({ ...env, OKTA_CLIENT_REDIRECTURI: 'http://localhost/cb' }, { redirectUri: 'callback' }), isOktaAuthError);
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', 'redirectUri is not an absolute URL.', undefined]);
  });
});
