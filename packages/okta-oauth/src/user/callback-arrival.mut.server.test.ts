/**
 * Where a callback came to, part by part (mutation testing, thirtieth round, `checkArrival` and
 * `urlOf` in `callback.ts`; RFC 9700 §4.4.2): the scheme, host, port and path of the sign-in's
 * redirect URI, and each of its own query parameters with all its values, must be the callback's;
 * the response's parameters, and their order, are not compared. A refusal comes before any token
 * request; a callback at the right address goes on to the code exchange.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { clientFor, login, password, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const tokenRequests = (): number => env.org.counters().requests['POST /oauth2/v1/token'] ?? 0;

/** A sign-in at `redirectUri`, and its callback as Okta sent it. */
async function started(redirectUri: string) {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const client = clientFor(env.org, app, { redirectUri });
  const { url, transaction } = await client.startSignIn();
  return { client, transaction, callback: new URL(await fillSignInForm(url, login, password)) };
}

/** The callback moved by `move`, finished with its transaction passed and as a path and query found by state: each outcome's code. */
async function finishedMoved(redirectUri: string, move: (callback: URL) => string): Promise<string[]> {
  const outcomes: string[] = [];
  for (const passed of [true, false]) {
    const { client, transaction, callback } = await started(redirectUri);
    const moved = move(new URL(callback.href));
    const before = tokenRequests();
    const result = passed ? client.finishSignIn(moved, transaction) : client.finishSignIn(moved);
    const code = await result.then(
      () => 'signed in',
      async () => (await failure(result)).code,
    );
    outcomes.push(code === 'INVALID_CALLBACK' && tokenRequests() !== before ? 'INVALID_CALLBACK after a token request' : code);
  }
  return outcomes;
}

const plain = 'http://127.0.0.1:5173/callback';
const byQuery = 'http://127.0.0.1:5173/callback?org=acme';

describe('a callback at another scheme, host, port or path than the redirect URI', () => {
  it.each<[string, (callback: URL) => string]>([
    ['https for http', (c) => c.href.replace('http:', 'https:')],
    ['another port', (c) => c.href.replace(':5173', ':5174')],
    ['another host name for the same address', (c) => c.href.replace('127.0.0.1', 'localhost')],
    ['a path with a trailing slash', (c) => c.href.replace('/callback?', '/callback/?')],
    ['a path in another case', (c) => c.href.replace('/callback?', '/Callback?')],
  ])('%s: INVALID_CALLBACK before any token request', async (_kind, move) => {
    expect(await finishedMoved(plain, move)).toEqual(['INVALID_CALLBACK', 'INVALID_CALLBACK']);
  });

  it('as a path and query, read at the redirect URI: another path is refused, its own signs in', async () => {
    expect(await finishedMoved(plain, (c) => `/other${c.search}`)).toEqual(['INVALID_CALLBACK', 'INVALID_CALLBACK']);
    expect(await finishedMoved(plain, (c) => `${c.pathname}${c.search}`)).toEqual(['signed in', 'signed in']);
  });
});

describe("the redirect URI's own query parameter", () => {
  it.each<[string, (callback: URL) => string]>([
    ['given twice (its value and another)', (c) => `${c.href}&org=honest`],
    ['given empty', (c) => c.href.replace('org=acme', 'org=')],
    ['left out', (c) => c.href.replace('org=acme&', '')],
  ])('%s: INVALID_CALLBACK before any token request', async (_kind, move) => {
    expect(await finishedMoved(byQuery, move)).toEqual(['INVALID_CALLBACK', 'INVALID_CALLBACK']);
  });

  it("signs in with it after the response's parameters (their order is not compared)", async () => {
    const moved = (c: URL) => {
      const params = new URLSearchParams(c.search);
      params.delete('org');
      params.append('org', 'acme');
      return `${c.origin}${c.pathname}?${params.toString()}`;
    };
    expect(await finishedMoved(byQuery, moved)).toEqual(['signed in', 'signed in']);
  });
});
