/**
 * A credential over `createSessionStorage()` in a tab the app opens (`window.open` with an opener,
 * as "Duplicate tab" does too): Chromium copies the opener's `sessionStorage` into the new tab, so
 * two tabs hold one refresh token, each under a lock of its own. The emulator's SPA rotates refresh
 * tokens with Okta's 30 s grace period and revokes the family on a reuse after it.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from './test-helpers/browser-page.js';
import { scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const pageScript = `
import { createSignInClient, createSessionStorage, restoreCredential } from './src/sign-in-entry.ts';
let credential;
globalThis.tokenApp = {
  // As an app does on load: the credential from this tab's sessionStorage.
  restore: async (orgUrl, clientId, scopes) => {
    const client = createSignInClient({ orgUrl, clientId, scopes, allowInsecureLoopback: true, timeoutMs: 30000 });
    credential = await restoreCredential(client, { storage: createSessionStorage() });
    return credential !== undefined;
  },
  // A test's own listener on the channel, made after the credential's: it hears a message after the credential has.
  heard: (name) => new Promise((resolve) => { new BroadcastChannel(name).onmessage = (event) => resolve(event.data); }),
  token: async () => {
    try {
      return (await credential.getAccessToken({ forceRefresh: true })).reveal();
    } catch (error) {
      return 'failed: ' + error.code + ': ' + error.message;
    }
  },
};`;

const env = useSignInOrg();
let browser: BrowserApp | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

interface TokenApp {
  restore(...args: unknown[]): Promise<boolean>;
  heard(name: string): Promise<string>;
  token(): Promise<string>;
}

describe('a credential over sessionStorage in a tab the app opened (a copy of its sessionStorage)', () => {
  it('renewed in the opener, then in the copy past the grace period: the copy asks to sign in again, sends no spent token, and the opener stays signed in', { timeout: 90_000 }, async () => {
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    browser = await startBrowserApp(pageScript);
    const opener = await browser.open('/', 'tokenApp');
    const key = `okta-oauth:${client.clientId}:tokens`;
    const stored = JSON.stringify(tokens.toStorable());
    await opener.evaluate(([k, v]) => sessionStorage.setItem(k, v), [key, stored] as const);
    const [copy] = await Promise.all([browser.context.waitForEvent('page'), opener.evaluate(() => void window.open('/'))]);
    await copy.waitForFunction(() => 'tokenApp' in globalThis);
    // Chromium copied the opener's sessionStorage: both tabs hold one refresh token.
    expect(await copy.evaluate((k) => sessionStorage.getItem(k), key)).toBe(stored);
    const args = [env.org.url, client.clientId, scopes] as const;
    for (const tab of [opener, copy]) expect(await tab.evaluate((a) => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.restore(...a), args)).toBe(true);
    const channel = `okta-oauth:${new URL(env.org.url).origin}:${client.clientId}:${key}:spent`;
    const heard = copy.evaluate((name) => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.heard(name), channel);
    const token = (tab: Page) => tab.evaluate(() => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.token());
    expect(await token(opener)).not.toMatch(/^failed/);
    // What crossed the channel: a SHA-256, never the token.
    expect(await heard).toMatch(/^[\w-]{43}$/);
    env.org.setClockOffset(60);
    expect(await token(copy)).toMatch(/^failed: LOGIN_REQUIRED: Another tab holding a copy of these tokens/);
    expect(await copy.evaluate((k) => sessionStorage.getItem(k), key)).toBeNull();
    expect(await token(opener)).not.toMatch(/^failed/);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
  });
});
