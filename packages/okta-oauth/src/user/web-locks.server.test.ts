/**
 * The refresh that must not run twice across tabs, in a real browser: two tabs of headless
 * Chromium (playwright-core, /usr/bin/chromium) on one origin share `localStorage` holding a
 * signed-in user's expired tokens, and both ask for an access token at once. The browser's own
 * `navigator.locks` lets one tab make the refresh grant; the other picks the renewed tokens up
 * from storage (same user `sub`). The page runs this package's source, bundled by esbuild.
 * Chromium hands a `localStorage` write to another tab's process asynchronously: before the
 * renewing tab kept the lock a while after its write (`user/web-lock.ts`), 5 runs in 24 of this
 * test had the waiting tab read its stale copy and spend the refresh token a second time.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from './test-helpers/browser-page.js';
import { scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const pageScript = `
import { createSignInClient, createWebStorage } from './src/index.ts';
globalThis.accessToken = async (orgUrl, clientId, scopes, timeoutMs = 30000) => {
  const client = createSignInClient({ orgUrl, clientId, scopes, allowInsecureLoopback: true, timeoutMs });
  const credential = await client.restoreCredential({ storage: createWebStorage(localStorage) });
  try {
    return credential === undefined ? 'no credential' : (await credential.getAccessToken()).reveal();
  } catch (error) {
    return 'failed: ' + error.code + ': ' + error.message;
  }
};`;

const env = useSignInOrg();
let org: OktaEmulator;
let browser: BrowserApp | undefined;
beforeEach(() => {
  ({ org } = env);
});
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

describe('a user credential in two browser tabs', () => {
  it('makes one refresh grant under the browser’s Web Lock; the other tab reads the result from storage', { timeout: 60_000 }, async () => {
    const client = spaOf(org);
    const { tokens } = await signIn(client);
    const stored = JSON.stringify({ ...tokens.toStorable(), expiresAt: Date.now() - 1000 });
    browser = await startBrowserApp(pageScript);
    const tabs = [await browser.open('/', 'accessToken'), await browser.open('/', 'accessToken')];
    const key = `okta-oauth:${client.clientId}:tokens`;
    await tabs[0]?.evaluate(([k, v]) => localStorage.setItem(k, v), [key, stored] as const);
    expect(await tabs[1]?.evaluate(() => typeof navigator.locks.request)).toBe('function');
    const args = [org.url, client.clientId, scopes] as const;
    const got = await Promise.all(
      tabs.map((tab) => tab.evaluate(([orgUrl, clientId, s]) => (globalThis as unknown as { accessToken: (...a: unknown[]) => Promise<string> }).accessToken(orgUrl, clientId, s), args)),
    );
    expect(got[0]).not.toBe(tokens.accessToken.reveal());
    expect(got[1]).toBe(got[0]);
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  /** Two tabs over expired stored tokens; the first holds the renewal lock and never lets go (a tab stopped mid-renewal, a script). */
  async function lockHeldByAnotherTab() {
    const client = spaOf(org);
    const { tokens } = await signIn(client);
    const stored = JSON.stringify({ ...tokens.toStorable(), expiresAt: Date.now() - 1000 });
    browser = await startBrowserApp(pageScript);
    const [holder, waiter] = [await browser.open('/', 'accessToken'), await browser.open('/', 'accessToken')];
    const key = `okta-oauth:${client.clientId}:tokens`;
    const lock = `okta-oauth:${new URL(org.url).origin}:${client.clientId}:${key}:refresh`;
    await holder.evaluate(([k, v]) => localStorage.setItem(k, v), [key, stored] as const);
    await holder.evaluate((name) => new Promise<void>((held) => void navigator.locks.request(name, () => (held(), new Promise(() => undefined)))), lock);
    const accessToken = (timeoutMs: number) =>
      waiter.evaluate(
        ([orgUrl, clientId, s, ms]) => (globalThis as unknown as { accessToken: (...a: unknown[]) => Promise<string> }).accessToken(orgUrl, clientId, s, ms),
        [org.url, client.clientId, scopes, timeoutMs] as const,
      );
    const pending = () => waiter.evaluate(async (name) => (await navigator.locks.query()).pending?.filter((request) => request.name === name).length ?? 0, lock);
    return { tokens, holder, accessToken, pending };
  }

  it('a tab closed while it holds the lock releases it: the waiting tab renews once', { timeout: 60_000 }, async () => {
    const { tokens, holder, accessToken, pending } = await lockHeldByAnotherTab();
    const got = accessToken(30_000);
    await expect.poll(pending, { timeout: 30_000 }).toBe(1);
    expect(org.counters().tokenRequests.refresh_token ?? {}).toEqual({});
    await holder.close();
    expect(await got).not.toBe(tokens.accessToken.reveal());
    expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  it('a tab that holds the lock and never lets go fails the other tab’s renewal with TIMEOUT, not a wait for ever', { timeout: 60_000 }, async () => {
    const { tokens, accessToken, pending } = await lockHeldByAnotherTab();
    const got = await accessToken(3000);
    expect(got).toMatch(/^failed: TIMEOUT: Another tab .* renewal lock for more than 7000 ms/);
    expect(got).not.toContain(tokens.accessToken.reveal());
    expect(org.counters().tokenRequests.refresh_token ?? {}).toEqual({});
    // Withdrawn: no request of this tab is left waiting for the lock.
    expect(await pending()).toBe(0);
  });
});
