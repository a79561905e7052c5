/**
 * What Okta never takes from a client, refused by the factories before anything is sent: a client id
 * that is a URL, and OpenID Connect scopes on a client credentials grant (thirty-fourth session's leftovers).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOinAppCredential } from './oin-app.js';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from './service-app.js';
import { testKey } from './test-helpers/keys.js';
import { createSignInClient } from './user/sign-in-client.js';
import { createMemoryStorage } from './user/storage.js';

const base: ServiceAppCredentialOptions = {
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1bcd2efGHIJ3kl4m5',
  privateKey: testKey('p256').pem,
  scopes: ['okta.users.read'],
};

describe('what Okta never takes from a client, refused before anything is sent', () => {
  // Okta's client_id is letters, digits and $-_.+!*'(), (Okta's Apps API, ApplicationCredentialsOAuthClient): a URL pasted there never is one.
  // An org's host on each of Okta's domains (core's one list, as the org URL's Admin Console check reads it).
  const pasted = ['https://acme.okta.com', 'https://acme-admin.okta.com/admin/app/oidc_client/instance/0oa1bcd2efGHIJ3kl4m5/#tab-general', 'http://localhost:4000/callback', 'acme.okta.com', 'acme.okta.mil', 'acme.okta-gov.com/', 'acme.trexcloud.com', 'ACME.OKTAPREVIEW.COM:443'];
  const signIn = (clientId: string) => createSignInClient({ orgUrl: 'https://acme.okta.com', clientId, redirectUri: 'https://app.example.com/callback', scopes: ['openid'], storage: createMemoryStorage() });
  const oin = (clientId: string, scopes: readonly string[] = ['okta.users.read']) => createOinAppCredential({ orgUrl: 'https://acme.okta.com', clientId, clientSecret: 'oin-secret', scopes });

  it.each([
    ['createServiceAppCredential', (clientId: string) => createServiceAppCredential({ ...base, clientId })],
    ['createOinAppCredential', (clientId: string) => oin(clientId)],
    ['createSignInClient', signIn],
  ] as const)('%s: a client id that is a URL (the org\'s or the app\'s page) is INVALID_CONFIG saying where the client id is, not quoting it', async (_name, make) => {
    for (const clientId of pasted) {
      const error = await failure(() => make(clientId), isOktaAuthError);
      expect([error.code, error.message], clientId).toEqual(['INVALID_CONFIG', expect.stringMatching(/^clientId is a URL, not a client id: give the app's Client ID \(its General tab\), such as "0oa1bcd2efGHIJ3kl4m5"; the org URL goes in orgUrl\.$/)]);
    }
    // Okta's own characters (a client id set through the Apps API) are still taken.
    for (const clientId of ['0oa1bcd2efGHIJ3kl4m5', 'my.app_client-1', "a$b+c!d*e'f(g),h", 'okta.com']) expect(() => make(clientId)).not.toThrow();
  });

  it.each([
    ['createServiceAppCredential', (scopes: readonly string[]) => createServiceAppCredential({ ...base, scopes })],
    ['createOinAppCredential', (scopes: readonly string[]) => oin('0oa9xyz', scopes)],
  ] as const)("%s: OpenID Connect scopes are INVALID_CONFIG naming them (a client credentials grant has no user: Okta answers invalid_scope)", async (_name, make) => {
    for (const [scopes, named] of [
      [['openid', 'okta.users.read'], 'openid'],
      [['okta.users.read', 'profile', 'offline_access'], 'profile, offline_access'],
      [['email', 'address', 'phone', 'groups'], 'email, address, phone, groups'],
    ] as const) {
      const error = await failure(() => make(scopes), isOktaAuthError);
      expect([error.code, error.message]).toEqual([
        'INVALID_CONFIG',
        `scopes has ${named}: OpenID Connect scopes are a signed-in user's, not a client credentials grant's (Okta answers invalid_scope): request only Okta API scopes, such as "okta.users.read"; to sign a user in, use createSignInClient.`,
      ]);
    }
    expect(() => make(['okta.users.read', 'okta.groups.read'])).not.toThrow();
  });

  it('a sign-in client still takes them: they are its scopes', () => {
    expect(() => createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1', redirectUri: 'https://app.example.com/callback', scopes: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'groups'], storage: createMemoryStorage() })).not.toThrow();
  });
});
