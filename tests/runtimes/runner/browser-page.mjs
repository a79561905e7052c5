// The page every browser runtime loads (Chromium, Firefox): served from its own 127.0.0.1
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

/** The error for a page that did not load the suite (`state`: what `suiteState` said last, or undefined after the wait). */
export function loadError(state, problems, built) {
  const what = state === 'failed' ? 'could not load the suite' : `did not load the suite in ${LOAD_TIMEOUT_MS / 1000} s`;
  return new Error(`the page ${what}\n${problems.join('\n')}${nodeImportHint(built)}`);
}
