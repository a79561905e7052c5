/**
 * Hostile callbacks and storages against `@org/okta-oauth/sign-in` in headless Chromium: an error
 * callback whose words carry markup, escapes or this sign-in's secrets; a sign-out's end-session
 * URL; Web Storage that is full or refused (a sandboxed frame).
 */
import { describe, expect, it } from 'vitest';
import { finishIn, ours, sessionStorageIn, signInOnOkta, signOutIn, startIn, storedIn, useSignInApp, type PageClient } from './test-helpers/browser-sign-in.js';
import { tokensKeyOf } from './test-helpers/sign-in-org.js';

/** Each test its own org and browser profile, one after another in one Chromium for the file. */
const { env, start } = useSignInApp();

describe('an error callback in the browser', () => {
  it('shows Okta’s words as plain text without this sign-in’s nonce, code verifier or code, and drops error_uri', { timeout: 90_000 }, async () => {
    const { browser, client } = await start();
    const tab = await browser.open('/', 'signInApp');
    const authorize = new URL(await startIn(tab, client));
    const state = authorize.searchParams.get('state') ?? '';
    const nonce = authorize.searchParams.get('nonce') ?? '';
    await tab.goto(`${browser.origin}/callback`);
    // The transaction, not the client's list of them (both in sessionStorage).
    const stored = Object.values((await storedIn(tab)).session).map((text) => JSON.parse(text) as { codeVerifier?: unknown });
    const verifier = stored.map((entry) => entry.codeVerifier).find((value): value is string => typeof value === 'string') ?? '';
    expect(verifier).toMatch(/^[\w-]{43,}$/);
    const code = 'a-code-Okta-sent-with-the-error-0123456789';
    const markup = '<img src=x onerror="globalThis.hit=1">';
    const description = `${markup} \u001b[31mred\u001b[0m \u202eevil nonce=${nonce} verifier=${verifier} code=${code}`;
    const callback = new URL(`${browser.origin}/callback`);
    for (const [name, value] of Object.entries({ state, code, error: 'server_error', error_description: description, error_uri: `javascript:alert(${nonce})`, iss: env.org.url })) {
      callback.searchParams.set(name, value);
    }
    await tab.goto(callback.href);
    await tab.waitForFunction(() => 'signInApp' in globalThis);
    const outcome = await finishIn(tab, client);
    expect(outcome).toMatchObject({ ok: false, code: 'AUTHORIZATION_ERROR', error: 'server_error' });
    const shown = [outcome.message, outcome.error_description, outcome.json, outcome.cause].join('\n');
    for (const secret of [nonce, verifier, code]) expect(shown).not.toContain(secret);
    expect(shown).not.toContain('javascript:');
    for (const control of ['\u001b', '\u202e']) expect(shown).not.toContain(control);
    // Plain text: the markup stays as written (an app shows it with textContent, never innerHTML).
    expect(outcome.error_description).toContain(markup);
    expect(ours(await storedIn(tab))).toEqual([]);
    expect(env.org.counters().tokenRequests.authorization_code ?? {}).toEqual({});
  });
});


describe('Web Storage that fails in the browser', () => {
  it('full: startSignIn is INVALID_CONFIG saying to free storage or pass another, naming no state, nonce or verifier, and stores no transaction', { timeout: 90_000 }, async () => {
    const { browser, client } = await start('local');
    const tab = await browser.open('/', 'signInApp');
    await tab.evaluate(() => {
      // Full but for a little room (the list of transactions fits, a transaction does not).
      localStorage.setItem('room', 'x'.repeat(160));
      let size = 1 << 20;
      for (let i = 0; size > 0; i++) {
        try {
          localStorage.setItem(`fill-${i}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
      localStorage.removeItem('room');
      // What the client tries to write, its state, nonce and verifier with it.
      const tried: string[] = [];
      const setItem: unknown = Object.getOwnPropertyDescriptor(Storage.prototype, 'setItem')?.value;
      Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
        tried.push(key, value);
        Reflect.apply(setItem as (key: string, value: string) => void, this, [key, value]);
      };
      Object.assign(globalThis, { tried });
    });
    const thrown = await tab.evaluate(async (o) => {
      try {
        return { url: await (globalThis as unknown as { signInApp: { start(o: PageClient): Promise<string> } }).signInApp.start(o) };
      } catch (e) {
        const error = e as { code?: string; message?: string; cause?: { name?: string; message?: string } };
        return { code: error.code, message: String(error.message), cause: `${error.cause?.name}: ${error.cause?.message}`, json: JSON.stringify(e) };
      }
    }, client);
    const tried = await tab.evaluate(() => (globalThis as unknown as { tried: string[] }).tried);
    const transaction = JSON.parse(tried.find((text) => text.includes('codeVerifier')) ?? '{}') as { state?: string; nonce?: string; codeVerifier?: string };
    expect(thrown).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/storage is full \(QuotaExceededError\): free space in it, or pass another storage\.$/),
      // The key it names is the transaction's, by its state's SHA-256.
      cause: expect.stringMatching(/^QuotaExceededError: .*'okta-oauth:[^']*:transaction:[\w-]{43}'/),
    });
    const shown = JSON.stringify(thrown);
    for (const secret of [transaction.state, transaction.nonce, transaction.codeVerifier]) {
      expect(secret).toMatch(/^[\w-]{40,}$/);
      expect(shown).not.toContain(secret);
    }
    expect(ours(await storedIn(tab)).filter((key) => key.includes(':transaction:'))).toEqual([]);
  });

  it('refused in a sandboxed frame: createSessionStorage is INVALID_CONFIG saying storage is blocked there', { timeout: 90_000 }, async () => {
    const { browser } = await start();
    const tab = await browser.open('/', 'signInApp');
    expect(await sessionStorageIn(tab)).toBe('made');
    const frame = await browser.openFrame(tab, '/framed', 'signInApp', ['allow-scripts']);
    expect(await sessionStorageIn(frame)).toMatch(/^INVALID_CONFIG: createSessionStorage: .*blocked \(a sandboxed iframe without allow-same-origin/);
    expect(browser.problems).toEqual([]);
  });
});

describe('a sign-out in the browser', () => {
  it('sends id_token_hint and post_logout_redirect_uri to the org’s end-session endpoint only, and leaves no token in storage', { timeout: 90_000 }, async () => {
    const { browser, client } = await start();
    const tab = await browser.open('/', 'signInApp');
    await startIn(tab, client);
    await signInOnOkta(tab, browser.origin);
    expect(await finishIn(tab, { ...client, keep: true })).toMatchObject({ ok: true });
    expect(ours(await storedIn(tab))).toEqual([tokensKeyOf(client.clientId)]);
    const outcome = await signOutIn(tab, client);
    expect(outcome).toMatchObject({ ok: true, revoked: ['refresh_token', 'access_token'] });
    const logout = new URL(outcome.logoutUrl ?? '');
    expect(logout.origin).toBe(env.org.url);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${browser.origin}/`);
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(ours(await storedIn(tab))).toEqual([]);
    await tab.goto(logout.href);
    await tab.waitForURL((u) => u.href === `${browser.origin}/`);
    expect(browser.problems).toEqual([]);
  });
});

