/**
 * One token request, one 429 budget (`retry.limit` retries, `retry.maxWaitMs` of waits: docs/SECURITY.md,
 * "Bounds"), whatever the token pipeline sends again itself. A token request is sent again after
 * Okta's `use_dpop_nonce` and after a refusal whose `Date` shows a far-off clock, each time through
 * core again; each of those sends had a 429 budget of its own, so a token endpoint that answered
 * 429s around a nonce challenge and a clock refusal got three times the retries and the waits the
 * caller allowed. Over real HTTP: a scripted token endpoint on 127.0.0.1 answers from a list and
 * counts what it got. The same endpoint asks for a nonce without giving one (a proxy that drops
 * `DPoP-Nonce`): the request is not sent again, and the hint said Okta had asked "again right after
 * one was supplied", when none had come.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createServiceAppCredential } from '../service-app.js';
import { testKey } from '../test-helpers/keys.js';

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: object;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A token endpoint answering each POST with the next of `answers`; counts the POSTs. */
async function scriptedTokenEndpoint(answers: readonly Answer[]): Promise<{ url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const answer = answers[Math.min(posts, answers.length - 1)]!;
      posts++;
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts: () => posts };
}

const tooMany: Answer = { status: 429, headers: { 'retry-after': '0' }, body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' } };
const token: Answer = { status: 200, body: { access_token: 'at-from-the-scripted-org', token_type: 'Bearer', expires_in: 3600, scope: 'okta.users.read' } };
const farOff = (): string => new Date(Date.now() + 3_600_000).toUTCString();

describe('a token request sent again by the pipeline keeps one 429 budget', () => {
  it.each([
    ['a use_dpop_nonce challenge', (): Answer => ({ status: 400, headers: { 'dpop-nonce': 'nonce-1' }, body: { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' } })],
    ['a refusal whose Date is an hour off', (): Answer => ({ status: 401, headers: { date: farOff() }, body: { error: 'invalid_client', error_description: 'The client_assertion token is expired.' } })],
  ])('after %s: retry.limit 429 retries in all, then RATE_LIMITED', async (_, resent) => {
    // Two 429s spend the default budget (retry.limit 2); the answer that makes the pipeline send again, then 429s.
    const org = await scriptedTokenEndpoint([tooMany, tooMany, resent(), tooMany, tooMany, token]);
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa1scripted', privateKey: testKey('p256').pem, scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const outcome = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) }).then(
      (sent) => `a token: ${sent.authorization}`,
      (error: unknown) => (isOktaOAuthError(error) ? error.code : String(error)),
    );
    expect(outcome).toBe('RATE_LIMITED');
    // 429, 429, the answer sent again for, one more 429: final, the budget spent.
    expect(org.posts()).toBe(4);
  });
});

// Core's one verdict on a 429 (`rateLimitDecision`), in the words of the core's own RATE_LIMITED: the message said
// "after the allowed retries" however many were allowed, and of a wait past retry.maxWaitMs, none was waited.
describe("a token request's RATE_LIMITED says why the 429 was not waited out", () => {
  it.each([
    ['retry.limit spent', {}, tooMany, 3, 'not retried: retry.limit (2) spent; raise retry.limit'],
    ['retry: false', { retry: false as const }, tooMany, 1, 'not retried (retry: false)'],
    ['a reset past retry.maxWaitMs', { retry: { maxWaitMs: 5000 } }, { ...tooMany, headers: { 'retry-after': '3600' } }, 1, 'not waited for: its wait of 3600000 ms for the reset is past the 5000 ms left of retry.maxWaitMs; raise retry.maxWaitMs'],
  ])('%s: core\'s reason, the setting to raise', async (_, options, answer, posts, why) => {
    const org = await scriptedTokenEndpoint([answer]);
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa1scripted', privateKey: testKey('p256').pem, scopes: ['okta.users.read'], allowInsecureLoopback: true, ...options });
    const error: unknown = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) }).catch((e: unknown) => e);
    expect(isOktaOAuthError(error) ? [error.code, error.message] : String(error)).toEqual(['RATE_LIMITED', `Okta's token endpoint is still rate limiting this client (${new URL(org.url).host}): ${why}.`]);
    expect(org.posts()).toBe(posts);
  });
});

describe('a use_dpop_nonce answer without a usable DPoP-Nonce', () => {
  it('is not sent again, and the hint says no usable nonce came (not only that one was supplied)', async () => {
    const org = await scriptedTokenEndpoint([{ status: 400, body: { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' } }]);
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa1scripted', privateKey: testKey('p256').pem, scopes: ['okta.users.read'], allowInsecureLoopback: true });
    const error: unknown = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', org.url) }).catch((e: unknown) => e);
    expect(isOktaOAuthError(error) ? [error.code, error.error] : String(error)).toEqual(['TOKEN_REQUEST_FAILED', 'use_dpop_nonce']);
    expect((error as Error).message).toMatch(/requires nonce in DPoP proof\. Okta asked for a DPoP nonce again after one was supplied, or its answer had no usable DPoP-Nonce \(a proxy may drop it\)\. \(127\.0\.0\.1:\d+\)$/);
    expect(org.posts()).toBe(1);
  });
});
