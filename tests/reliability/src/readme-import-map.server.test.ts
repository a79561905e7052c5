/**
 * okta-oauth README's import map for a page served as unbundled ES modules ("Bundle the page"), as a user
 * serves it: the README's own `importmap` block in a page, the BUILT packages' `dist/` served under
 * `/node_modules/<name>/` from a loopback server, and a module importing `@org/okta-oauth/sign-in` and
 * `@org/okta-auth-core`, in headless Chromium. The map as written loads them (every bare name their files
 * import is in it, core's `internal` entry included); without that entry the page fails to load; and the
 * page makes over 100 module requests, as the README says.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { withChromium } from '@org/okta-test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { root } from './test-helpers/readme-run.js';

const readme = await readFile(join(root, 'packages/okta-oauth/README.md'), 'utf8');
const block = /```html\n(<script type="importmap">[\s\S]*?<\/script>)\n```/.exec(readme)?.[1];
if (block === undefined) throw new Error('packages/okta-oauth/README.md has no importmap block');
const folders: Readonly<Record<string, string>> = { '@org/okta-auth-core': 'packages/okta-auth-core', '@org/okta-oauth': 'packages/okta-oauth' };
const app = `import { createSignInClient } from '@org/okta-oauth/sign-in';
import { createOktaFetch } from '@org/okta-auth-core';
document.title = typeof createSignInClient + ' ' + typeof createOktaFetch;`;

/** Serves `map` and the app at `/`, and `/node_modules/@org/<package>/…` from the repository's packages; counts the module requests. */
async function serve(map: string) {
  const modules: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><link rel="icon" href="data:,">${map}<script type="module" src="/app.js"></script>`);
      return;
    }
    if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(app);
      return;
    }
    const name = Object.keys(folders).find((key) => path.startsWith(`/node_modules/${key}/`));
    const file = name === undefined ? undefined : normalize(join(root, folders[name] ?? '', path.slice(`/node_modules/${name}/`.length)));
    if (file === undefined || !file.startsWith(root) || !file.endsWith('.js')) {
      res.writeHead(404).end();
      return;
    }
    modules.push(path);
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, modules, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What the page's module set as its title (`function function` once both imports resolved), and the page's errors. */
async function load(map: string) {
  const served = await serve(map);
  try {
    return await withChromium({ consoleErrors: true }, async ({ page, problems }) => {
      await page.goto(`${served.origin}/`, { waitUntil: 'load' });
      return { title: await page.title(), problems, modules: served.modules.length };
    });
  } finally {
    await served.close();
  }
}

describe("okta-oauth README's import map for unbundled ES modules", () => {
  it('loads @org/okta-oauth/sign-in and core in Chromium, in over 100 module requests', { timeout: 60_000 }, async () => {
    const { title, problems, modules } = await load(block);
    expect([title, problems]).toEqual(['function function', []]);
    expect(modules).toBeGreaterThan(100);
  });

  it("fails to load without core's internal entry", { timeout: 60_000 }, async () => {
    const without = block.replace(/^.*"@org\/okta-auth-core\/internal".*\n/m, '');
    expect(without).not.toBe(block);
    const { title, problems } = await load(without);
    expect(title).toBe('');
    expect(problems.join('\n')).toContain('@org/okta-auth-core/internal');
  });
});
