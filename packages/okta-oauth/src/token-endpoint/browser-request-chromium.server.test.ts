/**
 * Okta's browser-request rules at /token met by a real page (headless Chromium, the emulator with its
 * default `browserRules`): Chromium's own `Origin` makes it a browser request, and the refusal reaches
 * the page with the hint (not a `NETWORK_ERROR`: the emulator's refusal carries its CORS headers).
 * The Node.js tests (`browser-request-hints.server.test.ts`) set `Origin` by hand.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startBrowserApp, type BrowserApp } from '../user/test-helpers/browser-page.js';

const script = `
import { createServiceAppCredential } from './src/index.ts';
import { createOktaFetch } from '@org/okta-auth-core';
globalThis.clientCredentials = async (options) => {
  try {
    const okta = createOktaFetch({ credential: createServiceAppCredential({ ...options, allowInsecureLoopback: true, dpop: 'off' }) });
    return String((await okta('/api/v1/users')).status);
  } catch (error) {
    return error.code + ': ' + error.message;
  }
};`;

let org: OktaEmulator | undefined;
let browser: BrowserApp | undefined;
afterEach(async () => {
  await browser?.close();
  await org?.close();
});

describe('a page making a client credentials request, in Chromium', () => {
  it('is refused as a browser request, and the page reads the hint', { timeout: 60_000 }, async () => {
    org = await startEmulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
    browser = await startBrowserApp(script);
    const tab = await browser.open('/', 'clientCredentials');
    const options = { orgUrl: org.url, clientId: app.clientId, privateKey: app.privateJwk, scopes: ['okta.users.read'] };
    const outcome = await tab.evaluate((o) => (globalThis as unknown as { clientCredentials: (o: unknown) => Promise<string> }).clientCredentials(o), options);
    expect(outcome).toMatch(/^TOKEN_REQUEST_FAILED: .*may only use the authorization_code grant_type\. A page may use the authorization code grant only: run this on a server\./);
    expect(org.counters().tokenRequests.client_credentials).toEqual({ unauthorized_client: 1 });
    expect(browser.problems).toEqual([]);
  });
});
