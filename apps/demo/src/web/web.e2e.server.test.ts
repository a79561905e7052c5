import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN } from '../tour/demo-org.js';
import { bundleBrowserApp } from './bundle.js';
import { readWebConfig } from './config.js';
import { startWebDemo, type WebDemo } from './server.js';

// Debian's chromium, driven by playwright-core (.ci/run installs the package when it is missing).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

interface Tab {
  readonly page: Page;
  /** Page errors and console errors seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile (`--user-data-dir`). */
async function openChromium(): Promise<Tab> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'okta-demo-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // The emulator's pages have no favicon; the browser asks anyway.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  return {
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** From the app's first page to the emulator's sign-in page, and through it. */
async function signIn(page: Page, demo: WebDemo, login: string, password: string): Promise<void> {
  await page.goto(demo.url);
  await page.getByRole('button', { name: 'Sign in with Okta' }).click();
  await page.waitForURL((url) => url.origin === new URL(demo.page.orgUrl).origin);
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
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
}

async function signOutRevokes(page: Page, org: OktaEmulator): Promise<void> {
  const before = org.counters().requests;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('signed out');
  await expect.poll(() => page.getByRole('button', { name: 'Sign in with Okta' }).isVisible()).toBe(true);
  const after = org.counters().requests;
  // Both tokens revoked at the org, then the Okta session ended.
  expect((after['POST /oauth2/v1/revoke'] ?? 0) - (before['POST /oauth2/v1/revoke'] ?? 0)).toBe(2);
  expect((after['GET /oauth2/v1/logout'] ?? 0) - (before['GET /oauth2/v1/logout'] ?? 0)).toBe(1);
}

describe('pnpm demo:web in headless Chromium, on the emulator (no settings)', () => {
  let demo: WebDemo;
  let tab: Tab;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const browserScript = await bundleBrowserApp({ conditions: ['@org/source'], minify: false });
    demo = await startWebDemo({ config: { mode: 'emulator', port: 0 }, browserScript });
    cleanup.push(() => demo.close());
    tab = await openChromium();
    cleanup.unshift(() => tab.close());
  });

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('signs in on the emulator’s page, shows the profile and users, and signs out (tokens revoked)', async () => {
    const { login, password, org } = demo.emulator!;
    await signIn(tab.page, demo, login, password);
    await expectSignedIn(tab.page, login);
    await signOutRevokes(tab.page, org);
    expect(tab.problems).toEqual([]);
  });

  it('a wrong password shows an error on the sign-in page, and no sign-in happens', async () => {
    // Signed out above, the Okta session ended too: the sign-in page asks again.
    await signIn(tab.page, demo, demo.emulator!.login, 'not-the-password');
    await expect.poll(() => tab.page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/Sign-in failed/);
    expect(new URL(tab.page.url()).origin).toBe(new URL(demo.page.orgUrl).origin);
  });

  it('a callback with an error from Okta shows it on the app', async () => {
    await tab.page.goto(`${demo.url}callback?error=access_denied&error_description=The+user+said+no&state=x`);
    await expect.poll(() => tab.page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/Sign-in failed/);
    await expect.poll(() => tab.page.getByRole('button', { name: 'Sign in with Okta' }).isVisible()).toBe(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });
}

describe('pnpm demo:web with settings: an org and its SPA app (here, an emulator standing in for one)', () => {
  let org: OktaEmulator;
  let demo: WebDemo;
  let tab: Tab;
  const cleanup: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 30 } });
    cleanup.push(() => org.close());
    org.createUser({ ...DEMO_ADMIN, email: DEMO_ADMIN.login, admin: true });
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${String(port)}/callback`;
    const { clientId } = org.createSignInApp({
      type: 'spa',
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [`http://127.0.0.1:${String(port)}/`],
      scopes: ['okta.users.read'],
    });
    const config = readWebConfig({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_CLIENTID: clientId, OKTA_CLIENT_REDIRECTURI: redirectUri });
    const browserScript = await bundleBrowserApp({ conditions: ['@org/source'], minify: false });
    demo = await startWebDemo({ config, browserScript });
    cleanup.unshift(() => demo.close());
    tab = await openChromium();
    cleanup.unshift(() => tab.close());
  });

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('uses the org and app it is given (nothing created), signs in, lists users, signs out', async () => {
    expect(demo.emulator).toBeUndefined();
    expect(demo.page).toMatchObject({ orgUrl: org.url, redirectUri: `${demo.url}callback` });
    await signIn(tab.page, demo, DEMO_ADMIN.login, DEMO_ADMIN.password);
    await expectSignedIn(tab.page, DEMO_ADMIN.login);
    await signOutRevokes(tab.page, org);
    expect(tab.problems).toEqual([]);
  });
});
