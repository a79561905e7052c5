/**
 * A single-page app in headless Chromium (playwright-core, /usr/bin/chromium) for the browser
 * tests: one page on 127.0.0.1 (a secure context, so Web Locks and crypto.subtle exist) that runs
 * `script`, this package's source bundled by esbuild, at every path (`/`, `/callback?…`).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

/** The served app, and one browser to open its tabs in. */
export interface BrowserApp {
  /** The page's origin, `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly browser: Browser;
  /** A browser profile (its tabs share `localStorage` and Web Locks). */
  readonly context: BrowserContext;
  /** Page errors seen in any tab. */
  readonly problems: string[];
  /** A new tab of `context` at `path`, once `ready` (a global the script defines) exists. */
  open(path: string, ready: string): Promise<Page>;
  close(): Promise<void>;
}

/** Bundles `script` (resolved from the package root, `@org/source` conditions), serves it and launches Chromium. */
export async function startBrowserApp(script: string, headers: Record<string, string> = {}): Promise<BrowserApp> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const bundle = await build({
    stdin: { contents: script, resolveDir: fileURLToPath(new URL('../../..', import.meta.url)), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@org/source'],
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((request, response) => {
    // A sandboxed frame (an opaque origin) loads the module script with CORS.
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end(code);
    else response.writeHead(200, { 'content-type': 'text/html', ...headers }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 30_000 });
  const context = await browser.newContext();
  const problems: string[] = [];
  context.on('page', (page) => page.on('pageerror', (error) => problems.push(error.message)));
  return {
    origin,
    browser,
    context,
    problems,
    async open(path, ready) {
      const page = await context.newPage();
      await page.goto(new URL(path, origin).href);
      await page.waitForFunction((name) => name in globalThis, ready);
      return page;
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
