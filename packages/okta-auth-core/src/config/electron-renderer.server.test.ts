// Electron's renderer with `nodeIntegration` (and a worker with `nodeIntegrationInWorker`) has Node's
// `process` (`versions.node`, `type: 'renderer'`) and Chromium's `fetch`: CORS, no `User-Agent`. Here a
// page in real Chromium given that `process` first, as Electron does, calls the emulator through core:
// a 429 waited out must be retried as in any browser (no `X-Okta-Retry-*`, outside Okta's CORS
// allow-list, so the retry's preflight would fail), the User-Agent sent in `X-Okta-User-Agent-Extended`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { launchChromium, type LaunchedChromium } from '@org/okta-test-utils/chromium';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = `
import { createOktaFetch } from './src/index.ts';
import { runtimeToken } from './src/config/runtime-globals.ts';
window.call = async (orgUrl, token) => {
  const okta = createOktaFetch({ credential: { kind: 'ssws', origin: orgUrl, authorize: async () => ({ authorization: 'SSWS ' + token }) } });
  try {
    const res = await okta('/api/v1/users?limit=1');
    return { status: res.status, runtime: runtimeToken() };
  } catch (error) {
    return { error: error.code, runtime: runtimeToken() };
  }
};`;

describe("Electron's renderer (Node's process, Chromium's fetch) in Chromium", () => {
  let org: OktaEmulator;
  let site: Server;
  let chromium: LaunchedChromium;
  let origin: string;
  beforeAll(async () => {
    // Okta refuses an API token from any page (the emulator's browserRules, FIDELITY CO5): this test is about
    // the retry of a 429 in a browser's fetch, so the org answers the page's SSWS call as it would a server's.
    org = await startEmulator({ browserRules: false });
    const bundle = await build({ stdin: { contents: script, resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'ts' }, bundle: true, format: 'esm', platform: 'browser', conditions: ['@org/source'], write: false, logLevel: 'silent' });
    const code = bundle.outputFiles[0]?.text ?? '';
    // What Electron gives a renderer with nodeIntegration: true, before any script of the page runs.
    const electron = "globalThis.process = { type: 'renderer', versions: { node: '22.20.0', electron: '39.0.0', chrome: '142.0.0.0' }, env: {} };";
    site = createServer((request, response) => {
      if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
      else response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><script>${electron}</script><script type="module" src="/app.js"></script>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${String((site.address() as AddressInfo).port)}`;
    chromium = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await chromium.close();
    await new Promise((resolve) => site.close(resolve));
    await org.close();
  });

  it('is a browser: a 429 waited out is retried (no X-Okta-Retry-For to fail its preflight)', async () => {
    const { page } = chromium;
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'call' in window);
    const token = org.createApiToken().token;
    const reset = Math.floor(Date.parse((await fetch(`${org.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${token}` } })).headers.get('date') ?? '') / 1000);
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': String(reset) }, count: 1 });
    const got = await page.evaluate(([url, t]) => (window as unknown as { call(u: string, t: string): Promise<unknown> }).call(url, t), [org.url, token] as const);
    expect(got).toEqual({ status: 200, runtime: 'browser' });
    expect(chromium.problems).toEqual([]);
  }, 30_000);
});
