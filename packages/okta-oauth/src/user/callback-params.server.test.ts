/**
 * What the redirect callback must carry, against @org/okta-emulator over HTTP: where its
 * parameters are, that none is repeated, the order of the issuer, state and error checks (RFC 9207
 * §2.4), the error answers, and where the transaction comes from. Each case was a change of
 * `callback.ts` that no test noticed (docs/security-history.md, "Sixteenth session: mutation testing").
 */
import { inspect } from 'node:util';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { SignInClientOptions } from './sign-in-client.js';
import { createMemoryStorage } from './storage.js';
import { login, password, redirectUri, signInFailure as failure, transactionKeyOf, transactionListOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
/** A SPA on the test's org (the helper's own). */
const spa = (options: Partial<SignInClientOptions> = {}) => env.spa(options);
const codeExchanges = () => env.org.counters().tokenRequests.authorization_code?.success ?? 0;
/** A callback Okta did not send: the transaction's state and the org's issuer, with `extra`. */
const callbackWith = (state: string, extra: Record<string, string>) => `${redirectUri}?${new URLSearchParams({ state, iss: env.org.url, ...extra }).toString()}`;

describe('finishSignIn: where the parameters are', () => {
  it('refuses parameters in the fragment (response_mode=query), and accepts a query callback with a fragment', async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    const inFragment = await failure(client.finishSignIn(`${redirectUri}#${callback.search.slice(1)}`, transaction));
    expect(inFragment.code).toBe('INVALID_CALLBACK');
    expect(inFragment.message).toContain('fragment');
    expect(codeExchanges()).toBe(0);
    // Some identity providers append `#_=_` to a redirect: the query still holds the answer.
    expect((await client.finishSignIn(`${callback.href}#_=_`, transaction)).claims?.preferred_username).toBe(login);
  });

  it("takes the callback's parameters as URLSearchParams (a framework's parsed query)", async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    expect((await client.finishSignIn(callback.searchParams, transaction)).claims?.preferred_username).toBe(login);
  });

  it("takes a URL of another realm or a framework's URL object (Next.js's request.nextUrl) by its href", async () => {
    // Not an instance of this realm's URL, as an iframe's URL, or Next.js's NextURL, which wraps one.
    class FrameworkUrl {
      readonly #url: URL;
      constructor(href: string) {
        this.#url = new URL(href);
      }
      get href() {
        return this.#url.href;
      }
      get search() {
        return this.#url.search;
      }
      get hash() {
        return this.#url.hash;
      }
      get searchParams() {
        return this.#url.searchParams;
      }
      toString() {
        return this.#url.href;
      }
    }
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new FrameworkUrl(await fillSignInForm(url, login, password));
    // Before, INVALID_CONFIG ("finishSignIn takes the callback first"), since the eighteenth session's argument checks.
    expect((await client.finishSignIn(callback as unknown as URL, transaction)).claims?.preferred_username).toBe(login);
    // Still refused: an object that is no URL (no href).
    expect((await failure(client.finishSignIn({ search: '?code=x' } as unknown as URL, transaction))).code).toBe('INVALID_CONFIG');
  });

  it('refuses a callback that is not a URL', async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn('http://[', transaction))).code).toBe('INVALID_CALLBACK');
  });

  it.each(['code', 'state', 'iss', 'error', 'error_description', 'error_uri'])(
    'refuses a callback repeating %s before any token request; the real callback still finishes',
    async (name) => {
      const client = spa();
      const { url, transaction } = await client.startSignIn();
      const callback = new URL(await fillSignInForm(url, login, password));
      const tampered = new URL(callback);
      tampered.searchParams.append(name, 'x-0123456789abcdef');
      if (tampered.searchParams.getAll(name).length === 1) tampered.searchParams.append(name, 'y-0123456789abcdef');
      const error = await failure(client.finishSignIn(tampered, transaction));
      expect(error.code).toBe('INVALID_CALLBACK');
      expect(error.message).toContain(`parameter ${name}`);
      expect(codeExchanges()).toBe(0);
      expect((await client.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
    },
  );

  it('refuses a code that is empty', async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn(callbackWith(transaction.state, { code: '' }), transaction))).code).toBe('INVALID_CALLBACK');
  });
});

describe('finishSignIn: the order of the checks (RFC 9207 §2.4)', () => {
  it('judges the issuer before the state, and the state before an error', async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    const otherIssuer = `${redirectUri}?${new URLSearchParams({ state: 'forged-state-forged-state', iss: 'https://evil.example', error: 'access_denied' }).toString()}`;
    expect((await failure(client.finishSignIn(otherIssuer, transaction))).code).toBe('ISSUER_MISMATCH');
    const { transaction: second } = await client.startSignIn();
    const forged = await failure(client.finishSignIn(callbackWith('forged-state-forged-state', { error: 'access_denied' }), second));
    expect(forged.code).toBe('STATE_MISMATCH');
    expect(forged.message).toBe(
      "The callback's state is not this sign-in's: the callback was forged, crossed with another sign-in, or replayed (a server passes the transaction it kept in this user's own session); start a new sign-in.",
    );
    // The state is compared whole: its first 16 characters are not enough.
    const { transaction: third } = await client.startSignIn();
    expect((await failure(client.finishSignIn(callbackWith(third.state.slice(0, 16), { error: 'access_denied' }), third))).code).toBe('STATE_MISMATCH');
    // A callback without state, with the transaction passed in, is refused as such (not a TypeError).
    const { transaction: fourth } = await client.startSignIn();
    expect((await failure(client.finishSignIn(`${redirectUri}?code=abc&iss=${env.org.url}`, fourth))).code).toBe('STATE_MISMATCH');
  });

  it.each(['login_required', 'interaction_required', 'consent_required', 'account_selection_required'])('turns error=%s into LOGIN_REQUIRED', async (name) => {
    const client = spa();
    const { transaction } = await client.startSignIn({ prompt: 'none' });
    const error = await failure(client.finishSignIn(callbackWith(transaction.state, { error: name }), transaction));
    expect(error.code).toBe('LOGIN_REQUIRED');
    expect(error.error).toBe(name);
    expect(error.error_description).toBeUndefined();
    expect(error.message).toBe(`Okta ended the sign-in with ${name}.`);
  });

  it('names the description Okta gave in the message and the error', async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    const error = await failure(client.finishSignIn(callbackWith(transaction.state, { error: 'temporarily_unavailable', error_description: 'Try later' }), transaction));
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.message).toBe('Okta ended the sign-in with temporarily_unavailable (Try later).');
    expect(error.error_description).toBe('Try later');
  });

  it("shows Okta's words without this sign-in's nonce, code verifier or the callback's code", async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    const code = 'a-code-Okta-sent-with-the-error-0123456789';
    const secrets = [transaction.nonce, transaction.codeVerifier, code];
    const said = `nonce=${transaction.nonce} verifier=${transaction.codeVerifier} code=${code}`;
    const error = await failure(client.finishSignIn(callbackWith(transaction.state, { code, error: 'server_error', error_description: said }), transaction));
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.error_description).toMatch(/^nonce=\[redacted .+\] verifier=\[redacted .+\] code=\[redacted .+\]$/);
    for (const shown of [error.message, error.error_description, JSON.stringify(error), inspect(error)]) {
      for (const secret of secrets) expect(shown).not.toContain(secret);
    }
    expect(codeExchanges()).toBe(0);
  });
});

describe("finishSignIn: Okta's words and this sign-in's state", () => {
  it("shows an error's words without this sign-in's state, which the table of secrets keeps out of messages", async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    const said = `the request with state=${transaction.state} could not be completed`;
    const error = await failure(client.finishSignIn(callbackWith(transaction.state, { error: 'server_error', error_description: said }), transaction));
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.error_description).toMatch(/^the request with state=\[redacted .+\] could not be completed$/);
    for (const shown of [error.message, error.error_description, JSON.stringify(error), inspect(error)]) expect(shown).not.toContain(transaction.state);
  });
});

describe('finishSignIn: an error parameter that reads as nothing', () => {
  it.each(['', ' ', '\u0000', '\u001b\u0007\t'])('is still an error callback (error=%j): its code is never exchanged', async (blank) => {
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    callback.searchParams.set('error', blank);
    const error = await failure(client.finishSignIn(callback, transaction));
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.error).toBeUndefined();
    expect(error.message).toBe('Okta ended the sign-in with an error without a printable name.');
    expect(codeExchanges()).toBe(0);
  });
});

describe('finishSignIn: the transaction', () => {
  it('refuses a callback without state when no transaction is passed, and one whose stored transaction is not JSON', async () => {
    const storage = createMemoryStorage();
    const client = spa({ storage });
    for (const callback of [`${redirectUri}?code=abc&iss=${env.org.url}`, `${redirectUri}?code=abc&state=&iss=${env.org.url}`]) {
      const error = await failure(client.finishSignIn(callback));
      expect(error.code).toBe('STATE_MISMATCH');
      expect(error.message).toContain('no state');
    }
    const state = 'stored-state-0123456789';
    await storage.set(transactionKeyOf(client.clientId, state), 'not JSON');
    expect((await failure(client.finishSignIn(callbackWith(state, { code: 'abc' })))).code).toBe('INVALID_TRANSACTION');
    // One use only, whatever the outcome.
    expect(await storage.get(transactionKeyOf(client.clientId, state))).toBeUndefined();
  });

  it('refuses a state that no storage knows, whether the storage answers null or undefined', async () => {
    for (const missing of [null, undefined]) {
      const client = spa({ storage: { get: () => Promise.resolve(missing as never), set: () => Promise.resolve(), remove: () => Promise.resolve() } });
      const error = await failure(client.finishSignIn(callbackWith('unknown-state-0123456789', { code: 'abc' })));
      expect(error.code).toBe('STATE_MISMATCH');
      expect(error.message).toContain('matches no sign-in in progress');
    }
  });

  it('refuses a token answer without an ID token when openid was asked, and needs none without it', async () => {
    const withoutIdToken: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!(input instanceof Request ? input.url : String(input)).endsWith('/oauth2/v1/token')) return response;
      const body = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...body, id_token: undefined }, { status: response.status });
    };
    const client = spa({ fetch: withoutIdToken });
    let { url, transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn(await fillSignInForm(url, login, password), transaction))).code).toBe('INVALID_TOKEN_RESPONSE');
    ({ url, transaction } = await client.startSignIn({ scopes: 'okta.users.read' })); // Okta refuses profile without openid (invalid_scope)
    expect((await client.finishSignIn(await fillSignInForm(url, login, password), transaction)).claims).toBeUndefined();
  });

  it('removes the stored copy of a transaction passed in, so the callback cannot be finished again from storage', async () => {
    const storage = createMemoryStorage();
    const client = spa({ storage });
    const { url, transaction } = await client.startSignIn();
    const key = transactionKeyOf(client.clientId, transaction.state);
    expect(await storage.get(key)).toBeTypeOf('string');
    expect(await storage.get(transactionListOf(client.clientId))).toBeTypeOf('string');
    await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    expect(await storage.get(key)).toBeUndefined();
    // The list of transactions goes with its last one.
    expect(await storage.get(transactionListOf(client.clientId))).toBeUndefined();
  });
});

describe('finishSignIn: one flight per transaction', () => {
  it('shares one code exchange between two identical callbacks finished at once from storage', async () => {
    const client = spa();
    const { url } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const [a, b] = await Promise.all([client.finishSignIn(callback), client.finishSignIn(callback)]);
    expect(a.tokens.accessToken.reveal()).toBe(b.tokens.accessToken.reveal());
    expect(codeExchanges()).toBe(1);
  });

  it('refuses, while the exchange is in flight, the same state with another callback parameter or another transaction', async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    const variant = (name: string, value: string) => {
      const changed = new URL(callback);
      changed.searchParams.set(name, value);
      return changed;
    };
    const genuine = client.finishSignIn(callback, transaction);
    const others = [
      client.finishSignIn(variant('code', 'another-code-0123456789'), transaction),
      client.finishSignIn(variant('state', 'forged-state-forged-state'), transaction),
      client.finishSignIn(variant('iss', 'https://evil.example'), transaction),
      client.finishSignIn(variant('error', 'access_denied'), transaction),
      client.finishSignIn(variant('error_description', 'x'), transaction),
      client.finishSignIn(callback, { ...transaction, codeVerifier: 'w'.repeat(64) }),
      client.finishSignIn(callback),
    ];
    const refusals = await Promise.all(others.map((other) => failure(other)));
    expect(refusals.map((error) => error.code)).toEqual(new Array(others.length).fill('STATE_MISMATCH'));
    expect(refusals.every((error) => error.message.includes('already being finished'))).toBe(true);
    expect((await genuine).claims?.preferred_username).toBe(login);
    expect(codeExchanges()).toBe(1);
  });
});
