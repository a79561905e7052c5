/**
 * Hostile callbacks and storages against `@org/okta-oauth/sign-in` in headless Chromium: an error
 * callback whose words carry markup, escapes or this sign-in's secrets; a sign-out's end-session
 * URL; Web Storage that is full or refused (a sandboxed frame).
 */
import { describe, expect, it } from 'vitest';
import { finishIn, ours, sessionStorageIn, signInOnOkta, signOutIn, startIn, storedIn, useSignInApp, type PageClient } from './test-helpers/browser-sign-in.js';

const { env, start } = useSignInApp();

describe('an error callback in the browser', () => {
  it('shows Okta’s words as plain text without this sign-in’s nonce, code verifier or code, and drops error_uri', { timeout: 90_000 }, async () => {
    const { browser, client } = await start();
    const tab = await browser.open('/', 'signInApp');
    const authorize = new URL(await startIn(tab, client));
    const state = authorize.searchParams.get('state') ?? '';
    const nonce = authorize.searchParams.get('nonce') ?? '';
    await tab.goto(`${browser.origin}/callback`);
    const stored = Object.values((await storedIn(tab)).session).map((text) => JSON.parse(text) as { codeVerifier: string });
    const verifier = stored[0]?.codeVerifier ?? '';
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
  it('full: startSignIn throws the browser’s QuotaExceededError as itself, and stores no transaction', { timeout: 90_000 }, async () => {
    const { browser, client } = await start('local');
    const tab = await browser.open('/', 'signInApp');
    await tab.evaluate(() => {
      let size = 1 << 20;
      for (let i = 0; size > 0; i++) {
        try {
          localStorage.setItem(`fill-${i}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
    });
    const message = await tab.evaluate((o) => (globalThis as unknown as { signInApp: { start(o: PageClient): Promise<string> } }).signInApp.start(o), client).catch((error: unknown) => String(error));
    // Your storage's error, as every storage failure of a sign-in (README, Storage); the key it names holds a state no callback can use.
    expect(message).toContain('QuotaExceededError');
    expect(ours(await storedIn(tab))).toEqual([]);
  });

  it('refused in a sandboxed frame: createSessionStorage is INVALID_CONFIG saying storage is blocked there', { timeout: 90_000 }, async () => {
    const { browser } = await start();
    const tab = await browser.open('/', 'signInApp');
    expect(await sessionStorageIn(tab)).toBe('made');
    await tab.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.sandbox.add('allow-scripts');
      frame.src = '/framed';
      document.body.append(frame);
    });
    const frame = await (await tab.waitForSelector('iframe')).contentFrame();
    if (frame === null) throw new Error('no frame');
    await frame.waitForFunction(() => 'signInApp' in globalThis);
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
    expect(ours(await storedIn(tab))).toEqual([`okta-oauth:${client.clientId}:tokens`]);
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

