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
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { OktaEmulator } from '@org/okta-emulator';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

const pageScript = `
import { createSignInClient, createWebStorage } from './src/index.ts';
globalThis.accessToken = async (orgUrl, clientId, scopes) => {
  const client = createSignInClient({ orgUrl, clientId, scopes, allowInsecureLoopback: true });
  const credential = await client.restoreCredential({ storage: createWebStorage(localStorage) });
  return credential === undefined ? 'no credential' : (await credential.getAccessToken()).reveal();
};`;

/** Serves the page and its bundle on 127.0.0.1 (a secure context, so Web Locks exist). */
async function servePage(): Promise<{ url: string; server: Server }> {
  const bundle = await build({
    stdin: { contents: pageScript, resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@org/source'],
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((request, response) => {
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`, server };
}

const env = useSignInOrg();
let org: OktaEmulator;
let browser: Browser | undefined;
let page: { url: string; server: Server } | undefined;
beforeEach(() => {
  ({ org } = env);
});
afterEach(async () => {
  await browser?.close();
  page?.server.close();
  browser = undefined;
  page = undefined;
});

describe('a user credential in two browser tabs', () => {
  it('makes one refresh grant under the browser’s Web Lock; the other tab reads the result from storage', { timeout: 60_000 }, async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    const client = spaOf(org);
    const { tokens } = await signIn(client);
    const stored = JSON.stringify({ ...tokens.toStorable(), expiresAt: Date.now() - 1000 });
    page = await servePage();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
    const context = await browser.newContext();
    const tabs = [await context.newPage(), await context.newPage()];
    for (const tab of tabs) {
      await tab.goto(page.url);
      await tab.waitForFunction(() => 'accessToken' in globalThis);
    }
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
});
