/**
 * `finishSignIn`'s reading of the callback and its one flight per transaction, at their edges
 * (mutation testing, twenty-eighth round): what is not a callback, a callback without parameters,
 * the same transaction finished at once at two routes (by path, or by the redirect URI's own
 * query) or with callbacks that differ in a parameter that decides nothing (`error_uri`), a passed
 * transaction taken from a storage that answers `null` for what it does not hold, the storage call
 * a timeout names, and a redirect URI that is a URL object rather than its text.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import { createMemoryStorage } from './storage.js';
import { isOktaSignInError } from './errors.js';
import { clientFor, login, password, redirectUri, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const tokenRequests = (): number => env.org.counters().requests['POST /oauth2/v1/token'] ?? 0;

async function started(redirectUris: string[] = [redirectUri], options: Parameters<typeof clientFor>[2] = {}) {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris, scopes: ['okta.users.read'] });
  const client = clientFor(env.org, app, { redirectUri: redirectUris[0], ...options });
  const { url, transaction } = await client.startSignIn();
  return { app, client, transaction, callback: new URL(await fillSignInForm(url, login, password)) };
}

/** Both finishes of one transaction at once: what each ended with. */
async function both(first: Promise<unknown>, second: Promise<unknown>): Promise<string[]> {
  const outcomes = await Promise.allSettled([first, second]);
  return outcomes.map((outcome) => (outcome.status === 'fulfilled' ? 'signed in' : isOktaSignInError(outcome.reason) ? outcome.reason.code : String(outcome.reason)));
}

describe('what finishSignIn reads as a callback', () => {
  it('refuses what is no callback, or no URL, saying what to pass', async () => {
    const { client, transaction } = await started();
    for (const callback of [null, 42]) {
      const error = await failure(client.finishSignIn(callback as never, transaction));
      expect(`${error.code}: ${error.message}`).toBe(
        'INVALID_CONFIG: finishSignIn takes the callback first: the URL Okta redirected to (a string, its path and query, a URL, or its URLSearchParams).',
      );
    }
    const error = await failure(client.finishSignIn('http://[::1', transaction));
    expect(`${error.code}: ${error.message}`).toBe('INVALID_CALLBACK: The callback URL is not a URL: pass the full URL Okta redirected to (or its path and query).');
  });

  it('reads a callback with neither query nor fragment as one without a state, not as a fragment response', async () => {
    const { client, transaction } = await started();
    const error = await failure(client.finishSignIn(redirectUri, transaction));
    expect(error.code).toBe('STATE_MISMATCH');
    expect(error.message).not.toContain('fragment');
  });
});

describe('one transaction finished twice at once', () => {
  it('at two routes (paths): only the first is exchanged, the other refused', async () => {
    const acme = 'http://127.0.0.1:5173/callback/acme';
    const { client, transaction, callback } = await started([acme, 'http://127.0.0.1:5173/callback/honest']);
    const before = tokenRequests();
    const elsewhere = new URL(`http://127.0.0.1:5173/callback/honest${callback.search}`);
    expect(await both(client.finishSignIn(callback, transaction), client.finishSignIn(elsewhere, transaction))).toEqual(['signed in', 'STATE_MISMATCH']);
    expect(tokenRequests()).toBe(before + 1);
  });

  it("at two routes told apart by the redirect URI's own query: only the first is exchanged, the other refused", async () => {
    const byQuery = (org: string) => `http://127.0.0.1:5173/callback?org=${org}`;
    const { client, transaction, callback } = await started([byQuery('acme'), byQuery('honest')]);
    const before = tokenRequests();
    const elsewhere = new URL(callback.href);
    elsewhere.searchParams.set('org', 'honest');
    expect(await both(client.finishSignIn(callback, transaction), client.finishSignIn(elsewhere, transaction))).toEqual(['signed in', 'STATE_MISMATCH']);
    expect(tokenRequests()).toBe(before + 1);
  });

  it('with callbacks that differ only in error_uri (it decides nothing): one outcome, shared', async () => {
    const { client, transaction } = await started();
    const denied = (uri: string) => `${redirectUri}?error=access_denied&state=${encodeURIComponent(transaction.state)}&error_uri=${encodeURIComponent(uri)}`;
    expect(await both(client.finishSignIn(denied('https://a.example/1'), transaction), client.finishSignIn(denied('https://a.example/2'), transaction))).toEqual([
      'ACCESS_DENIED',
      'ACCESS_DENIED',
    ]);
  });
});

describe('a passed transaction taken from the client storage', () => {
  it('goes on when the storage answers null for it and compares on removal (a Redis-like store that does not hold it)', async () => {
    const { app, transaction, callback } = await started();
    const memory = createMemoryStorage();
    const nullish: OktaStorage = {
      get: async (key) => (await memory.get(key)) ?? null,
      set: (key, value) => memory.set(key, value),
      remove: (key) => memory.remove(key),
      removeIfEqual: (key, value) => memory.removeIfEqual?.(key, value) ?? false,
    };
    const other = clientFor(env.org, app, { storage: nullish });
    expect((await other.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });

  it('names the storage call that did not settle', async () => {
    const { app, transaction, callback } = await started();
    const memory = createMemoryStorage();
    const stuck: OktaStorage = {
      get: (key) => (key.includes(':transaction:') ? new Promise<never>(() => undefined) : memory.get(key)),
      set: (key, value) => memory.set(key, value),
      remove: (key) => memory.remove(key),
    };
    const other = clientFor(env.org, app, { storage: stuck, timeoutMs: 50 });
    const error = (await other.finishSignIn(callback, transaction).then(() => undefined, (reason: unknown) => reason)) as { code?: unknown; message?: unknown };
    expect(`${String(error.code)}: ${String(error.message)}`).toMatch(/^TIMEOUT: The sign-in storage get\(\) did not settle/);
  });
});

describe("a transaction's redirect URI", () => {
  it('is its text: a URL object in its place is INVALID_TRANSACTION', async () => {
    const { client, transaction, callback } = await started();
    const error = await failure(client.finishSignIn(callback, { ...transaction, redirectUri: new URL(transaction.redirectUri) as unknown as string }));
    expect(error.code).toBe('INVALID_TRANSACTION');
  });
});
