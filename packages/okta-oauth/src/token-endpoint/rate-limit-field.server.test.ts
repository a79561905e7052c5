/**
 * A token endpoint's `RATE_LIMITED` says what Okta said, as core's `OktaApiError` does: its
 * `rateLimit` holds the 429's `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (core's one reader,
 * `parseRateLimit`), and nothing else of the answer. Every other error has none (`undefined`),
 * even when its answer carried the headers. Over real HTTP: the emulator's 429 on
 * `/oauth2/v1/token`, for a service app and for a signed-in user's renewal.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError, OktaOAuthError } from '../errors.js';
import { serviceApp } from '../test-helpers/org.js';
import { signIn, signInFailure, useSignInOrg } from '../user/test-helpers/sign-in-org.js';

const env = useSignInOrg();
const tokenPath = '/oauth2/v1/token';

/** A 429 whose reset is an hour ahead (past any retry budget: RATE_LIMITED at once), with what else an answer may say. */
function rateLimited(): { readonly reset: number } {
  const reset = Math.floor(Date.now() / 1000) + 3600;
  env.org.injectFault({
    path: tokenPath,
    kind: 'status',
    status: 429,
    headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(reset), 'Retry-After': '3600', 'X-Rate-Limit-Secret': 'rl-secret-header' },
  });
  return { reset };
}

const shown = (value: unknown): string => `${JSON.stringify(value)}\n${inspect(value, { depth: 10 })}`;

describe("a token endpoint's RATE_LIMITED carries the 429's rate-limit headers", () => {
  it('a service app: rateLimit has the three numbers and nothing else, shown as the other fields are', async () => {
    const { reset } = rateLimited();
    const { okta } = serviceApp(env.org, { requireDpop: false });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error) && error instanceof OktaOAuthError).toBe(true);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect((error as OktaOAuthError).rateLimit).toStrictEqual({ limit: 600, remaining: 0, reset });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'RATE_LIMITED', status: 429, rateLimit: { limit: 600, remaining: 0, reset } });
    expect(inspect(error)).toContain(`rateLimit: { limit: 600, remaining: 0, reset: ${reset} }`);
    expect(shown(error)).not.toContain('rl-secret-header');
  });

  it("a signed-in user's renewal: the same field", async () => {
    const client = env.spa();
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    const { reset } = rateLimited();
    const error = await signInFailure(credential.getAccessToken({ forceRefresh: true }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.rateLimit).toStrictEqual({ limit: 600, remaining: 0, reset });
  });

  it("a renewal's 429 whose body says invalid_grant stays RATE_LIMITED: the session is not ended, the next call renews", async () => {
    const client = env.spa();
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    const reset = Math.floor(Date.now() / 1000) + 3600;
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': String(reset), 'Retry-After': '3600' }, body: { error: 'invalid_grant', error_description: 'Rate limited.' }, count: 1 });
    const error = await signInFailure(credential.getAccessToken({ forceRefresh: true }));
    expect(error.code).toBe('RATE_LIMITED');
    // Not LOGIN_REQUIRED: the refresh token was never refused, and the next renewal uses it.
    const renewed = await credential.getAccessToken({ forceRefresh: true });
    expect(renewed.reveal()).not.toBe(tokens.accessToken.reveal());
  });

  it("the same invalid_grant body on a 400 ends the session: the grant's reading applies to every refusal but a 429", async () => {
    const client = env.spa();
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, body: { error: 'invalid_grant', error_description: 'Revoked.' }, count: 1 });
    const error = await signInFailure(credential.getAccessToken({ forceRefresh: true }));
    expect(error).toMatchObject({ code: 'LOGIN_REQUIRED', status: 400, error: 'invalid_grant' });
  });

  it('every other token endpoint error has none, though its answer carried the headers', async () => {
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 400, headers: { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '599', 'X-Rate-Limit-Reset': '1800000000' }, body: { error: 'invalid_client', error_description: 'No.' } });
    const { okta } = serviceApp(env.org, { requireDpop: false });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_client' });
    expect((error as OktaOAuthError).rateLimit).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain('rateLimit');
    expect(new OktaOAuthError('INVALID_CONFIG', 'orgUrl is missing.').rateLimit).toBeUndefined();
  });
});
