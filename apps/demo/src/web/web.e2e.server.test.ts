import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { launchChromium, withChromium, type LaunchChromiumOptions, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { startOnFreePort } from '@org/okta-test-utils/free-port';
import type { ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../tour/demo-org.js';
import { bundleBrowserApp } from './bundle.js';
import { readWebConfig } from './config.js';
import { startWebDemo, type WebDemo } from './server.js';

// Debian's chromium, driven by playwright-core (`pnpm test` installs the package when it is missing: scripts/provision.mjs),
// launched by the tests' one launcher, `@org/okta-test-utils/chromium`.

/** The emulator's pages have no favicon; the browser asks anyway. */
const counted = (message: ConsoleMessage): boolean => !message.location().url.endsWith('/favicon.ico');

/** Headless Chromium with a fresh profile (`--user-data-dir`) and any further command-line switches; its page errors and console errors in `problems`. */
const chromiumOptions = (switches: readonly string[] = []): LaunchChromiumOptions => ({ switches, profile: true, consoleErrors: counted });

/** From the app's first page to the emulator's sign-in page, and through it. */
async function signIn(page: Page, demo: WebDemo, login: string, password: string): Promise<void> {
  await page.goto(demo.url);
  await page.getByRole('button', { name: 'Sign in with Okta' }).click();
  await page.waitForURL((url) => url.origin === new URL(demo.page.orgUrl).origin);
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Whether the element is entirely inside the window, without scrolling. */
function aboveTheFold(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
  });
}

/** The users table pages through Okta's Link: rel="next" cursor, forward and back. */
async function pagesThroughUsers(page: Page, total: number): Promise<void> {
  const rows = page.getByRole('table', { name: 'Users' }).locator('tbody tr');
  const pages = Math.ceil(total / 25);
  const seen = new Set<string>();
  for (let n = 1; n <= pages; n++) {
    await expect.poll(() => page.locator('#page-status').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Page ${String(n)}: `));
    const last = n === pages;
    expect(await page.locator('#page-status').textContent()).toContain(last ? 'the last page' : 'more pages follow');
    expect(await rows.count()).toBe(last ? total - 25 * (pages - 1) : 25);
    for (const login of await rows.locator('td:first-child').allTextContents()) seen.add(login);
    expect(await page.locator('#previous-page').isDisabled()).toBe(n === 1);
    expect(await page.locator('#next-page').isDisabled()).toBe(last);
    if (!last) await page.getByRole('button', { name: 'Next page →' }).click();
  }
  expect(seen.size).toBe(total);
  await page.getByRole('button', { name: '← Previous page' }).click();
  await expect.poll(() => page.locator('#page-status').textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^Page ${String(pages - 1)}: more pages follow`));
  expect(await rows.count()).toBe(25);
}

async function expectSignedIn(page: Page, login: string): Promise<void> {
  await expect.poll(() => page.locator('#welcome').textContent(), { timeout: 20_000 }).toBe('Signed in as Ada Admin');
  // The callback's code and state are gone from the address bar.
  expect(new URL(page.url()).pathname).toBe('/');
  expect(new URL(page.url()).search).toBe('');
  expect(await page.locator('#profile-login').textContent()).toBe(login);
  const rows = page.getByRole('table', { name: 'Users' }).locator('tbody tr');
  expect(await rows.count()).toBe(25);
  expect(await rows.first().locator('td').first().textContent()).toMatch(/@example\.com$/);
  // Sign-out is seen without scrolling, above the 25 users.
  expect(await aboveTheFold(page, '#sign-out')).toBe(true);
}

async function signOutRevokes(page: Page, org: OktaEmulator): Promise<void> {
  const before = org.counters().requests;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('signed out');
  await expect.poll(() => page.getByRole('button', { name: 'Sign in with Okta' }).isVisible(), { timeout: 20_000 }).toBe(true);
  const after = org.counters().requests;
  // Both tokens revoked at the org, then the Okta session ended.
  expect((after['POST /oauth2/v1/revoke'] ?? 0) - (before['POST /oauth2/v1/revoke'] ?? 0)).toBe(2);
  expect((after['GET /oauth2/v1/logout'] ?? 0) - (before['GET /oauth2/v1/logout'] ?? 0)).toBe(1);
}

/** The demo server on `config` and a Chromium tab, both closed (tab first) by `cleanup`. */
async function startDemoAndTab(config: Parameters<typeof startWebDemo>[0]['config'], cleanup: (() => Promise<void>)[]): Promise<{ demo: WebDemo; tab: LaunchedChromium }> {
  const browserScript = await bundleBrowserApp({ conditions: ['@org/source'], minify: false });
  const demo = await startWebDemo({ config, browserScript });
  cleanup.unshift(() => demo.close());
  const tab = await launchChromium(chromiumOptions());
  cleanup.unshift(() => tab.close());
  return { demo, tab };
}

describe('pnpm demo:web in headless Chromium, on the emulator (no settings)', () => {
  let demo: WebDemo;
  let tab: LaunchedChromium;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    ({ demo, tab } = await startDemoAndTab({ mode: 'emulator', port: 0 }, cleanup));
  });

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('signs in on the emulator’s page, shows the profile and users, pages through them, and signs out (tokens revoked)', async () => {
    const { login, password, org } = demo.emulator!;
    // The app says whom to sign in as; the emulator's sign-in page names the app and says it too.
    await tab.page.goto(demo.url);
    await expect.poll(() => tab.page.locator('#sign-in-as').textContent(), { timeout: 20_000 }).toBe(`This is a local emulated org: on its sign-in page, sign in as ${login} with password ${password}.`);
    await tab.page.getByRole('button', { name: 'Sign in with Okta' }).click();
    await tab.page.waitForURL((url) => url.origin === new URL(demo.page.orgUrl).origin);
    expect(await tab.page.locator('#app-name').textContent()).toBe('okta-auth web demo');
    expect(await tab.page.content()).not.toContain(demo.page.clientId);
    expect(await tab.page.locator('#sign-in-hint').textContent()).toContain(`sign in as ${login} with password ${password}`);
    await signIn(tab.page, demo, login, password);
    await expectSignedIn(tab.page, login);
    await pagesThroughUsers(tab.page, 62); // 60 seeded users, the admin and the org's seeded super admin
    expect(await aboveTheFold(tab.page, '#sign-out')).toBe(true);
    await signOutRevokes(tab.page, org);
    expect(tab.problems).toEqual([]);
  });

  it('a wrong password shows an error on the sign-in page, and no sign-in happens', async () => {
    // Signed out above, the Okta session ended too: the sign-in page asks again.
    await signIn(tab.page, demo, demo.emulator!.login, 'not-the-password');
    await expect.poll(() => tab.page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/Sign-in failed/);
    expect(new URL(tab.page.url()).origin).toBe(new URL(demo.page.orgUrl).origin);
  });

  // DNS rebinding, as a browser does it: evil.example resolves to 127.0.0.1, so its pages are same-origin with what answers there.
  it('a rebound name (evil.example → 127.0.0.1) gets 421 in Chromium: no page, and its script cannot read /config.json', async () => {
    await withChromium(chromiumOptions(['--host-resolver-rules=MAP evil.example 127.0.0.1']), async (rebound) => {
      const { port } = new URL(demo.url);
      const response = await rebound.page.goto(`http://evil.example:${port}/`);
      expect(response?.status()).toBe(421);
      expect(await rebound.page.locator('#app').count()).toBe(0);
      const config = await rebound.page.evaluate(async () => {
        const answer = await fetch('/config.json');
        return { status: answer.status, body: await answer.text() };
      });
      expect(config.status).toBe(421);
      expect(config.body).not.toContain(demo.emulator!.password);
      expect(config.body).not.toContain(demo.page.clientId);
    });
  });

  it('a callback with an error and a state no sign-in started shows the state error, never the description it carries', async () => {
    // Anyone can send a link to /callback: its text (a phishing line) must not be shown as Okta's.
    await tab.page.goto(`${demo.url}callback?error=access_denied&error_description=Call+1-800-PHISH+to+unlock&state=x`);
    await expect.poll(() => tab.page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/Sign-in failed.*state matches no sign-in in progress/);
    expect(await tab.page.getByRole('alert').textContent()).not.toContain('PHISH');
    await expect.poll(() => tab.page.getByRole('button', { name: 'Sign in with Okta' }).isVisible(), { timeout: 20_000 }).toBe(true);
  });
});

/** A user whose name is markup: rendered as HTML, it would run script (the CSP would block it, and say so on the console). */
const HOSTILE = {
  login: 'eve@example.com',
  password: 'Okta-Demo-2026!',
  firstName: '<img src=x onerror="document.title=\'xss\'">',
  lastName: '</td><script>document.title=\'xss\'</script>',
} as const;

describe('pnpm demo:web with settings: an org and its SPA app (here, an emulator standing in for one)', () => {
  let org: OktaEmulator;
  let demo: WebDemo;
  let tab: LaunchedChromium;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 30 } });
    cleanup.push(() => org.close());
    org.createUser({ ...DEMO_ADMIN, email: DEMO_ADMIN.login, admin: true });
    // Anyone may edit their own name on a real org: the page shows it as text, never as HTML.
    org.createUser({ ...HOSTILE, email: HOSTILE.login, admin: true });
    // Another test file may take the port before the demo listens on it: then again on another.
    // The redirect URIs are Okta's SPA wizard's path and one of the person's own, not the demo's defaults.
    ({ demo, tab } = await startOnFreePort((port) => {
      const redirectUri = `http://127.0.0.1:${String(port)}/login/callback`;
      const postLogoutRedirectUri = `http://127.0.0.1:${String(port)}/signed-out`;
      const { clientId } = org.createSignInApp({
        type: 'spa',
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [postLogoutRedirectUri],
        scopes: ['okta.users.read'],
      });
      const config = readWebConfig({
        OKTA_CLIENT_ORGURL: org.url,
        OKTA_CLIENT_CLIENTID: clientId,
        OKTA_CLIENT_REDIRECTURI: redirectUri,
        OKTA_CLIENT_POSTLOGOUTREDIRECTURI: postLogoutRedirectUri,
      });
      return startDemoAndTab(config, cleanup);
    }));
  });

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('uses the org and app it is given (nothing created), signs in, lists users, signs out', async () => {
    expect(demo.emulator).toBeUndefined();
    expect(demo.page).toMatchObject({ orgUrl: org.url, redirectUri: `${demo.url}login/callback`, postLogoutRedirectUri: `${demo.url}signed-out` });
    await signIn(tab.page, demo, DEMO_ADMIN.login, DEMO_ADMIN.password);
    await expectSignedIn(tab.page, DEMO_ADMIN.login);
    expect(await tab.page.locator('#sign-in-as').count()).toBe(0);
    await pagesThroughUsers(tab.page, 33); // 30 seeded users, the admin, Eve and the org's seeded super admin
    await signOutRevokes(tab.page, org);
    expect(tab.problems).toEqual([]);
  });

  it('says which token Okta did not revoke, and ends the Okta session only from the link', async () => {
    await signIn(tab.page, demo, DEMO_ADMIN.login, DEMO_ADMIN.password);
    await expectSignedIn(tab.page, DEMO_ADMIN.login);
    const logouts = (): number => org.counters().requests['GET /oauth2/v1/logout'] ?? 0;
    const before = logouts();
    // Okta refuses the first revocation, the refresh token's (signOut() revokes it first).
    org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 400, count: 1 });
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => tab.page.getByRole('alert').textContent(), { timeout: 20_000 }).toContain('Okta did not revoke every token');
    const alert = (await tab.page.getByRole('alert').textContent()) ?? '';
    expect(alert).toContain('Revoked: access token.');
    expect(alert).toMatch(/Not revoked \(it may stay valid until it expires\): refresh token \(/);
    expect(await tab.page.getByRole('button', { name: 'Sign in with Okta' }).isVisible()).toBe(true);
    expect(logouts()).toBe(before);
    await tab.page.getByRole('link', { name: 'End your Okta session' }).click();
    await expect.poll(() => tab.page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Your Okta session ended; a token Okta did not revoke');
    expect(logouts()).toBe(before + 1);
    expect(new URL(tab.page.url()).search).toBe('');
  });

  it('shows a user’s name that is markup as text: in the heading for the signed-in user, in the users table for everyone', async () => {
    tab.problems.length = 0; // the test above leaves the refused revocation's 400 on the console
    const title = await tab.page.title();
    await signIn(tab.page, demo, HOSTILE.login, HOSTILE.password);
    const name = `${HOSTILE.firstName} ${HOSTILE.lastName}`;
    await expect.poll(() => tab.page.locator('#welcome').textContent(), { timeout: 20_000 }).toBe(`Signed in as ${name}`);
    await tab.page.getByRole('button', { name: 'Next page →' }).click();
    await expect.poll(() => tab.page.locator('#page-status').textContent(), { timeout: 20_000 }).toMatch(/^Page 2: /);
    const row = tab.page.getByRole('row').filter({ hasText: HOSTILE.login });
    expect(await row.locator('td').allTextContents()).toEqual([HOSTILE.login, name, 'ACTIVE']);
    expect(await tab.page.locator('#app img, #app script').count()).toBe(0);
    expect(await tab.page.title()).toBe(title);
    expect(tab.problems).toEqual([]);
  });
});
