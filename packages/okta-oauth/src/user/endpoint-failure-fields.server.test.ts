/**
 * The fields of an OAuth endpoint's failed answer that names no OAuth error (`oauthErrorFromResponse`
 * in `http.ts`): the status and the request id, never `error_description`, which is Okta's own
 * words (`OktaSignInErrorOptions`): what the reader says the body was instead ("an empty body")
 * is said in the message alone.
 */
import { describe, expect, it } from 'vitest';
import { redirectUri, clientFor, signInFailure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe('an OAuth endpoint answering an empty 503', () => {
  it('is OAUTH_ERROR with its status and request id, no error and no error_description; the message says what the body was', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/oauth2/v1/par') return new Response('', { status: 503, headers: { 'X-Okta-Request-Id': 'req-empty-503' } });
      return globalThis.fetch(input, init);
    };
    const error = await signInFailure(clientFor(env.org, app, { fetch }).startSignIn({ pushed: true }));
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 503, requestId: 'req-empty-503' });
    expect(error.error).toBeUndefined();
    expect(error.error_description).toBeUndefined();
    expect(error.message).toContain("Okta's PAR endpoint could not answer the request (503): an empty body.");
  });
});

describe('an OAuth endpoint answering an empty 429', () => {
  it('is RATE_LIMITED with its status, request id and rateLimit, no error and no error_description', async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/oauth2/v1/par') return new Response('', { status: 429, headers: { 'X-Okta-Request-Id': 'req-empty-429', 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0' } });
      return globalThis.fetch(input, init);
    };
    const error = await signInFailure(clientFor(env.org, app, { fetch, retry: false }).startSignIn({ pushed: true }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, requestId: 'req-empty-429', rateLimit: { limit: 600, remaining: 0 } });
    expect(error.error).toBeUndefined();
    expect(error.error_description).toBeUndefined();
  });
});
