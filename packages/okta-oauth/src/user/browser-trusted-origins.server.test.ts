/**
 * A browser's CORS refusal told apart, in headless Chromium against the emulator's Trusted Origins
 * (`trustedOrigins`): a page on an origin the org does not trust calls the Management API through
 * core's `createOktaFetch` with an SSWS credential, and exchanges a sign-in's code through the
 * sign-in client. Chromium's `fetch` rejects with a bare TypeError; the error is core's
 * `NETWORK_ERROR` naming the Trusted Origin to add. With the page's origin trusted, the sign-in
 * succeeds and the SSWS call is still refused (Okta refuses an API token from any page, SUP2: the
 * emulator's `browserRules`): `NETWORK_ERROR` whose advice names API tokens. An opaque answer
 * (`mode: 'no-cors'`, status 0) says the browser hid Okta's answer.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useBrowserApp, type BrowserApp } from './test-helpers/browser-page.js';
import { login, password, scopes } from './test-helpers/sign-in-org.js';

// okta-oauth does not depend on okta-ssws: the page takes its source by path (the bundle resolves both to one core).
const script = `
import { createOktaFetch } from '@org/okta-auth-core';
import { createSswsCredential } from '../okta-ssws/src/index.ts';
import { createSignInClient, createSessionStorage } from './src/sign-in-entry.ts';
const shown = (e) => ({ ok: false, name: String(e?.name), code: e?.code, status: e?.status, message: String(e?.message) });
const clientOf = (o) => createSignInClient({
  orgUrl: o.orgUrl, clientId: o.clientId, scopes: o.scopes, allowInsecureLoopback: true, timeoutMs: 30_000,
  redirectUri: location.origin + '/callback', storage: createSessionStorage(),
});
globalThis.corsApp = {
  start: async (o) => (await clientOf(o).startSignIn()).url.href,
  finish: async (o) => {
    try {
      return { ok: true, sub: (await clientOf(o).finishSignIn(location.href)).claims?.sub };
    } catch (e) {
      return shown(e);
    }
  },
  users: async (o) => {
    try {
      const credential = createSswsCredential({ orgUrl: o.orgUrl, token: o.token, allowInsecureLoopback: true });
      // Core asks for redirect: 'manual', which no-cors refuses (a TypeError: NETWORK_ERROR, with the advice): a fetch of
      // the app's own that follows redirects too gets the opaque answer, status 0.
      const fetch = o.noCors ? (input, init) => globalThis.fetch(input, { ...init, mode: 'no-cors', redirect: 'follow' }) : undefined;
      const response = await createOktaFetch({ credential, retry: false, timeoutMs: 30_000, ...(fetch ? { fetch } : {}) })('/api/v1/users?limit=1');
      return { ok: true, status: response.status };
    } catch (e) {
      return shown(e);
    }
  },
};`;

interface Outcome {
  readonly ok: boolean;
  readonly sub?: string;
  readonly status?: number;
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
}
interface CorsApp {
  corsApp: {
    start(o: object): Promise<string>;
    finish(o: object): Promise<Outcome>;
    users(o: object): Promise<Outcome>;
  };
}

/** The advice names the page's own origin (localhost and 127.0.0.1 are two). */
const advice = (origin: string): RegExp => new RegExp(`add this page's origin \\(${origin.replaceAll('.', '\\.')}\\) in Okta under Security > API > Trusted Origins, with CORS`);
const startApp = useBrowserApp();
const orgs: OktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(orgs.splice(0).map((org) => org.close()));
});

/** The page, and an org that trusts it (`trusting`) or trusts another origin only. */
async function setUp(trusting: boolean): Promise<{ browser: BrowserApp; org: OktaEmulator; tab: Page; token: string; client: object }> {
  const browser = await startApp(script);
  const org = await startEmulator({ trustedOrigins: trusting ? [browser.origin] : ['https://app.example.com'] });
  orgs.push(org);
  org.createUser({ login, password, admin: true });
  const { clientId } = org.createSignInApp({ type: 'spa', redirectUris: [`${browser.origin}/callback`], scopes: ['okta.users.read'] });
  const tab = await browser.open('/', 'corsApp');
  return { browser, org, tab, token: org.createApiToken().token, client: { orgUrl: org.url, clientId, scopes } };
}

const users = (tab: Page, o: object): Promise<Outcome> => tab.evaluate((a) => (globalThis as unknown as CorsApp).corsApp.users(a), o);

/** Signs in on Okta's page and finishes the sign-in on the callback page: the page's outcome. */
async function signIn(tab: Page, origin: string, client: object): Promise<Outcome> {
  await tab.goto(await tab.evaluate((o) => (globalThis as unknown as CorsApp).corsApp.start(o), client));
  await tab.getByLabel('Username').fill(login);
  await tab.getByLabel('Password').fill(password);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  await tab.waitForURL((u) => u.origin === origin && u.pathname === '/callback');
  await tab.waitForFunction(() => 'corsApp' in globalThis);
  return tab.evaluate((o) => (globalThis as unknown as CorsApp).corsApp.finish(o), client);
}

describe('a page on an origin the org does not trust (Trusted Origins, CORS)', () => {
  it('gets NETWORK_ERROR naming the Trusted Origin to add, for a Management API call and a token exchange', { timeout: 90_000 }, async () => {
    const { browser, org, tab, token, client } = await setUp(false);
    const listed = await users(tab, { orgUrl: org.url, token });
    expect(listed).toMatchObject({ ok: false, code: 'NETWORK_ERROR', message: expect.stringMatching(/^GET [\w.:-]+\/api\/v1\/users failed before Okta answered/) });
    expect(listed.message).toMatch(advice(browser.origin));
    const signedIn = await signIn(tab, browser.origin, client);
    expect(signedIn).toMatchObject({ ok: false, code: 'NETWORK_ERROR', message: expect.stringMatching(/^POST [\w.:-]+\/oauth2\/v1\/token failed before Okta answered/) });
    expect(signedIn.message).toMatch(advice(browser.origin));
    // Okta refused the exchange (the browser hid it): no code was spent.
    expect(org.counters().tokenRequests.authorization_code ?? {}).toEqual({});
  });

  it("says an opaque answer (mode: 'no-cors') hid Okta's answer, and to use CORS with a Trusted Origin", { timeout: 90_000 }, async () => {
    const { browser, org, tab, token } = await setUp(false);
    const opaque = await users(tab, { orgUrl: org.url, token, noCors: true });
    expect(opaque).toMatchObject({ ok: false, code: 'API_ERROR', status: 0, message: expect.stringMatching(/^0 \(GET [\w.:-]+\/api\/v1\/users\): .*no-cors/) });
    expect(opaque.message).toMatch(advice(browser.origin));
  });
});

describe('a page on a Trusted Origin', () => {
  it('signs in, and is refused an API token (SSWS) all the same: NETWORK_ERROR naming API tokens', { timeout: 90_000 }, async () => {
    const { browser, org, tab, token, client } = await setUp(true);
    const listed = await users(tab, { orgUrl: org.url, token });
    expect(listed).toMatchObject({ ok: false, code: 'NETWORK_ERROR', message: expect.stringMatching(/^GET [\w.:-]+\/api\/v1\/users failed before Okta answered/) });
    expect(listed.message).toMatch(/an API token \(SSWS\) is refused from any page/);
    expect(listed.message).not.toContain(token);
    expect(await signIn(tab, browser.origin, client)).toMatchObject({ ok: true, sub: expect.any(String) });
    expect(browser.problems).toEqual([]);
  });
});
