/**
 * The runtime matrix's console scan in Firefox (tests/runtimes/runner/firefox.mjs, console-scan.mjs):
 * real headless Firefox (Debian's firefox-esr, puppeteer-core over WebDriver BiDi) on a page served
 * from 127.0.0.1 logs what the inspect case logs, and the scan must report a fixture secret the
 * console got (nested in an object, a Map's value) and a holder whose line never came. A private
 * field is what BiDi's serialization does not carry (README.md: what Firefox's scan cannot see).
 * A child process runs the runner's modules (plain .mjs, outside this package's types).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const runner = join(import.meta.dirname, '../../runtimes/runner');
const SECRET = 'inspectFirefoxConsoleScanSecret0123456789';
const HOLDERS = ['secret', 'userTokens', 'userCredential', 'signInClient', 'sswsCredential', 'serviceAppCredential', 'tokenStore', 'apiError', 'oauthError', 'logEvents'];

interface Scan {
  failures: { name: string; error: string }[];
  text: string;
}

/** Runs each page script in a page of its own, in one Firefox, and returns what the scan said of each page's console (and the text it scanned). */
function scanAll(pageScripts: string[]): Scan[] {
  const script = `
    import { createServer } from 'node:http';
    const { launchFirefox, bidiConsole } = await import(${JSON.stringify(join(runner, 'firefox.mjs'))});
    const { consoleFailures } = await import(${JSON.stringify(join(runner, 'console-scan.mjs'))});
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>scan</title>'));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fixture = { inspectSecret: ${JSON.stringify(SECRET)}, ssws: { token: 'ssws-token-not-logged-0123456789', revokedToken: 'ssws-revoked-not-logged-0123456789' }, oauth: {} };
    const browser = await launchFirefox();
    try {
      const scans = [];
      for (const pageScript of ${JSON.stringify(pageScripts)}) {
        const tab = await browser.newPage();
        const logs = bidiConsole(tab);
        await tab.goto('http://127.0.0.1:' + server.address().port + '/');
        await tab.evaluate(pageScript);
        const text = await logs.text();
        scans.push({ failures: consoleFailures(text, fixture), text });
        await tab.close();
      }
      console.log(JSON.stringify(scans));
    } finally {
      await browser.close();
      server.close();
    }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 240_000 });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Scan[];
}

/** The page's script: a console line per holder, `value` (an expression) for each. */
const logAll = (value: (name: string) => string, names = HOLDERS) =>
  names.map((name) => `console.log('okta-inspect-case', ${JSON.stringify(name)}, ${value(name)});`).join('\n');

const leaked = /^the console got 1 of the fixture's secrets/;

describe("Firefox's console scan (WebDriver BiDi)", () => {
  let scans: Record<'nested' | 'mapped' | 'clean' | 'missing' | 'privateField', Scan>;
  // One Firefox for every page (a launch takes seconds); no bound tighter than the child's own.
  beforeAll(() => {
    const pages = {
      nested: logAll((name) => (name === 'userTokens' ? `{ accessToken: { value: ${JSON.stringify(`${SECRET}Access`)} } }` : '{ shown: true }')),
      mapped: logAll((name) => (name === 'tokenStore' ? `new Map([['app', { refreshToken: ${JSON.stringify(`${SECRET}Refresh`)} }]])` : 'new Set([1])')),
      clean: logAll(() => '{ shown: true }'),
      missing: logAll(() => '{}', HOLDERS.filter((name) => name !== 'oauthError')),
      privateField: `class Holder { #value = ${JSON.stringify(`${SECRET}Private`)}; shown = 'yes'; }\n${logAll(() => 'new Holder()')}`,
    };
    const results = scanAll(Object.values(pages));
    scans = Object.fromEntries(Object.keys(pages).map((key, i) => [key, results[i]])) as typeof scans;
  }, 300_000);

  it('reports a secret nested in a logged object or held in a Map, and passes the same lines without it', () => {
    expect(scans.nested.failures).toEqual([{ name: 'console', error: expect.stringMatching(leaked) as unknown }]);
    expect(scans.mapped.failures).toEqual([{ name: 'console', error: expect.stringMatching(leaked) as unknown }]);
    expect(scans.clean.failures).toEqual([]);
    expect(scans.clean.text).toMatch(/^okta-inspect-case oauthError object$/m);
  });

  it('reports a holder whose console line never came', () => {
    expect(scans.missing.failures).toEqual([{ name: 'console', error: "the console never got the inspect case's line for oauthError: the case did not run to its end" }]);
  });

  it("does not see a private field (BiDi serializes own enumerable properties only), where Chromium's DevTools would", () => {
    expect(scans.privateField.failures).toEqual([]);
    expect(scans.privateField.text).toContain('"shown"');
  });
});
