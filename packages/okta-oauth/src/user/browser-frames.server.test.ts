/**
 * Two same-origin frames of one tab (a page and its iframe), each with a credential over
 * `createSessionStorage()`: they share the tab's `sessionStorage`, each under a page lock of its
 * own, and hear each other's spent-token messages. The emulator's SPA rotates refresh tokens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from './test-helpers/browser-page.js';
import { scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const pageScript = `
import { createSignInClient, createSessionStorage, restoreCredential } from './src/sign-in-entry.ts';
import { jwksIdTokenVerifier } from './src/id-token-jwks-entry.ts';
let credential;
let hold;
globalThis.tokenApp = {
  // As an app does on load; aheadMs moves this frame's clock on, so its tokens are due for renewal. The
  // signature check fetches the org's keys after the refresh answer, before the renewed tokens are stored.
  restore: async (orgUrl, clientId, scopes, aheadMs) => {
    const client = createSignInClient({ orgUrl, clientId, scopes, allowInsecureLoopback: true, timeoutMs: 30000, now: () => Date.now() + aheadMs, idTokenVerifier: jwksIdTokenVerifier });
    const storage = createSessionStorage();
    const get = storage.get;
    // The next read returns what storage holds at once, after the channel's next message (heard
    // after the credential's): this frame read the tokens just before the other one renewed them.
    storage.get = (key) => {
      const held = hold;
      hold = undefined;
      const text = get(key);
      return held === undefined ? text : held.then(() => text);
    };
    globalThis.tokenApp.hold = (name) => {
      hold = new Promise((resolve) => { new BroadcastChannel(name).onmessage = resolve; });
    };
    credential = await restoreCredential(client, { storage });
    return credential !== undefined;
  },
  token: async (forceRefresh) => {
    try {
      return (await credential.getAccessToken({ forceRefresh })).reveal();
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
  hold(name: string): void;
  token(forceRefresh: boolean): Promise<string>;
}

describe('credentials over sessionStorage in two frames of one tab (one storage, two page locks)', () => {
  it('renewing at once: the frame told the token is spent takes the tokens the other stored, with no request, and both stay signed in', { timeout: 90_000 }, async () => {
    const client = spaOf(env.org);
    const { tokens } = await signIn(client);
    browser = await startBrowserApp(pageScript);
    const page = await browser.open('/', 'tokenApp');
    const key = `okta-oauth:${client.clientId}:tokens`;
    await page.evaluate(([k, v]) => sessionStorage.setItem(k, v), [key, JSON.stringify(tokens.toStorable())] as const);
    await page.evaluate(() => {
      document.body.append(Object.assign(document.createElement('iframe'), { src: '/' }));
    });
    const frame = (await (await page.waitForSelector('iframe')).contentFrame())!;
    await frame.waitForFunction(() => 'tokenApp' in globalThis);
    const args = (aheadMs: number) => [env.org.url, client.clientId, scopes, aheadMs] as const;
    expect(await page.evaluate((a) => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.restore(...a), args(0))).toBe(true);
    // Two hours on, the frame's tokens have expired: its next call renews them.
    expect(await frame.evaluate((a) => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.restore(...a), args(7_200_000))).toBe(true);
    const channel = `okta-oauth:${new URL(env.org.url).origin}:${client.clientId}:${key}:spent`;
    await frame.evaluate((name) => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.hold(name), channel);
    // The frame reads storage (the tokens both hold), then the page renews them, then the frame renews.
    const framed = frame.evaluate(() => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.token(false));
    const renewed = await page.evaluate(() => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.token(true));
    expect(renewed).not.toMatch(/^failed/);
    expect(await framed).toBe(renewed);
    const stored = await page.evaluate((k) => sessionStorage.getItem(k), key);
    expect(stored).toContain(renewed);
    expect(await page.evaluate(() => (globalThis as unknown as { tokenApp: TokenApp }).tokenApp.token(false))).toBe(renewed);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });
});
