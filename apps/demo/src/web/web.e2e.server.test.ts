import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBrowserApp } from './bundle.js';
import { startWebDemo, type WebDemo } from './server.js';

// Debian's chromium, driven by playwright-core (.ci/run installs the package when it is missing).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

describe('pnpm demo:web in headless Chromium, on the emulator', () => {
  let demo: WebDemo;
  let context: BrowserContext;
  let page: Page;
  const cleanup: (() => Promise<void> | void)[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    const browserScript = await bundleBrowserApp({ conditions: ['@org/source'], minify: false });
    demo = await startWebDemo({ config: { mode: 'emulator', port: 0 }, browserScript });
    cleanup.push(() => demo.close());
    const profile = mkdtempSync(join(tmpdir(), 'okta-demo-chromium-'));
    cleanup.push(() => {
      rmSync(profile, { recursive: true, force: true });
    });
    // A fresh profile (--user-data-dir) each run.
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
    cleanup.unshift(() => context.close());
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // The emulator's pages have no favicon; the browser asks anyway.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()} (${message.location().url})`);
    });
  });

  afterAll(async () => {
    for (const step of cleanup) await step();
  });

  it('signs in on the emulator’s page, shows the profile and users, and signs out (tokens revoked)', async () => {
    const login = demo.emulator!.login;
    await page.goto(demo.url);
    await page.getByRole('button', { name: 'Sign in with Okta' }).click();

    // The emulator's sign-in page, on the org's origin.
    await page.waitForURL((url) => url.origin === new URL(demo.page.orgUrl).origin);
    await page.getByLabel('Username').fill(login);
    await page.getByLabel('Password').fill(demo.emulator!.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back on the app: the profile, and users fetched from the browser with the user's token.
    await expect.poll(() => page.locator('#welcome').textContent(), { timeout: 15_000 }).toBe('Signed in as Ada Admin');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('#profile-login').textContent()).toBe(login);
    const rows = page.getByRole('table', { name: 'Users' }).locator('tbody tr');
    expect(await rows.count()).toBe(25);
    expect(await rows.first().locator('td').first().textContent()).toMatch(/@example\.com$/);

    const before = demo.emulator!.org.counters().requests;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('signed out');
    await expect.poll(async () => page.getByRole('button', { name: 'Sign in with Okta' }).isVisible()).toBe(true);
    const after = demo.emulator!.org.counters().requests;
    // Both tokens revoked at the org, then the Okta session ended.
    expect((after['POST /oauth2/v1/revoke'] ?? 0) - (before['POST /oauth2/v1/revoke'] ?? 0)).toBe(2);
    expect((after['GET /oauth2/v1/logout'] ?? 0) - (before['GET /oauth2/v1/logout'] ?? 0)).toBe(1);
    expect(problems).toEqual([]);
  });

  it('a wrong password shows an error on the sign-in page, and no sign-in happens', async () => {
    await page.goto(demo.url);
    await page.getByRole('button', { name: 'Sign in with Okta' }).click();
    await page.waitForURL((url) => url.origin === new URL(demo.page.orgUrl).origin);
    await page.getByLabel('Username').fill(demo.emulator!.login);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/Sign-in failed/);
    expect(new URL(page.url()).origin).toBe(new URL(demo.page.orgUrl).origin);
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
  });

  it('a callback with an error from Okta shows it on the app', async () => {
    await page.goto(`${demo.url}callback?error=access_denied&error_description=The+user+said+no&state=x`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/Sign-in failed/);
    await expect.poll(async () => page.getByRole('button', { name: 'Sign in with Okta' }).isVisible()).toBe(true);
  });
});
