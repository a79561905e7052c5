import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '@org/okta-auth-core';
import { expectFactoryErrorNamed, failure } from '@org/okta-test-utils';
import { createSswsCredential } from './ssws-credential.js';
import { sswsCredentialFromEnv } from './ssws-from-env.js';

const token = '00QCjAl4MlV-WPXMsentinelSswsToken0HmjFxZ9';
const env = { OKTA_CLIENT_ORGURL: 'https://acme.okta.com', OKTA_CLIENT_TOKEN: token };
const refusal = (make: () => unknown) => failure.sync(make, isOktaAuthError);

// A bad OKTA_CLIENT_ORGURL was createSswsCredential's INVALID_ORG_URL about "The Okta org URL", naming no variable.
describe('sswsCredentialFromEnv: an error about a variable names it', () => {
  it.each([
    ['plain http', 'http://acme.okta.com'],
    ['the Admin Console', 'https://acme-admin.okta.com'],
    ['a placeholder', 'https://{yourOktaDomain}'],
    ['a path', 'https://acme.okta.com/oauth2/default'],
  ])('OKTA_CLIENT_ORGURL (%s): the factory’s error for it (class, code, cause, what to fix), naming the variable', (_what, value) => {
    const got = refusal(() => sswsCredentialFromEnv({ ...env, OKTA_CLIENT_ORGURL: value }));
    const factory = refusal(() => createSswsCredential({ orgUrl: value, token }));
    expectFactoryErrorNamed(got, factory, 'OKTA_CLIENT_ORGURL');
    expect(got.message).not.toContain(token);
  });

  // The token's check already names its source, so its message is kept: the variable is in it, and in envVariable.
  it.each([
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', /^The value given as the Okta API token \(OKTA_CLIENT_TOKEN\) looks like an OAuth access or ID token/],
    ['with its scheme', `SSWS ${token}`, /^The Okta API token \(OKTA_CLIENT_TOKEN\) starts with "SSWS "/],
    ['a placeholder', '{yourApiToken}', /^The Okta API token \(OKTA_CLIENT_TOKEN\) /],
  ])('OKTA_CLIENT_TOKEN (%s): INVALID_TOKEN naming it, never echoing it', (_what, value, message) => {
    const got = refusal(() => sswsCredentialFromEnv({ ...env, OKTA_CLIENT_TOKEN: value }));
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_TOKEN', expect.stringMatching(message), 'OKTA_CLIENT_TOKEN']);
    expect(got.message).not.toContain(value.replace(/^SSWS /, ''));
  });

  it.each([
    ['OKTA_CLIENT_ORGURL', ' ', /^OKTA_CLIENT_ORGURL is not set/],
    ['OKTA_CLIENT_ORGURL', 42, /^OKTA_CLIENT_ORGURL holds number, not text/],
    ['OKTA_CLIENT_TOKEN', undefined, /^OKTA_CLIENT_TOKEN is not set/],
    ['OKTA_CLIENT_TOKEN', { get: () => token }, /^OKTA_CLIENT_TOKEN holds object, not text/],
    ['OKTA_CLIENT_AUTHORIZATIONMODE', 'PrivateKey', /^OKTA_CLIENT_AUTHORIZATIONMODE is "PrivateKey", not SSWS/],
    ['OKTA_CLIENT_AUTHORIZATIONMODE', "'SSWS'", /^OKTA_CLIENT_AUTHORIZATIONMODE is wrapped in quotes/],
  ])('%s=%j: its own refusal carries the variable too', (name, value, message) => {
    const got = refusal(() => sswsCredentialFromEnv({ ...env, [name]: value }));
    expect([got.code, got.message, got.envVariable]).toEqual(['INVALID_CONFIG', expect.stringMatching(message), name]);
  });

  // rev168a: "with allowInsecureLoopback: true" sent a user to the env (no such variable); the helper takes it second.
  it('OKTA_CLIENT_ORGURL on this machine: says the option goes in the second argument, and takes it there', () => {
    const local = { ...env, OKTA_CLIENT_ORGURL: 'http://127.0.0.1:8080' };
    expect(refusal(() => sswsCredentialFromEnv(local)).message).toMatch(/with allowInsecureLoopback: true \(in a …FromEnv helper's second argument\)\.$/);
    expect(sswsCredentialFromEnv(local, { allowInsecureLoopback: true })).toBeDefined();
  });

  it('an error about an option, not a variable, has no envVariable', () => {
    const got = refusal(() => sswsCredentialFromEnv(env, 'loopback' as never));
    expect([got.code, got.envVariable]).toEqual(['INVALID_CONFIG', undefined]);
  });
});
