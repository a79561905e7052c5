/**
 * `loadBrowserDpopKeyPair` in headless Chromium against the emulator: a single-page app signs in
 * with DPoP using the pair IndexedDB keeps, reloads, loads it again and calls Okta's API with the
 * restored tokens (the emulator checks each proof's key against the token's `cnf.jkt`); two tabs
 * loading at once end with one key; after `deleteBrowserDpopKeyPair`, a new key, under which
 * `restoreCredential` restores nothing (the stored tokens' `dpopJkt` names the deleted one).
 */
import { fillSignInForm, until } from '@org/okta-test-utils';
import type { Page } from 'playwright-core';
import { describe, it, type TestContext } from 'vitest';
import { useSharedChromium, type BrowserApp } from '../user/test-helpers/browser-page.js';
import { login, password, scopes, startSignInOrg, type SignInOrg } from '../user/test-helpers/sign-in-org.js';

const script = `
import { createOktaFetch } from '@org/okta-auth-core';
import { createSignInClient, createWebStorage, deleteBrowserDpopKeyPair, loadBrowserDpopKeyPair } from './src/index.ts';
import { DpopKey } from './src/dpop/dpop-key.ts';
const storage = () => createWebStorage(localStorage);
const clientOf = (o, dpopKeyPair) => createSignInClient({
  orgUrl: o.orgUrl, clientId: o.clientId, scopes: o.scopes, allowInsecureLoopback: true, timeoutMs: 30_000,
  redirectUri: location.origin + '/callback', dpop: 'required', dpopKeyPair, storage: storage(),
});
const thumbprint = async (pair) => (await DpopKey.fromKeyPair(pair, 'ES256')).thumbprint;
const outcome = async (run) => { try { return await run(); } catch (e) { return 'failed: ' + e.code + ': ' + e.message; } };
let generated = 0;
let reads = 0;
globalThis.idbApp = {
  load: (o) => outcome(async () => thumbprint(await loadBrowserDpopKeyPair(o))),
  // The load's open and reads are issued at once (their IndexedDB requests queue); its outcome comes from settled().
  startLoad: () => { globalThis.loading = outcome(async () => thumbprint(await loadBrowserDpopKeyPair({ name: 'race' }))); },
  settled: () => globalThis.loading,
  // Counts this tab's key generations and readonly transactions (what the race test needs to see happen).
  count: () => {
    const generate = crypto.subtle.generateKey.bind(crypto.subtle);
    crypto.subtle.generateKey = (...a) => ((generated += 1), generate(...a));
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (...a) { if (a[1] !== 'readwrite') reads += 1; return transaction.apply(this, a); };
  },
  counts: () => ({ generated, reads }),
  // Holds a readwrite transaction on the key store (requests one after another) until release().
  hold: async () => {
    await loadBrowserDpopKeyPair({ name: 'holder' });
    const db = await new Promise((resolve) => { indexedDB.open('okta-oauth-dpop', 1).onsuccess = (e) => resolve(e.target.result); });
    const store = db.transaction('keys', 'readwrite').objectStore('keys');
    globalThis.held = true;
    const spin = () => { if (globalThis.held) store.get('holder').onsuccess = spin; };
    spin();
  },
  release: () => { globalThis.held = false; },
  put: (name, value) => new Promise((resolve) => {
    indexedDB.open('okta-oauth-dpop', 1).onsuccess = (e) => {
      const tx = e.target.result.transaction('keys', 'readwrite');
      tx.objectStore('keys').put(value, name);
      tx.oncomplete = resolve;
    };
  }),
  // What a script of the page (XSS) could leave behind: a pair it made extractable, keeping the private key.
  plant: async (name) => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    await globalThis.idbApp.put(name, pair);
    return (await crypto.subtle.exportKey('jwk', pair.privateKey)).d !== undefined;
  },
  // Another release's (or library's) open of the database at \`version\`, with the key store or without: 'blocked' if a connection kept it waiting.
  upgrade: (version, keepStore) => new Promise((resolve) => {
    const request = indexedDB.open('okta-oauth-dpop', version);
    request.onupgradeneeded = () => {
      const has = request.result.objectStoreNames.contains('keys');
      if (keepStore && !has) request.result.createObjectStore('keys');
      if (!keepStore && has) request.result.deleteObjectStore('keys');
    };
    request.onblocked = () => resolve('blocked');
    request.onsuccess = () => { request.result.close(); resolve('upgraded'); };
    request.onerror = () => resolve('failed: ' + request.error.name);
  }),
  // Holds this tab's key generations until openGate() (counted as count() does).
  gate: () => {
    const generate = crypto.subtle.generateKey.bind(crypto.subtle);
    const gated = new Promise((resolve) => { globalThis.openGate = resolve; });
    crypto.subtle.generateKey = async (...a) => { generated += 1; await gated; return generate(...a); };
  },
  openGate: () => globalThis.openGate(),
  start: async (o) => (await clientOf(o, await loadBrowserDpopKeyPair()).startSignIn()).url.href,
  finish: (o, callbackUrl) => outcome(async () => {
    const client = clientOf(o, await loadBrowserDpopKeyPair());
    const result = await client.finishSignIn(callbackUrl);
    await client.credential(result, { storage: storage() }).getAccessToken();
    return result.tokens.dpopJkt;
  }),
  call: (o, path) => outcome(async () => {
    const pair = await loadBrowserDpopKeyPair();
    const credential = await clientOf(o, pair).restoreCredential({ storage: storage() });
    if (credential === undefined) return 'no credential';
    return { jkt: await thumbprint(pair), status: (await createOktaFetch({ credential })(path)).status };
  }),
  delete: (o) => outcome(() => deleteBrowserDpopKeyPair(o)),
  // What a script of the page can do with the private key: sign, never export.
  exported: async () => {
    const { privateKey } = await loadBrowserDpopKeyPair();
    return [privateKey.extractable, await crypto.subtle.exportKey('jwk', privateKey).then(() => 'exported', (e) => e.name)];
  },
};`;

interface PageClient {
  readonly orgUrl: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}
interface IdbAppGlobal {
  idbApp: {
    load(o?: object): Promise<string>;
    startLoad(): void;
    settled(): Promise<string>;
    count(): void;
    counts(): { generated: number; reads: number };
    hold(): Promise<void>;
    release(): void;
    put(name: string, value: unknown): Promise<void>;
    plant(name: string): Promise<boolean>;
    upgrade(version: number, keepStore: boolean): Promise<string>;
    gate(): void;
    openGate(): void;
    start(o: PageClient): Promise<string>;
    finish(o: PageClient, callbackUrl: string): Promise<string>;
    call(o: PageClient, path: string): Promise<{ jkt: string; status: number } | string>;
    delete(o?: object): Promise<string | undefined>;
    exported(): Promise<[boolean, string]>;
  };
}
const loadIn = (tab: Page, o?: object): Promise<string> => tab.evaluate((options) => (globalThis as unknown as IdbAppGlobal).idbApp.load(options ?? undefined), o ?? null);

/** The file's one Chromium: each test has a profile (its own IndexedDB) and an org of its own, and they run at once. */
const startApp = useSharedChromium();

/** An org of the test's own, the page, a DPoP-required SPA of the org whose callback is the page's, and a tab at `/`. */
async function started(test: TestContext): Promise<{ env: SignInOrg; browser: BrowserApp; client: PageClient; tab: Page }> {
  const env = await startSignInOrg(test);
  const browser = await startApp(test, script);
  const { clientId } = env.org.createSignInApp({ type: 'spa', redirectUris: [`${browser.origin}/callback`], scopes: ['okta.users.read'], requireDpop: true });
  return { env, browser, client: { orgUrl: env.org.url, clientId, scopes }, tab: await browser.open('/', 'idbApp') };
}

// Seven Chromium tests at once on CI's two busy cores took up to 20.7 s (the package's 20 s default): a safety net, as the other browser files give theirs.
describe.concurrent('loadBrowserDpopKeyPair in Chromium', { timeout: 90_000 }, () => {
  it('keeps the key across a reload: the restored DPoP tokens answer 200 with no new sign-in; after delete, a new key under which the stored tokens are not restored', async (test) => {
    const { expect } = test;
    const { env, client, tab } = await started(test);
    const thumbprint = await loadIn(tab);
    expect(thumbprint).toMatch(/^[\w-]{43}$/);
    const url = await tab.evaluate((o) => (globalThis as unknown as IdbAppGlobal).idbApp.start(o), client);
    const callbackUrl = await fillSignInForm(new URL(url), login, password);
    expect(await tab.evaluate(([o, c]) => (globalThis as unknown as IdbAppGlobal).idbApp.finish(o, c), [client, callbackUrl] as const)).toBe(thumbprint);

    env.org.resetCounters();
    await tab.reload();
    await tab.waitForFunction(() => 'idbApp' in globalThis);
    const call = (): Promise<{ jkt: string; status: number } | string> => tab.evaluate(([o, p]) => (globalThis as unknown as IdbAppGlobal).idbApp.call(o, p), [client, env.userPath] as const);
    expect(await call()).toEqual({ jkt: thumbprint, status: 200 });
    expect(env.org.counters().tokenRequests).toEqual({});
    expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.exported())).toEqual([false, 'InvalidAccessError']);

    expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.delete())).toBeUndefined();
    env.org.resetCounters();
    await tab.reload();
    await tab.waitForFunction(() => 'idbApp' in globalThis);
    const fresh = await loadIn(tab);
    expect(fresh).toMatch(/^[\w-]{43}$/);
    expect(fresh).not.toBe(thumbprint);
    // Tokens of the deleted key are not restored (the user signs in again); storage keeps them (another tab may hold the key).
    expect(await call()).toBe('no credential');
    expect(env.org.counters().requests).toEqual({});
  });

  it('two tabs that both find no key at first load end with one: the key stored first', async (test) => {
    const { expect } = test;
    const { browser, tab: holder } = await started(test);
    const tabs = [await browser.open('/', 'idbApp'), await browser.open('/', 'idbApp')];
    for (const tab of tabs) await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.count());
    await holder.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.hold());
    for (const tab of tabs) await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.startLoad());
    // Both tabs' first reads wait behind the holder's transaction: they see the store before either tab adds.
    await until(async () => {
      for (const tab of tabs) if ((await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.counts())).reads < 1) return false;
      return true;
    }, 'both tabs reading', 20, test);
    await holder.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.release());
    const loaded = await Promise.all(tabs.map((tab) => tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.settled())));
    for (const tab of tabs) expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.counts())).toEqual({ generated: 1, reads: 1 });
    expect(loaded[0]).toMatch(/^[\w-]{43}$/);
    expect(loaded[1]).toBe(loaded[0]);
    expect(await loadIn(holder, { name: 'race' })).toBe(loaded[0]);
  });

  it('refuses a stored value that is no pair for the algorithm, naming the fix, and keeps it', async (test) => {
    const { expect } = test;
    const { tab } = await started(test);
    const es256 = await loadIn(tab, { name: 'app' });
    expect(await loadIn(tab, { name: 'app', dpopAlgorithm: 'ES384' })).toMatch(/^failed: INVALID_CONFIG: .*"app" something that is not a DPoP key pair for ES384.*deleteBrowserDpopKeyPair\(\{ name: 'app' \}\)/);
    expect(await loadIn(tab, { name: 'app' })).toBe(es256);
    await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.put('other', { privateKey: 'x', publicKey: 'y' }));
    expect(await loadIn(tab, { name: 'other' })).toMatch(/^failed: INVALID_CONFIG: .*"other" something that is not a DPoP key pair for ES256/);
    expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.delete({ name: 'other' }))).toBeUndefined();
    expect(await loadIn(tab, { name: 'other' })).toMatch(/^[\w-]{43}$/);
  });

  it('refuses a stored pair whose private key can be exported (a script of the page planted it, keeping a copy), and keeps it', async (test) => {
    const { expect } = test;
    const { tab } = await started(test);
    expect(await loadIn(tab, { name: 'app' })).toMatch(/^[\w-]{43}$/); // the database and its store made
    expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.plant('planted'))).toBe(true);
    expect(await loadIn(tab, { name: 'planted' })).toMatch(/^failed: INVALID_CONFIG: .*"planted" something that is not a DPoP key pair for ES256 .*private key can be exported.*deleteBrowserDpopKeyPair\(\{ name: 'planted' \}\)/);
    expect(await loadIn(tab, { name: 'planted' })).toMatch(/^failed: INVALID_CONFIG: /);
  });

  it.for([
    ['a later version with the key store (a later release, then a rollback)', true],
    ['a later version without the key store (another library)', false],
  ] as const)('opens the database at %s: the key is made, kept and loaded again', async ([, keepStore], test) => {
    const { expect } = test;
    const { tab } = await started(test);
    const first = await loadIn(tab);
    expect(await tab.evaluate((k) => (globalThis as unknown as IdbAppGlobal).idbApp.upgrade(3, k), keepStore)).toBe('upgraded');
    const loaded = await loadIn(tab);
    expect(loaded).toMatch(/^[\w-]{43}$/);
    if (keepStore) expect(loaded).toBe(first);
    expect(await loadIn(tab)).toBe(loaded);
    expect(await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.delete())).toBeUndefined();
  });

  it("never blocks another tab's upgrade of the database, and a load under way when it comes still ends with the stored key", async (test) => {
    const { expect } = test;
    const { browser, tab } = await started(test);
    await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.gate());
    await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.startLoad());
    await until(async () => (await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.counts())).generated === 1, 'the load generating its key', 20, test);
    const other = await browser.open('/', 'idbApp');
    expect(await other.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.upgrade(2, true))).toBe('upgraded');
    await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.openGate());
    const loaded = await tab.evaluate(() => (globalThis as unknown as IdbAppGlobal).idbApp.settled());
    expect(loaded).toMatch(/^[\w-]{43}$/);
    expect(await loadIn(other, { name: 'race' })).toBe(loaded);
  });
});
