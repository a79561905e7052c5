/**
 * The mix-up defence without `iss` (RFC 9700 §4.4.2): Okta sends no RFC 9207 `iss`, so an app that
 * signs users in at several authorization servers (the orgs of its customers, one of which may be
 * hostile) tells their responses apart by a redirect URI per server, and the client must check that
 * a response came to the redirect URI its sign-in used. A response delivered to another one (the
 * honest org's code, brought to the route of a sign-in started at another org) would otherwise send
 * that code, and the PKCE verifier, to the other org's token endpoint. Here the app's two redirect
 * URIs stand for two servers' routes: a callback whose URL (absolute, or the path and query a server
 * received) is not the transaction's redirect URI is `INVALID_CALLBACK`, before any token request,
 * on both paths (transaction passed, or found by `state`).
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import { clientFor, login, password, signInFailure as failure, transactionKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const acme = 'http://127.0.0.1:5173/callback/acme';
const honest = 'http://127.0.0.1:5173/callback/honest';
const tokenRequests = (org: OktaEmulator): number => org.counters().requests['POST /oauth2/v1/token'] ?? 0;

const env = useSignInOrg();

/** A sign-in started for the `acme` route, and the same response as if delivered to the `honest` one. */
async function mixedUp(storage = createMemoryStorage()) {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [acme, honest], scopes: ['okta.users.read'] });
  const client = clientFor(env.org, app, { redirectUri: acme, storage });
  const { url, transaction } = await client.startSignIn();
  const callback = new URL(await fillSignInForm(url, login, password));
  expect(callback.origin + callback.pathname).toBe(acme);
  const elsewhere = new URL(`${honest}${callback.search}`);
  return { app, client, transaction, callback, elsewhere };
}

describe('a callback is read only at the redirect URI its sign-in used (RFC 9700 §4.4.2)', () => {
  it('refuses the response at another redirect URI, absolute or as a path and query, before any token request', async () => {
    const { client, transaction, elsewhere } = await mixedUp();
    const before = tokenRequests(env.org);
    const error = await failure(client.finishSignIn(elsewhere, transaction));
    expect(error.code).toBe('INVALID_CALLBACK');
    expect(error.message).toContain(acme);
    expect(error.message).toContain('pass the path and query the server received');
    expect(error.message).not.toContain(elsewhere.searchParams.get('code') ?? '?');
    const second = await mixedUp();
    const path = second.elsewhere.pathname + second.elsewhere.search;
    expect((await failure(second.client.finishSignIn(path, second.transaction))).code).toBe('INVALID_CALLBACK');
    expect(tokenRequests(env.org)).toBe(before);
  });

  it('refuses it when the transaction is found by state, and the transaction is used up', async () => {
    const { client, callback, elsewhere } = await mixedUp();
    const before = tokenRequests(env.org);
    expect((await failure(client.finishSignIn(elsewhere.href))).code).toBe('INVALID_CALLBACK');
    expect(tokenRequests(env.org)).toBe(before);
    expect((await failure(client.finishSignIn(callback))).code).toBe('STATE_MISMATCH');
  });

  it('signs in at its own redirect URI, absolute or as a path and query', async () => {
    const first = await mixedUp();
    expect((await first.client.finishSignIn(first.callback, first.transaction)).claims?.preferred_username).toBe(login);
    const second = await mixedUp();
    expect((await second.client.finishSignIn(second.callback.pathname + second.callback.search, second.transaction)).claims?.preferred_username).toBe(login);
  });
});

describe('a redirect URI told apart from another by its own query (RFC 6749 §3.1.2: the query is kept)', () => {
  const byQuery = (org: string) => `http://127.0.0.1:5173/callback?org=${org}`;

  async function mixedUpByQuery(storage = createMemoryStorage()) {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [byQuery('acme'), byQuery('honest')], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, { redirectUri: byQuery('acme'), storage });
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    expect(callback.searchParams.get('org')).toBe('acme');
    const elsewhere = new URL(callback.href);
    elsewhere.searchParams.set('org', 'honest');
    return { client, transaction, callback, elsewhere };
  }

  it('refuses the response at the other one (passed or from storage), before any token request', async () => {
    const { client, transaction, elsewhere } = await mixedUpByQuery();
    const before = tokenRequests(env.org);
    expect((await failure(client.finishSignIn(elsewhere, transaction))).code).toBe('INVALID_CALLBACK');
    const second = await mixedUpByQuery();
    expect((await failure(second.client.finishSignIn(second.elsewhere.pathname + second.elsewhere.search))).code).toBe('INVALID_CALLBACK');
    const third = await mixedUpByQuery();
    const dropped = new URL(third.callback.href);
    dropped.searchParams.delete('org');
    expect((await failure(third.client.finishSignIn(dropped, third.transaction))).code).toBe('INVALID_CALLBACK');
    expect(tokenRequests(env.org)).toBe(before);
  });

  it('signs in at its own, its query kept before the response parameters', async () => {
    const { client, transaction, callback } = await mixedUpByQuery();
    expect((await client.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });
});

describe('a transaction whose redirect URI is no absolute URL', () => {
  it('is INVALID_TRANSACTION, passed or read back from storage, never a TypeError', async () => {
    const storage = createMemoryStorage();
    const { app, client, transaction, callback } = await mixedUp(storage);
    const broken = { ...transaction, redirectUri: 'callback/acme' };
    await storage.set(transactionKeyOf(app.clientId, transaction.state), JSON.stringify(broken));
    expect((await failure(client.finishSignIn(callback))).code).toBe('INVALID_TRANSACTION');
    expect((await failure(client.finishSignIn(callback, broken))).code).toBe('INVALID_TRANSACTION');
  });
});
