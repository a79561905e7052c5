import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';

/** Debian's chromium, driven by playwright-core. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Tab {
  readonly page: Page;
  /** Page errors seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** One page of a headless Chromium (playwright gives it a throw-away profile). */
export async function openChromium(): Promise<Tab> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems, close: () => browser.close() };
}
