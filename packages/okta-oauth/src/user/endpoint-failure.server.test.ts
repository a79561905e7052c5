/**
 * A 5xx from any OAuth endpoint of the sign-in client, over real HTTP against @org/okta-emulator
 * (its `status` fault answers `server_error` at `/oauth2/*`, as Okta's OAuth catalogue does): the
 * revocation, introspection, PAR and device authorization endpoints say Okta could not answer,
 * not that it refused, and that the request (a POST, never sent again) was sent once, in the
 * token endpoint's words (one builder, `endpoint-failure.ts`); a 4xx is still a refusal; Okta's
 * description is cleaned by the one reader (`readOAuthError`), never a secret of the request.
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

/** A confidential client (it may introspect) recording the wire, with the core's default retries (a GET's 5xx is sent again, a POST's never). */
function confidential(): { client: SignInClient; sent: (path: string) => number; secret: string } {
  const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const wire = recordingFetch();
  return { client: clientFor(env.org, app, { fetch: wire.fetch }), sent: (path) => wire.sent.filter((r) => r.url.pathname === path).length, secret: app.clientSecret ?? '' };
}

/** Each OAuth endpoint's call, the name its errors give it, and the requests the call sends there (a sign-out revokes the refresh token, then the access token). */
const endpoints = [
  ['revocation endpoint', '/oauth2/v1/revoke', 2, async (client: SignInClient) => (await client.signOut((await signIn(client)).tokens)).notRevoked[0]?.error],
  ['introspection endpoint', '/oauth2/v1/introspect', 1, (client: SignInClient) => signInFailure(client.introspect('token-value'))],
  ['PAR endpoint', '/oauth2/v1/par', 1, (client: SignInClient) => signInFailure(client.startSignIn({ pushed: true }))],
  ['device authorization endpoint', '/oauth2/v1/device/authorize', 1, (client: SignInClient) => signInFailure(client.startDeviceSignIn())],
] as const;

describe("an OAuth endpoint's 5xx: Okta could not answer, sent once", () => {
  it.each(endpoints)("the %s's 503 (server_error) says Okta could not answer the request and that it was sent once, not again", async (what, path, requests, call) => {
    const { client, sent } = confidential();
    env.org.injectFault({ path, kind: 'status', status: 503, count: 1 });
    const error = await call(client);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 503, error: 'server_error' });
    expect(error?.message).toBe(`Okta's ${what} could not answer the request: server_error (${serverError}).${endingOf(what)}`);
    expect(sent(path)).toBe(requests);
  });

  it.each(endpoints)("the %s's 502 HTML page (a proxy's) says what the body was, and that it was sent once", async (what, path, requests, call) => {
    const { client, sent } = confidential();
    env.org.injectFault({ path, kind: 'html', status: 502, count: 1 });
    const error = await call(client);
    expect(error).toMatchObject({ code: 'OAUTH_ERROR', status: 502 });
    expect(error?.message).toMatch(new RegExp(`^Okta's ${what} answered HTTP 502 without an OAuth error: the response was an HTML page[^]*\\.${endingOf(what).replace(/[.:]/g, '\\$&')}$`));
    expect(sent(path)).toBe(requests);
  });

  it.each(endpoints)('the %s: a 4xx is still a refusal, in the same words as before', async (what, path, _requests, call) => {
    const { client } = confidential();
    env.org.injectFault({ path, kind: 'status', status: 400, body: { error: 'invalid_request', error_description: 'The request is bad.' }, count: 1 });
    expect((await call(client))?.message).toBe(`Okta's ${what} refused the request: invalid_request (The request is bad.).`);
  });

  it("a 5xx's description goes through the one reader: a secret of the request it echoes is scrubbed, controls flattened", async () => {
    const { client, secret } = confidential();
    expect(secret.length).toBeGreaterThan(8);
    env.org.injectFault({ path: '/oauth2/v1/introspect', kind: 'status', status: 500, body: { error: 'server_error', error_description: `failed for\n${secret}` }, count: 1 });
    const error = await signInFailure(client.introspect('token-value'));
    expect(error.message).toMatch(/^Okta's introspection endpoint could not answer the request: server_error \(failed for \[redacted[^\]]*\]\)\. It was sent once/);
    expect(JSON.stringify([error.message, error])).not.toContain(secret);
  });

  it("UserInfo, an API call through core (a GET, sent again after a 5xx), keeps core's API_ERROR in Okta's words, never 'refused'", async () => {
    const { client, sent } = confidential();
    const credential = client.credential(await signIn(client));
    env.org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'status', status: 503, count: 3 });
    const error = await failure(userInfo(client, credential), isOktaApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 503, errorCode: 'server_error' });
    expect(error.message).toMatch(new RegExp(`^503 server_error ${serverError.replace(/\./g, '\\.')} \\(GET /oauth2/v1/userinfo, request id \\S+\\)$`));
    expect(sent('/oauth2/v1/userinfo')).toBe(3);
  });
});
