// The page every browser runtime loads (Chromium, Firefox, WebKit): served from its own 127.0.0.1
// origin (a secure context, as a `data:` URL is not), it loads the browser bundle as a module
// and exposes runPortableSuite(fixture); the suite then calls the emulator cross-origin (CORS),
// as a single-page app would.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { nodeImportHint } from './bundle.mjs';

/** How long a page may take to load the suite. */
export const LOAD_TIMEOUT_MS = 15_000;

/**
 * Serves the page and `built.outfile` (the browser bundle) on 127.0.0.1; `close()` stops it.
 * A module that fails to load (an import the browser cannot resolve) fires the script's error
 * event, which sets `globalThis.suiteLoadFailed`.
 */
export async function serveSuitePage(built) {
  const script = readFileSync(built.outfile);
  const page = '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>okta-auth runtime tests</title>' +
    '<script type="module" src="/suite.js" onerror="globalThis.suiteLoadFailed = true"></script>';
  const server = createServer((req, res) => {
    if (req.url === '/suite.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * In the page (a driver's `waitForFunction`, so self-contained): `'loaded'`, `'failed'` (the
 * module did not load) or `undefined` while it is loading.
 */
export function suiteState() {
  if (typeof globalThis.runPortableSuite === 'function') return 'loaded';
  return globalThis.suiteLoadFailed === true ? 'failed' : undefined;
}

/**
 * Opens the page in `tab` (a playwright or puppeteer page, or webkit.mjs's WebDriver session: each has `goto` and `evaluate`) and
 * runs the suite with `fixture`. `waitForState()` is the driver's own wait for `suiteState`
 * (`waitForFunction`, whose arguments differ), resolving to its answer or undefined after
 * LOAD_TIMEOUT_MS; `problems` are the page's errors so far, for the failure message.
 */
export async function runSuiteInTab({ tab, url, built, fixture, problems, waitForState }) {
  await tab.goto(url);
  const state = await waitForState();
  if (state !== 'loaded') {
    const what = state === 'failed' ? 'could not load the suite' : `did not load the suite in ${LOAD_TIMEOUT_MS / 1000} s`;
    throw new Error(`the page ${what}\n${problems.join('\n')}${nodeImportHint(built)}`);
  }
  return tab.evaluate((f) => globalThis.runPortableSuite(f), fixture);
}
