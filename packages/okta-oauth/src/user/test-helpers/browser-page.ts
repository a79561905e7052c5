/**
 * A single-page app in headless Chromium (`@org/okta-test-utils/chromium`'s launcher) for the browser
 * tests: one page on 127.0.0.1 (a secure context, so Web Locks and crypto.subtle exist) that runs
 * `script`, this package's source bundled by esbuild, at every path (`/`, `/callback?…`). The one
 * launcher of this package's browser tests: their pages are `browser-sign-in.ts` (`signInApp`, the
 * redirect sign-in) and `token-page.ts` (`tokenApp`, a credential restored from Web Storage); and of
 * docs/MIGRATING.md's page, bundled against the built packages (tests/reliability's `readme-browser.ts`).
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromiumMissing, launchChromium, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { build } from 'esbuild';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, onTestFinished, type TestContext } from 'vitest';

/** The served app, and one browser to open its tabs in. */
export interface BrowserApp {
  /** The page's origin, `http://127.0.0.1:PORT`. */
  readonly origin: string;
  /** A browser profile (its tabs share `localStorage` and Web Locks). */
  readonly context: BrowserContext;
  /** Page errors (`page error: …`) seen in any tab. */
  readonly problems: string[];
  /** A new tab of `context` at `path`, once `ready` (a global the script defines) exists. */
  open(path: string, ready: string): Promise<Page>;
  /** A tab `opener` opens at `path` (`window.open`, so Chromium copies its `sessionStorage`), once `ready` exists. */
  openCopy(opener: Page, path: string, ready: string): Promise<Page>;
  /** An iframe appended to `tab` at `path` (`sandbox`: its tokens, or none), once `ready` exists in it. */
  openFrame(tab: Page, path: string, ready: string, sandbox?: readonly string[]): Promise<Frame>;
  close(): Promise<void>;
}

/** How the app is served and bundled; every field optional. */
export interface BrowserAppOptions {
  /** Headers of the page (every path but the script's). */
  readonly headers?: Record<string, string>;
  /** HTML of the page before its script (an app's own elements, such as a sign-out button). */
  readonly body?: string;
  /**
   * Where the script's imports resolve from, and with which export conditions: by default this package's
   * root and `@org/source` (its source); a folder and no conditions take the BUILT packages (`dist/`), as an
   * app's bundler finds them (docs/MIGRATING.md's page, tests/reliability's `readme-browser.ts`).
   */
  readonly resolve?: { readonly dir: string; readonly conditions: readonly string[] };
  /**
   * Where the app's browser profile comes from: by default a Chromium of its own (`launchChromium`,
   * closed with the app); {@link useSharedChromium} gives a new profile of one Chromium per file.
   */
  readonly launch?: () => Promise<Pick<LaunchedChromium, 'context' | 'problems' | 'close'>>;
}

/** Bundles already made in this test file, by script and resolution: the sources do not change while it runs. */
const bundles = new Map<string, Promise<string>>();

/** `script` bundled by esbuild for the page (once per file for the same script and resolution). */
function bundled(script: string, resolve: { readonly dir: string; readonly conditions: readonly string[] }): Promise<string> {
  const key = JSON.stringify([script, resolve.dir, resolve.conditions]);
  let code = bundles.get(key);
  if (code === undefined) {
    code = build({
      stdin: { contents: script, resolveDir: resolve.dir, loader: 'ts' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: [...resolve.conditions],
      write: false,
      logLevel: 'silent',
    }).then((bundle) => bundle.outputFiles[0]?.text ?? '');
    // A failed build is tried again by the next test.
    code.catch(() => bundles.delete(key));
    bundles.set(key, code);
  }
  return code;
}

/**
 * Waits until `ready`, a global the page's script defines, exists in `target` (a tab or a frame): once it has loaded (its
 * `load` event: the module script has run by then), one look; only when the script has not defined it yet, polling for it
 * (`waitForFunction`, whose first use in a page sets up Playwright's script there: 0.2 to 0.4 s a tab on 2 cores).
 */
async function readyIn(target: Page | Frame, ready: string): Promise<void> {
  await target.waitForLoadState('load');
  if (!(await target.evaluate((name) => name in globalThis, ready))) await target.waitForFunction((name) => name in globalThis, ready);
}

/**
 * Bundles `script` (a function of the page's origin: bundled once the server has its port), serves it and
 * launches Chromium.
 */
export async function startBrowserApp(script: string | ((origin: string) => string), options: BrowserAppOptions = {}): Promise<BrowserApp> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw missing;
  const { headers = {}, body = '', resolve = { dir: fileURLToPath(new URL('../../..', import.meta.url)), conditions: ['@org/source'] }, launch = launchChromium } = options;
  let code = '';
  const server = createServer((request, response) => {
    // A sandboxed frame (an opaque origin) loads the module script with CORS.
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' }).end(code);
    else response.writeHead(200, { 'content-type': 'text/html', ...headers }).end(`<!doctype html><meta charset="utf-8">${body}<script type="module" src="/app.js"></script>`);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const closeServer = (): Promise<void> => new Promise((closed) => server.close(() => closed()));
  const launched = await (async () => {
    code = await bundled(typeof script === 'string' ? script : script(origin), resolve);
    return launch();
  })().catch(async (error: unknown) => {
    await closeServer();
    throw error;
  });
  const { context, problems } = launched;
  return {
    origin,
    context,
    problems,
    async open(path, ready) {
      const page = await context.newPage();
      await page.goto(new URL(path, origin).href);
      await readyIn(page, ready);
      return page;
    },
    async openCopy(opener, path, ready) {
      const [copy] = await Promise.all([context.waitForEvent('page'), opener.evaluate((p) => void window.open(p), path)]);
      await readyIn(copy, ready);
      return copy;
    },
    async openFrame(tab, path, ready, sandbox) {
      await tab.evaluate(
        ([p, tokens]) => {
          const frame = document.createElement('iframe');
          if (tokens !== undefined) frame.sandbox.add(...tokens);
          frame.src = p;
          document.body.append(frame);
        },
        [path, sandbox] as const,
      );
      const frame = await (await tab.waitForSelector('iframe')).contentFrame();
      if (frame === null) throw new Error('no frame');
      await readyIn(frame, ready);
      return frame;
    },
    async close() {
      try {
        await launched.close();
      } finally {
        await closeServer();
      }
    },
  };
}

/** {@link startBrowserApp} for each test that calls it, closed after the test. */
export function useBrowserApp(): (script: string | ((origin: string) => string), options?: BrowserAppOptions) => Promise<BrowserApp> {
  let open: BrowserApp | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  return async (script, options) => (open = await startBrowserApp(script, options));
}

/**
 * {@link startBrowserApp} for tests of one file that run at once (`it.concurrent`): one Chromium
 * for the file (launched at the first start, closed after the file), and for each test its own page
 * server and browser profile (a new context: its own Web Storage, IndexedDB and Web Locks, its
 * own `problems`), closed when that test ends (the test context's `onTestFinished`).
 */
export function useSharedChromium(): (test: Pick<TestContext, 'onTestFinished'>, script: string | ((origin: string) => string), options?: BrowserAppOptions) => Promise<BrowserApp> {
  let chromium: Promise<LaunchedChromium> | undefined;
  afterAll(async () => {
    await (await chromium?.catch(() => undefined))?.close();
  });
  const launch = async (): Promise<Pick<LaunchedChromium, 'context' | 'problems' | 'close'>> => {
    const { browser } = await (chromium ??= launchChromium());
    if (browser === undefined) throw new Error('internal: launchChromium without a profile gives its browser');
    const context = await browser.newContext();
    const problems: string[] = [];
    context.on('page', (page) => page.on('pageerror', (error) => problems.push(`page error: ${error.message}`)));
    return { context, problems, close: () => context.close() };
  };
  return async (test, script, options = {}) => {
    const app = await startBrowserApp(script, { ...options, launch });
    test.onTestFinished(() => app.close());
    return app;
  };
}

/** {@link useSharedChromium} started from within the running test (vitest's `onTestFinished`), called as {@link useBrowserApp} is. */
export function useSharedBrowserApp(): (script: string | ((origin: string) => string), options?: BrowserAppOptions) => Promise<BrowserApp> {
  const shared = useSharedChromium();
  return (script, options) => shared({ onTestFinished }, script, options);
}
