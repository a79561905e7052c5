/**
 * A 429 from any of the sign-in client's OAuth endpoints, past the allowed retries, is the token
 * endpoint's `RATE_LIMITED` (the one builder, `rateLimitedError`), with the 429's three numbers in
 * `rateLimit` and its wait kept for `rateLimitedWaitMs`; the message names the endpoint. Over real
 * HTTP: the emulator's 429 on revocation (through sign-out, which still ends the local session and
 * reports the tokens not revoked), device authorization, introspection, and the GETs of discovery
 * and the JWKS. Before, the POSTs were `OAUTH_ERROR` ("answered HTTP 429 without an OAuth error"),
 * discovery `DISCOVERY_FAILED` and the JWKS `INVALID_RESPONSE`, none with a `rateLimit`. A failed
 * discovery is not kept (the next call asks again), and a held key set is used through a JWKS 429.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError, type OktaOAuthError } from '../errors.js';
import { rateLimitedWaitMs } from '../token-endpoint/rate-limited.js';
import { jwksIdTokenVerifier } from './id-token-jwks.js';
import { redirectUri, signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** A 429 on `path` whose reset is an hour ahead (past any retry budget: RATE_LIMITED at once), with a header no error may show. */
function rateLimited(path: string, count?: number): { readonly reset: number } {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  env.org.injectFault({
    path,
    kind: 'status',
    status: 429,
    headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset), 'Retry-After': '3600', 'X-Rate-Limit-Secret': 'rl-secret-header' },
    ...(count === undefined ? {} : { count }),
  });
  return { reset };
}

/** The error is `RATE_LIMITED` with the 429's three numbers and its wait, naming `what`, showing no other header. */
function expectRateLimited(error: unknown, reset: number, what: RegExp): void {
  expect(isOktaOAuthError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, message: expect.stringMatching(what) });
  expect((error as OktaOAuthError).rateLimit).toStrictEqual({ limit: 600, remaining: 0, reset });
  expect(rateLimitedWaitMs(error)).toBeGreaterThan(3_000_000);
  expect(`${JSON.stringify(error)}\n${inspect(error, { depth: 10 })}`).not.toContain('rl-secret-header');
}

describe("an OAuth endpoint's 429 past the retries is RATE_LIMITED with its rateLimit", () => {
  it('revocation: sign-out still ends the local session and reports both tokens not revoked, RATE_LIMITED', async () => {
    const client = env.spa();
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    const { reset } = rateLimited('/oauth2/v1/revoke', 2);
    const { revoked, notRevoked } = await credential.signOut();
    expect(revoked).toEqual([]);
    expect(notRevoked.map(({ token }) => token)).toEqual(['refresh_token', 'access_token']);
    for (const { error } of notRevoked) expectRateLimited(error, reset, /^Okta's revocation endpoint is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: its wait of \d+ ms for the reset is past the \d+ ms left of retry\.maxWaitMs; raise retry\.maxWaitMs\.$/);
    // The local session ended as before: the credential has no tokens left.
    expect(await failure(credential.getAccessToken())).toMatchObject({ code: 'LOGIN_REQUIRED' });
  });

  it('device authorization: startDeviceSignIn rejects RATE_LIMITED', async () => {
    const native = env.client(env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] }));
    const { reset } = rateLimited('/oauth2/v1/device/authorize');
    expectRateLimited(await failure(native.startDeviceSignIn()), reset, /^Okta's device authorization endpoint is still rate limiting this client/);
  });

  it('introspection: RATE_LIMITED', async () => {
    const client = env.client(env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] }));
    const { tokens } = await signIn(client);
    const { reset } = rateLimited('/oauth2/v1/introspect');
    expectRateLimited(await failure(client.introspect(tokens.accessToken)), reset, /^Okta's introspection endpoint is still rate limiting this client/);
  });

  it('discovery and the JWKS (GETs core retries): RATE_LIMITED, naming what was asked for', async () => {
    const discovery = rateLimited('/.well-known/openid-configuration', 1);
    const client = env.spa();
    expectRateLimited(await failure(client.metadata()), discovery.reset, /^Okta, asked for the discovery document \(.*\), is still rate limiting this client/);
    // The failure is not kept: the next call asks again, and gets the document.
    expect((await client.metadata()).issuer).toBe(env.org.url);
    const keys = rateLimited('/oauth2/v1/keys', 1);
    expectRateLimited(await failure(signIn(env.spa({ idTokenVerifier: jwksIdTokenVerifier }))), keys.reset, /^Okta, asked for its signing keys \(\/oauth2\/v1\/keys\), is still rate limiting this client \([\w.:-]+, request [^)]+\): not waited for: .+; raise retry\.maxWaitMs\.$/);
  });

  it("discovery's and the JWKS's other failures are theirs, not RATE_LIMITED, and carry no rateLimit though their answers sent the headers", async () => {
    const headers = { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': '1800000000' };
    env.org.injectFault({ path: '/.well-known/openid-configuration', kind: 'status', status: 404, headers, count: 1 });
    const discovery = await failure(env.spa().metadata());
    expect(discovery).toMatchObject({ code: 'DISCOVERY_FAILED', status: 404, message: expect.stringMatching(/^Okta answered HTTP 404 for the discovery document/) });
    expect((discovery as unknown as OktaOAuthError).rateLimit).toBeUndefined();
    env.org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 404, headers, count: 1 });
    const keys = await failure(signIn(env.spa({ idTokenVerifier: jwksIdTokenVerifier })));
    expect(keys).toMatchObject({ code: 'INVALID_RESPONSE', status: 404, message: expect.stringMatching(/^Okta answered HTTP 404 for its signing keys/) });
  });

  it('a JWKS 429 while the key set fetched at an earlier sign-in is held: the sign-in goes on with the held keys', async () => {
    const client = env.spa({ idTokenVerifier: jwksIdTokenVerifier });
    await signIn(client);
    // Every key set request now answers 429 (past the retries at once): a fetch would fail the sign-in RATE_LIMITED.
    rateLimited('/oauth2/v1/keys');
    expect((await signIn(client)).claims?.sub).toEqual(expect.any(String));
  });
});
