/**
 * `startSignIn({ pushed: true })`: the authorization request pushed to the org's PAR endpoint
 * (RFC 9126) with the client's own authentication, the authorize URL carrying only `client_id` and
 * `request_uri`; the org's answer bounded and checked; discovery's PAR endpoint on the org only.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure as coreFailure, fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { leanSignInClient as createLeanClient } from './test-helpers/sign-in-org.js';
import { createMemoryStorage } from './storage.js';
import { clientFor, login, password, redirectUri, signInFailure as failure, spaOf, transactionKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** The next answer of the org's PAR endpoint: Okta's shape, with `changes`. */
function parAnswer(changes: Record<string, unknown>, status = 201): void {
  const body = { request_uri: 'urn:okta:abcdefghijklmnopqrstuvwxyz012345', expires_in: 60, ...changes };
  env.org.injectFault({ path: '/oauth2/v1/par', kind: 'status', status, body, count: 1 });
}

describe('startSignIn({ pushed: true })', () => {
  it('signs a SPA in through a request_uri: the URL holds client_id and request_uri only, the transaction is kept as for a plain sign-in', async () => {
    const storage = createMemoryStorage();
    const client = env.spa({ storage });
    const { url, transaction } = await client.startSignIn({ pushed: true, loginHint: login, extraParams: { ui_locales: 'fr' } });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.searchParams.get('client_id')).toBe(client.clientId);
    expect(url.searchParams.get('request_uri')).toMatch(/^urn:okta:/);
    expect(`${url.origin}${url.pathname}`).toBe(`${env.org.url}/oauth2/v1/authorize`);
    expect(await storage.get(transactionKeyOf(client.clientId, transaction.state))).toBe(JSON.stringify(transaction));
    const { claims } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    expect(claims?.nonce).toBe(transaction.nonce);
    expect(claims?.sub).toBe(env.userId);
    // Used once: the same URL again is the org's error page.
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(400);
  });

  it('authenticates a confidential client with its secret at the PAR endpoint, never in the URL', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app);
    const { url, transaction } = await client.startSignIn({ pushed: true });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(url.href).not.toContain(app.clientSecret);
    expect(url.href).not.toContain(encodeURIComponent(app.clientSecret ?? 'no secret'));
    const { claims } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    expect(claims?.sub).toBe(env.userId);
  });

  it("refuses a request_uri that echoes the client's secret (INVALID_RESPONSE, not quoted): it would go into the URL the user's browser is sent to", async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const secret = app.clientSecret ?? 'no secret';
    const storage = createMemoryStorage();
    const client = clientFor(env.org, app, { storage, retry: false });
    for (const requestUri of [`urn:okta:${secret}`, `urn:okta:x&s=${secret}#y`]) {
      parAnswer({ request_uri: requestUri });
      const refused = await failure(client.startSignIn({ pushed: true }));
      expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/PAR endpoint answered a request_uri that carries a secret of the request/) });
      expect(JSON.stringify([refused.message, refused])).not.toContain(secret);
    }
    expect(await storage.get(`okta-oauth:${client.clientId}:transactions`)).toBeUndefined();
  });

  it('keeps a request_uri with URL delimiters as one value: the URL holds client_id and request_uri only', async () => {
    const client = env.spa({ retry: false });
    const requestUri = 'urn:x:a&client_id=evil&redirect_uri=https://evil.example/#frag?q=1';
    parAnswer({ request_uri: requestUri });
    const { url } = await client.startSignIn({ pushed: true });
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect([url.searchParams.get('client_id'), url.searchParams.get('request_uri'), url.hash]).toEqual([client.clientId, requestUri, '']);
  });

  it('pushes by default where discovery says the org requires it; pushed: false is then INVALID_CONFIG', async () => {
    env.org.overrideDiscovery({ require_pushed_authorization_requests: true });
    const client = env.spa();
    const { url } = await client.startSignIn();
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    // null is unset: pushed too.
    const nulled = await client.startSignIn({ pushed: null as unknown as boolean });
    expect([...nulled.url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    const refused = await failure(client.startSignIn({ pushed: false }));
    expect(refused).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/require_pushed_authorization_requests.*pushed: false/) });
  });

  it('sends the plain authorize URL with pushed: false or null on an org that does not require PAR, also from the /sign-in entry point', async () => {
    for (const client of [env.spa(), spaOf(env.org, {}, undefined, createLeanClient)]) {
      for (const pushed of [false, null] as unknown[]) {
        const { url } = await client.startSignIn({ pushed: pushed as boolean });
        expect(url.searchParams.has('request_uri')).toBe(false);
        expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      }
    }
    const odd = await failure(env.spa().startSignIn({ pushed: 'yes' as unknown as boolean }));
    expect(odd).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/pushed must be true, false or unset/) });
  });

  it('is INVALID_CONFIG naming what to do on an org without a PAR endpoint', async () => {
    env.org.overrideDiscovery({ pushed_authorization_request_endpoint: null });
    const none = await failure(env.spa().startSignIn({ pushed: true }));
    expect(none).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/pushed_authorization_request_endpoint.*leave pushed unset/) });
  });

  it('is INVALID_CONFIG in the /sign-in entry point, which leaves PAR out, saying to use @org/okta-oauth', async () => {
    const lean = await failure(spaOf(env.org, {}, undefined, createLeanClient).startSignIn({ pushed: true }));
    expect(lean).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/@org\/okta-oauth\/sign-in/) });
  });

  it('refuses a PAR endpoint that is not on the org origin (DISCOVERY_FAILED), before any request to it', async () => {
    env.org.overrideDiscovery({ pushed_authorization_request_endpoint: 'https://evil.example/oauth2/v1/par' });
    const refused = await failure(env.spa().startSignIn({ pushed: true }));
    expect(refused).toMatchObject({ code: 'DISCOVERY_FAILED', message: expect.stringMatching(/pushed_authorization_request_endpoint is not a URL on the org origin/) });
  });

  it.each([
    ['a huge request_uri', { request_uri: `urn:okta:${'a'.repeat(600)}` }],
    ['a request_uri with a space', { request_uri: 'urn:okta:abc def-SECRETLIKE' }],
    ['a request_uri with a control character', { request_uri: 'urn:okta:abc\u001b[2Jdef' }],
    ['a request_uri that is no URI', { request_uri: 'SECRETLIKE-value' }],
    ['a request_uri that is a number', { request_uri: 12345 }],
    ['no expires_in', { expires_in: undefined }],
    ['an expires_in of 0', { expires_in: 0 }],
    ['a fractional expires_in', { expires_in: 1.5 }],
    ['an expires_in of a year', { expires_in: 31_536_000 }],
    ['an expires_in that is text', { expires_in: '60' }],
  ])('refuses %s as INVALID_RESPONSE, without echoing it, and keeps no transaction', async (_, changes) => {
    const storage = createMemoryStorage();
    const client = env.spa({ storage, retry: false });
    parAnswer(changes);
    const refused = await failure(client.startSignIn({ pushed: true }));
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/PAR endpoint/) });
    expect(refused.message).not.toContain('SECRETLIKE');
    expect(refused.message).not.toContain('aaaaaaaa');
    expect(refused.message).not.toContain('\u001b');
    expect(await storage.get(`okta-oauth:${client.clientId}:transactions`)).toBeUndefined();
  });

  it.each<[string, { request_uri?: string; expires_in?: number }]>([
    ['a request_uri of 512 characters', { request_uri: `urn:okta:${'a'.repeat(503)}` }],
    ['a request_uri whose scheme has +, . and -', { request_uri: 'x+a.b-c:1' }],
    ['an expires_in of 1', { expires_in: 1 }],
    // Okta's /par example answers 3600 (OIDC reference; the OAuth OpenAPI's ParResponseExample), as the emulator does.
    ['an expires_in of 3600', { expires_in: 3600 }],
  ])('takes %s, sending the user with it', async (_, changes) => {
    parAnswer(changes);
    const { url } = await env.spa({ retry: false }).startSignIn({ pushed: true });
    expect(url.searchParams.get('request_uri')).toBe(changes.request_uri ?? 'urn:okta:abcdefghijklmnopqrstuvwxyz012345');
  });

  it.each([
    ['a request_uri of 513 characters', { request_uri: `urn:okta:${'a'.repeat(504)}` }, 'no usable request_uri (a URI of printable ASCII without spaces, at most 512 characters)'],
    ['a request_uri with a scheme only', { request_uri: 'urn:' }, 'no usable request_uri (a URI of printable ASCII without spaces, at most 512 characters)'],
    ['a request_uri that is an array of one URI', { request_uri: ['urn:okta:abc'] }, 'no usable request_uri (a URI of printable ASCII without spaces, at most 512 characters)'],
    ['a request_uri whose scheme starts with a digit', { request_uri: '1urn:okta:abc' }, 'no usable request_uri (a URI of printable ASCII without spaces, at most 512 characters)'],
    ['an expires_in of 3601', { expires_in: 3601 }, 'no usable expires_in (a whole number of seconds from 1 to 3600)'],
  ])('refuses %s, saying what it wants', async (_, changes, what) => {
    parAnswer(changes);
    const refused = await failure(env.spa({ retry: false }).startSignIn({ pushed: true }));
    expect([refused.code, refused.message]).toEqual(['INVALID_RESPONSE', `Okta's PAR endpoint answered ${what}; the sign-in was not started.`]);
  });

  it('refuses a PAR answer that is not JSON, naming the PAR endpoint', async () => {
    env.org.injectFault({ path: '/oauth2/v1/par', kind: 'non-json', count: 1 });
    const refused = await failure(env.spa({ retry: false }).startSignIn({ pushed: true }));
    expect([refused.code, refused.message]).toEqual(['INVALID_RESPONSE', "Okta's answer from the PAR endpoint is not a JSON object (HTTP 201)."]);
  });

  it('refuses a redirect, a 5xx and an OAuth error from the PAR endpoint, typed', async () => {
    const client = env.spa({ retry: false });
    env.org.injectFault({ path: '/oauth2/v1/par', kind: 'redirect', location: 'https://evil.example/par', count: 1 });
    const redirected = await coreFailure(client.startSignIn({ pushed: true }), isOktaAuthError);
    expect(redirected).toMatchObject({ code: 'REDIRECT_BLOCKED', message: expect.stringMatching(/\/oauth2\/v1\/par with a 302 to another origin/) });
    env.org.injectFault({ path: '/oauth2/v1/par', kind: 'status', status: 503, count: 1 });
    const unavailable = await failure(client.startSignIn({ pushed: true }));
    expect(unavailable).toMatchObject({ code: 'OAUTH_ERROR', status: 503 });
    parAnswer({ error: 'invalid_request', error_description: 'The request is bad.' }, 400);
    const bad = await failure(client.startSignIn({ pushed: true }));
    expect(bad).toMatchObject({ code: 'OAUTH_ERROR', status: 400, message: expect.stringMatching(/PAR endpoint refused the request \(400 invalid_request\): The request is bad\. \(127\.0\.0\.1:\d+, request /) });
  });
});
