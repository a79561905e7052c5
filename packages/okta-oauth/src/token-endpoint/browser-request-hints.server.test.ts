/**
 * Okta's browser-request rules at /token (its catalogue's `…_browser_request`, emulated: FIDELITY
 * BR1–BR4) told apart: the `TOKEN_REQUEST_FAILED` hint says what to fix. A request from Node.js with
 * an `Origin` header is a page's to the emulator; a real browser is not needed for the answers.
 */
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { serviceApp } from '../test-helpers/org.js';
import { clientFor, redirectUri, signIn, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

/** A `fetch` that sends what a page on `origin` sends: its `Origin`. */
const pageFetch =
  (origin: string): typeof fetch =>
  (input, init) => {
    const request = new Request(input, init);
    request.headers.set('Origin', origin);
    return fetch(request);
  };

const PAGE = new URL(redirectUri).origin;

describe('the token endpoint refuses a browser request: the hint says what to fix', () => {
  const env = useSignInOrg();

  it('client credentials from a page: run the client on a server', async () => {
    const { okta } = serviceApp(env.org, { requireDpop: false }, { dpop: 'off', fetch: pageFetch(PAGE) });
    const error = await failure(okta('/api/v1/users'), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'unauthorized_client', status: 400 });
    expect(error.message).toMatch(/may only use the authorization_code grant_type\. A page may use the authorization code grant only: run this on a server\.( \([\w.:-]+(, request [^)]+)?\))?$/);
  });

  it("the root sign-in client's device sign-in polled from a page: run it on a server", async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const device = await clientFor(env.org, app, { fetch: pageFetch(PAGE), sleep: () => Promise.resolve() }).startDeviceSignIn();
    const error = await failure(device.poll(), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'unauthorized_client', status: 400 });
    expect(error.message).toMatch(/may only use the authorization_code grant_type\. A page may use the authorization code grant only: run this on a server\.( \([\w.:-]+(, request [^)]+)?\))?$/);
  });

  it("a web app's secret from a page: a SPA app (PKCE, no secret), or a server", async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const error = await failure(signIn(env.client(app, { fetch: pageFetch(PAGE) })), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client', status: 401 });
    expect(error.message).toMatch(/must use Proof Key for Code Exchange\. A page may send no secret or key: use a SPA app \(PKCE\), or a server\.( \([\w.:-]+(, request [^)]+)?\))?$/);
    expect(error.message).not.toContain(app.clientSecret);
  });

  it("a SPA's code exchange from an origin none of its redirect URIs has: serve the page from one", async () => {
    const error = await failure(signIn(env.spa({ fetch: pageFetch('http://127.0.0.1:6000') })), isOktaOAuthError);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_request', status: 400 });
    expect(error.message).toMatch(/whitelisted redirect_uri\. Serve the page from a sign-in redirect URI's origin\.( \([\w.:-]+(, request [^)]+)?\))?$/);
    // From the redirect URI's origin it signs in.
    expect((await signIn(env.spa({ fetch: pageFetch(PAGE) }))).claims?.sub).toBe(env.userId);
  });
});
