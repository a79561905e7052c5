import { createOktaFetch } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import type { ClientAuth } from '../client-auth/client-auth.js';
import { clientSecretPost } from '../client-auth/client-secret.js';
import { createOinAppCredential } from '../oin-app.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

describe('token request errors: wording', () => {
  it('a missing kid when the app has several keys says to set keyId / OKTA_CLIENT_KEYID, with single periods', async () => {
    const org = await emulator();
    const created = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false, keyCount: 2 });
    const { okta } = serviceApp(org, {}, { clientId: created.clientId, privateKey: created.privateKeyPem, keyId: undefined, dpop: 'off' });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    const message = (error as Error).message;
    expect(message).toMatch(/set keyId \(OKTA_CLIENT_KEYID\)/);
    expect(message).not.toMatch(/\.\./);
  });

  it('an unknown kid keeps the registration hint and has no doubled period', async () => {
    const org = await emulator();
    const created = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'], requireDpop: false });
    const { okta } = serviceApp(org, {}, { clientId: created.clientId, privateKey: created.privateKeyPem, keyId: 'not-registered', dpop: 'off' });
    const message = ((await okta('/api/v1/users').catch((e: unknown) => e)) as Error).message;
    // Okta's description (whatever its wording) ends in one period, then the hint.
    expect(message).toMatch(/\(401 invalid_client\): [^.]+\bkid\b[^.]*\. Check the client id, that the app's public key with kid "not-registered"/);
    expect(message).not.toMatch(/\.\./);
  });

  it('an app set to the other secret method: the hint names the method sent and the factory of the other', async () => {
    const org = await emulator();
    const posted = org.createOinApp({ scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'client_secret_post' });
    const basic = org.createOinApp({ scopes: ['okta.users.read'] });
    const call = async (clientId: string, auth: { clientSecret: string } | { clientAuth: ClientAuth }) => {
      const credential = createOinAppCredential({ orgUrl: org.url, clientId, scopes: ['okta.users.read'], allowInsecureLoopback: true, ...auth });
      return (await createOktaFetch({ credential })('/api/v1/users').catch((e: unknown) => e)) as Error;
    };
    const sentBasic = await call(posted.clientId, { clientSecret: posted.clientSecret });
    expect(sentBasic).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect(sentBasic.message).toMatch(/client authentication is client_secret_basic \(client_secret_post: clientAuth: clientSecretPost\(secret\)\)/);
    const sentPost = await call(basic.clientId, { clientAuth: clientSecretPost(basic.clientSecret) });
    expect(sentPost.message).toMatch(/client authentication is client_secret_post \(client_secret_basic: clientSecretBasic\(secret\)\)/);
    for (const message of [sentBasic.message, sentPost.message]) {
      expect(message).not.toContain(posted.clientSecret);
      expect(message).not.toContain(basic.clientSecret);
    }
  });

  // It went to Okta, whose invalid_scope got a hint (kept in oauth-hints-by-client.test.ts); now the factory refuses it.
  it('openid asked by a service app: INVALID_CONFIG before anything is sent, saying OpenID Connect scopes are a user\'s', async () => {
    const org = await emulator();
    expect(() => serviceApp(org, {}, { scopes: ['openid', 'okta.users.read'] })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^scopes has openid: OpenID Connect scopes are a signed-in user's/) }) as Error);
  });
});

describe("token request errors: Okta's own failure (5xx)", () => {
  it.each([500, 503])('a %i is server_error in Okta\'s words, Okta not answering (not a refusal), sent once and not again', async (status) => {
    const org = await emulator();
    const { okta, wire } = serviceApp(org, { requireDpop: false }, { dpop: 'off' });
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status, error: 'server_error' });
    expect((error as Error).message).toMatch(
      new RegExp(`^Okta's token endpoint could not answer the token request \\(${status} server_error\\): The authorization server encountered an unexpected condition that prevented it from fulfilling the request\\. It was sent once, not again: try again later\\. \\([\\w.:-]+, request \\w+\\)$`),
    );
    expect(wire.tokenRequests()).toHaveLength(1);
    expect(wire.apiRequests()).toHaveLength(0);
  });
});

// As every OAuth endpoint's (user/endpoint-failure-fields.server.test.ts): `error_description` is Okta's
// own words. What the reader says the body was instead ("an empty body") is in the message alone.
describe('token request errors: an answer naming no OAuth error', () => {
  it('has its status and request id, no error and no error_description; the message says what the body was', async () => {
    const org = await emulator();
    // An empty 503 at the token endpoint, from whatever answers in Okta's place (the org is real HTTP otherwise).
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/oauth2/v1/token') return new Response('', { status: 503, headers: { 'X-Okta-Request-Id': 'req-empty-503' } });
      return globalThis.fetch(input, init);
    };
    const { okta } = serviceApp(org, { requireDpop: false }, { dpop: 'off', fetch });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 503, requestId: 'req-empty-503' });
    expect((error as { error?: string }).error).toBeUndefined();
    expect((error as { error_description?: string }).error_description).toBeUndefined();
    expect((error as Error).message).toContain("Okta's token endpoint could not answer the token request (503): an empty body.");
  });
});
