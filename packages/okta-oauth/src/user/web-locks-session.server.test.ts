/**
 * A credential over `createSessionStorage()` (the README's "to survive a reload"), in two tabs of
 * headless Chromium: each tab's `sessionStorage` holds its own tokens, so no tab can pick up
 * another's renewal and none has to wait for it. The renewal's Web Lock is then the page's own (as
 * the sign-in transactions' list is): a tab whose renewal never ends (its `onTokens` never settles,
 * within a long `timeoutMs`) holds no other tab's requests. Before, both tabs asked for one lock
 * name, and the second waited for the first up to twice its `timeoutMs` and 1 s, then failed with
 * `TIMEOUT`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from './test-helpers/browser-page.js';
import { scopes, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const pageScript = `
import { createSignInClient, createSessionStorage } from './src/index.ts';
globalThis.renew = async (orgUrl, clientId, scopes, stored, hang) => {
  const client = createSignInClient({ orgUrl, clientId, scopes, allowInsecureLoopback: true, timeoutMs: hang ? 600000 : 10000 });
  sessionStorage.setItem('okta-oauth:' + clientId + ':tokens', stored);
  const onTokens = hang ? () => ((globalThis.telling = true), new Promise(() => undefined)) : undefined;
  const credential = await client.restoreCredential({ storage: createSessionStorage(), onTokens });
  try {
    return (await credential.getAccessToken()).reveal();
  } catch (error) {
    return 'failed: ' + error.code + ': ' + error.message;
  }
};`;

const env = useSignInOrg();
let browser: BrowserApp | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
});

type Renew = (...args: unknown[]) => Promise<string>;

describe('a credential over sessionStorage in two tabs', () => {
  it('renews in one tab while another tab’s renewal never ends: no wait on its lock', { timeout: 60_000 }, async () => {
    const client = spaOf(env.org);
    const expired = async () => JSON.stringify({ ...(await signIn(client)).tokens.toStorable(), expiresAt: Date.now() - 1000 });
    const [holderTokens, waiterTokens] = [await expired(), await expired()];
    browser = await startBrowserApp(pageScript);
    const [holder, waiter] = [await browser.open('/', 'renew'), await browser.open('/', 'renew')];
    void holder.evaluate(([orgUrl, clientId, s, stored]) => (globalThis as unknown as { renew: Renew }).renew(orgUrl, clientId, s, stored, true), [env.org.url, client.clientId, scopes, holderTokens] as const).catch(() => undefined);
    // The holder's renewal is in its onTokens, which never settles: it holds its lock from here on.
    await holder.waitForFunction(() => (globalThis as { telling?: boolean }).telling === true, undefined, { timeout: 30_000 });
    const got = await waiter.evaluate(([orgUrl, clientId, s, stored]) => (globalThis as unknown as { renew: Renew }).renew(orgUrl, clientId, s, stored, false), [env.org.url, client.clientId, scopes, waiterTokens] as const);
    expect(got).not.toMatch(/^failed/);
    expect(got).not.toBe(JSON.parse(waiterTokens).accessToken);
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
  });
});
