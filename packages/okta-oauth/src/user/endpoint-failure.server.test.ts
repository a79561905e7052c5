/**
 * A failed answer of any OAuth endpoint of the sign-in client, over real HTTP against
 * @org/okta-emulator (its `status` fault answers `server_error` at `/oauth2/*`, as Okta's OAuth
 * catalogue does): the token, revocation, introspection, PAR and device authorization endpoints
 * say it in one shape (one builder, `endpointFailure` in `endpoint-failure.ts`): "Okta's <endpoint>
 * refused | could not answer <the request> (<status> <error>): <description>.<hint><after> (request
 * <X-Okta-Request-Id>)". A 5xx is Okta not answering, not a refusal, and says the request (a POST,
 * never sent again) was sent once; a 4xx is a refusal; Okta's description is cleaned by the one
 * reader (`readOAuthError`), never a secret of the request, and its final period is not doubled.
 */
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { recordingFetch } from '../test-helpers/wire.js';
import { userInfo } from './client-functions.js';
import type { SignInClient } from './sign-in-client.js';
import { clientFor, redirectUri, signIn, signInFailure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const serverError = 'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.';
const sentOnce = ' It was sent once, not again: try again later.';
/** A revocation's 5xx gives no advice to try again: a sign-out has dropped the tokens already (whoever still holds one may revoke it again). */
const revocationSentOnce = ' It was sent once, not again.';
const endingOf = (what: string): string => (what === 'revocation endpoint' ? revocationSentOnce : sentOnce);
/** What each endpoint's message names: the token endpoint "the token request", the others "the request". */
const requestOf = (what: string): string => (what === 'token endpoint' ? 'the token request' : 'the request');
/** The message's end: the org's host (its `origin`, the org that answered) and the answer's X-Okta-Request-Id, which Okta support asks for. */
const noteOf = (error: object | undefined): string => {
  const { requestId, origin } = (error ?? {}) as { readonly requestId?: string; readonly origin?: string };
  expect(requestId).toMatch(/^\S+$/);
  expect(origin).toBe(env.org.url);
  return ` (${new URL(env.org.url).host}, request ${requestId ?? ''})`;
};

/** A confidential client (it may introspect) recording the wire, with the core's default retries (a GET's 5xx is sent again, a POST's never). */
function confidential(): { client: SignInClient; sent: (path: string) => number; secret: string } {
  const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const wire = recordingFetch();
  return { client: clientFor(env.org, app, { fetch: wire.fetch }), sent: (path) => wire.sent.filter((r) => r.url.pathname === path).length, secret: app.clientSecret ?? '' };
}

/** Each OAuth endpoint's call, the name its errors give it, and the requests the call sends there (a sign-out revokes the refresh token, then the access token). */
const endpoints = [
  ['token endpoint', '/oauth2/v1/token', 1, (client: SignInClient) => signInFailure(signIn(client))],
  ['revocation endpoint', '/oauth2/v1/revoke', 2, async (client: SignInClient) => (await client.signOut((await signIn(client)).tokens)).notRevoked[0]?.error],
  ['introspection endpoint', '/oauth2/v1/introspect', 1, (client: SignInClient) => signInFailure(client.introspect('token-value'))],
  ['PAR endpoint', '/oauth2/v1/par', 1, (client: SignInClient) => signInFailure(client.startSignIn({ pushed: true }))],
  ['device authorization endpoint', '/oauth2/v1/device/authorize', 1, (client: SignInClient) => signInFailure(client.startDeviceSignIn())],
] as const;

/** Each endpoint's code: the token endpoint's TOKEN_REQUEST_FAILED, the others' OAUTH_ERROR. */
const codeOf = (what: string): string => (what === 'token endpoint' ? 'TOKEN_REQUEST_FAILED' : 'OAUTH_ERROR');

describe("an OAuth endpoint's failed answer, in one shape: Okta could not answer (5xx, sent once) or refused (4xx), with the request id", () => {
  it.each(endpoints)("the %s's 503 (server_error) says Okta could not answer the request, that it was sent once, and the request id", async (what, path, requests, call) => {
    const { client, sent } = confidential();
    env.org.injectFault({ path, kind: 'status', status: 503, count: 1 });
    const error = await call(client);
    expect(error).toMatchObject({ code: codeOf(what), status: 503, error: 'server_error' });
    expect(error?.message).toBe(`Okta's ${what} could not answer ${requestOf(what)} (503 server_error): ${serverError}${endingOf(what)}${noteOf(error)}`);
    expect(sent(path)).toBe(requests);
  });

  it.each(endpoints)("the %s's 502 HTML page (a proxy's) says what the body was, and that it was sent once", async (what, path, requests, call) => {
    const { client, sent } = confidential();
    env.org.injectFault({ path, kind: 'html', status: 502, count: 1 });
    const error = await call(client);
    expect(error).toMatchObject({ code: codeOf(what), status: 502 });
    const ending = `${endingOf(what)}${noteOf(error)}`.replace(/[.:()]/g, '\\$&');
    expect(error?.message).toMatch(new RegExp(`^Okta's ${what} could not answer ${requestOf(what)} \\(502\\): the response was an HTML page[^]*[^.]\\.${ending}$`));
    expect(sent(path)).toBe(requests);
  });

  it.each(endpoints)("the %s's 4xx is a refusal, with its status, its description's period not doubled, and the request id", async (what, path, _requests, call) => {
    const { client } = confidential();
    env.org.injectFault({ path, kind: 'status', status: 400, body: { error: 'invalid_request', error_description: 'The request is bad.' }, count: 1 });
    const error = await call(client);
    expect(error).toMatchObject({ code: codeOf(what), status: 400, error: 'invalid_request', error_description: 'The request is bad.' });
    expect(error?.message).toBe(`Okta's ${what} refused ${requestOf(what)} (400 invalid_request): The request is bad.${noteOf(error)}`);
  });

  it("a 5xx's description goes through the one reader: a secret of the request it echoes is scrubbed, controls flattened", async () => {
    const { client, secret } = confidential();
    expect(secret.length).toBeGreaterThan(8);
    env.org.injectFault({ path: '/oauth2/v1/introspect', kind: 'status', status: 500, body: { error: 'server_error', error_description: `failed for\n${secret}` }, count: 1 });
    const error = await signInFailure(client.introspect('token-value'));
    expect(error.message).toMatch(/^Okta's introspection endpoint could not answer the request \(500 server_error\): failed for \[redacted[^\]]*\]\. It was sent once/);
    expect(JSON.stringify([error.message, error])).not.toContain(secret);
  });

  it.each(endpoints)("the %s's request id that echoes the client's secret is scrubbed and bounded, in the message and the field", async (what, path, _requests, call) => {
    const { client, secret } = confidential();
    // What a hostile proxy could answer: the secret sent (Basic or the form) as the id Okta support asks for, and 5,000 characters.
    env.org.injectFault({ path, kind: 'status', status: 400, body: { error: 'invalid_request' }, headers: { 'x-okta-request-id': `id-${secret}-${'x'.repeat(5000)}` }, count: 1 });
    const error = await call(client);
    const { requestId } = error as { readonly requestId?: string };
    expect(error?.message).toContain(`Okta's ${what} refused ${requestOf(what)} (400 invalid_request). (${new URL(env.org.url).host}, request id-[redacted`);
    expect(requestId?.length).toBeLessThanOrEqual(401);
    expect(JSON.stringify([error?.message, error, requestId])).not.toContain(secret);
  });

  it("UserInfo, an API call through core (a GET, sent again after a 5xx), keeps core's API_ERROR in Okta's words, never 'refused'", async () => {
    const { client, sent } = confidential();
    const credential = client.credential(await signIn(client));
    env.org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 503, count: 3 });
    const error = await failure(userInfo(client, credential), isOktaApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 503, errorCode: 'server_error' });
    expect(error.message).toMatch(new RegExp(`^503 server_error ${serverError.replace(/\./g, '\\.')} \\(GET [\\w.:-]+/oauth2/v1/userinfo, request id \\S+\\)$`));
    expect(sent('/oauth2/v1/userinfo')).toBe(3);
  });
});
