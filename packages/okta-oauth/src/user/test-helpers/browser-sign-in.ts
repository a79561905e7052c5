/**
 * The single-page app of the browser sign-in tests: `@org/okta-oauth/sign-in` as an SPA uses it,
 * in headless Chromium, against the emulator. `signInApp` (a global of the page) starts a
 * sign-in, finishes the callback at `location.href`, signs out, and shows what Web Storage holds.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import type { Page } from 'playwright-core';
import type { TestContext } from 'vitest';
import { startBrowserApp, useSharedBrowserApp, useSharedChromium, type BrowserApp } from './browser-page.js';
import { login, password, scopes, startSignInOrg, useSignInOrg, type SignInOrg } from './sign-in-org.js';

const script = `
import { createSignInClient, createSessionStorage, createWebStorage, restoreCredential, signOut } from './src/sign-in-entry.ts';
// slow: localStorage behind a store that answers a read 100 ms after it read (a remote store's round trip).
const slow = () => ({ get: (k) => { const v = localStorage.getItem(k); return new Promise((r) => setTimeout(() => r(v), 100)); }, set: (k, v) => localStorage.setItem(k, v), remove: (k) => localStorage.removeItem(k) });
const storages = { session: () => createSessionStorage(), local: () => createWebStorage(localStorage), slow };
const clientOf = (o) => createSignInClient({
  orgUrl: o.orgUrl, clientId: o.clientId, scopes: o.scopes, allowInsecureLoopback: true, timeoutMs: 30_000, // no test here is about a timeout: room for a loaded machine's answers
  redirectUri: location.origin + '/callback', postLogoutRedirectUri: location.origin + '/',
  storage: storages[o.storage ?? 'session'](),
});
const shown = (e) => ({ ok: false, name: String(e?.name), code: e?.code, message: String(e?.message), error: e?.error, error_description: e?.error_description, json: JSON.stringify(e), cause: String(e?.cause) });
globalThis.signInApp = {
  start: async (o) => (await clientOf(o).startSignIn()).url.href,
  finish: async (o) => {
    try {
      const client = clientOf(o);
      const result = await client.finishSignIn(location.href);
      if (o.keep) client.credential(result, { storage: storages[o.storage ?? 'session']() });
      return { ok: true, sub: result.claims?.sub };
    } catch (e) {
      return shown(e);
    }
  },
  signOut: async (o) => {
    const client = clientOf(o);
    try {
      const credential = await restoreCredential(client, { storage: storages[o.storage ?? 'session']() });
      const result = await signOut(client, credential);
      return { ok: true, logoutUrl: result.logoutUrl?.href, revoked: [...result.revoked] };
    } catch (e) {
      return shown(e);
    }
  },
  stored: () => ({ session: { ...sessionStorage }, local: { ...localStorage } }),
  sessionStorage: () => {
    try {
      createSessionStorage();
      return 'made';
    } catch (e) {
      return e.code + ': ' + e.message;
    }
  },
};`;

/** What `signInApp.finish` and `signInApp.signOut` answer. */
export interface Outcome {
  readonly ok: boolean;
  readonly sub?: string;
  readonly logoutUrl?: string;
  readonly revoked?: readonly string[];
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly error?: string;
  readonly error_description?: string;
  readonly json?: string;
  readonly cause?: string;
}

/** The options the page's client is made of. */
export interface PageClient {
  readonly orgUrl: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** `slow`: `localStorage` behind a storage of the app's own whose reads answer 100 ms late. */
  readonly storage?: 'session' | 'local' | 'slow';
  /** Keep the signed-in tokens in the storage (a credential with `storage`). */
  readonly keep?: boolean;
}

interface SignInAppGlobal {
  signInApp: {
    start(o: PageClient): Promise<string>;
    finish(o: PageClient): Promise<Outcome>;
    signOut(o: PageClient): Promise<Outcome>;
    stored(): { session: Record<string, string>; local: Record<string, string> };
    sessionStorage(): string;
  };
}

/** The SPA, served on 127.0.0.1, and a SPA app on `org` whose redirect URIs are its pages. */
export async function startSignInApp(org: OktaEmulator, storage: PageClient['storage'] = 'session', startApp = startBrowserApp): Promise<{ browser: BrowserApp; client: PageClient }> {
  const browser = await startApp(script);
  const { clientId } = org.createSignInApp({
    type: 'spa',
    redirectUris: [`${browser.origin}/callback`],
    postLogoutRedirectUris: [`${browser.origin}/`],
    scopes: ['okta.users.read'],
  });
  return { browser, client: { orgUrl: org.url, clientId, scopes, storage } };
}

/** Starts a sign-in in `tab` and stays there: the authorize URL. */
export const beginIn = (tab: Page, client: PageClient): Promise<string> => tab.evaluate((o) => (globalThis as unknown as SignInAppGlobal).signInApp.start(o), client);

/** Starts a sign-in in `tab` and goes to Okta: the authorize URL. */
export async function startIn(tab: Page, client: PageClient): Promise<string> {
  const url = await beginIn(tab, client);
  await tab.goto(url);
  return url;
}

/** Signs in on Okta's page (the tab is there) and waits for the callback page. */
export async function signInOnOkta(tab: Page, origin: string): Promise<string> {
  await tab.getByLabel('Username').fill(login);
  await tab.getByLabel('Password').fill(password);
  await tab.getByRole('button', { name: 'Sign in' }).click();
  return arrived(tab, origin);
}

/** Waits for the tab to be on the app's callback page, with the app loaded; its URL. */
export async function arrived(tab: Page, origin: string): Promise<string> {
  await tab.waitForURL((u) => u.origin === origin && u.pathname === '/callback');
  await tab.waitForFunction(() => 'signInApp' in globalThis);
  return tab.url();
}

/** Finishes the sign-in at the tab's URL. */
export const finishIn = (tab: Page, client: PageClient): Promise<Outcome> => tab.evaluate((o) => (globalThis as unknown as SignInAppGlobal).signInApp.finish(o), client);

/** Signs the stored credential out in the tab. */
export const signOutIn = (tab: Page, client: PageClient): Promise<Outcome> => tab.evaluate((o) => (globalThis as unknown as SignInAppGlobal).signInApp.signOut(o), client);

/** What the tab's `sessionStorage` and `localStorage` hold. */
export const storedIn = (tab: Page): Promise<{ session: Record<string, string>; local: Record<string, string> }> => tab.evaluate(() => (globalThis as unknown as SignInAppGlobal).signInApp.stored());

/** What `createSessionStorage()` does in the frame: `made`, or its error's code and message. */
export const sessionStorageIn = (frame: Pick<Page, 'evaluate'>): Promise<string> =>
  frame.evaluate(() => (globalThis as unknown as SignInAppGlobal).signInApp.sessionStorage());

/**
 * One emulated org per test ({@link useSignInOrg}) and `start`, for tests that run one after another:
 * it serves the SPA for the org in a new profile of one Chromium for the file ({@link useSharedChromium}),
 * closed after the test, rather than a Chromium each.
 */
export function useSignInApp(): { readonly env: SignInOrg; readonly start: (storage?: PageClient['storage']) => Promise<{ browser: BrowserApp; client: PageClient }> } {
  const env = useSignInOrg();
  const startApp = useSharedBrowserApp();
  return { env, start: async (storage) => startSignInApp(env.org, storage, startApp) };
}

/**
 * {@link useSignInApp} for tests that run at once (`it.concurrent`): the returned `start` gives the
 * test an org of its own ({@link startSignInOrg}) and serves the SPA for it in a profile of its own
 * of the file's one Chromium ({@link useSharedChromium}), both closed when the test ends.
 */
export function useConcurrentSignInApp(): (
  test: Pick<TestContext, 'onTestFinished'>,
  storage?: PageClient['storage'],
) => Promise<{ env: SignInOrg; browser: BrowserApp; client: PageClient }> {
  const startApp = useSharedChromium();
  return async (test, storage) => {
    const env = await startSignInOrg(test);
    return { env, ...(await startSignInApp(env.org, storage, (script) => startApp(test, script))) };
  };
}

/** The keys of this package in a tab's Web Storage (what `storedIn` read). */
export function ours(stored: { session: Record<string, string>; local: Record<string, string> }): string[] {
  return [...Object.keys(stored.session), ...Object.keys(stored.local)].filter((key) => key.startsWith('okta-oauth:'));
}
