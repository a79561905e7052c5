/**
 * The runtime matrix's browsers, when a program they need is not there (or not executable): Firefox
 * (tests/runtimes/runner/firefox.mjs) and WebKit (webkit.mjs: its driver, its MiniBrowser, Xvfb)
 * fail before anything starts, saying what is missing and the command that installs it, in the
 * wording of scripts/provision.mjs (which installs the same packages) and of the Chromium launcher
 * (`chromium-launcher.server.test.ts`). A child process runs the runner's modules (plain .mjs,
 * outside this package's types) with the environment each case sets.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const runner = join(import.meta.dirname, '../../runtimes/runner');
const dir = mkdtempSync(join(tmpdir(), 'okta-runtimes-missing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const absent = join(dir, 'no-such-program');
const plain = join(dir, 'not-executable');
writeFileSync(plain, '#!/bin/sh\n');
chmodSync(plain, 0o644);
const empty = mkdtempSync(join(dir, 'path-'));

/** What `call` (an expression over the runner's module, awaited in a child with `env` added) threw: its message. */
function thrown(module: string, call: string, env: Record<string, string>): string {
  const script = `
    const runner = await import(${JSON.stringify(join(runner, module))});
    const message = await Promise.resolve().then(() => ${call}).then(() => 'nothing thrown', (error) => error.message);
    console.log(JSON.stringify(message));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as string;
}

// A fixture and bundles the runs never reach: a missing program is refused before the page is built.
const runWebkit = "runner.runWebkit({}, { browser: async () => { throw new Error('the bundle was built'); } })";

describe('a missing Firefox', () => {
  it.each([absent, plain])('is named with the command that installs it (%s)', (path) => {
    expect(thrown('firefox.mjs', 'runner.launchFirefox()', { FIREFOX_PATH: path })).toBe(
      `${path} is missing (Firefox runtime tests): install it with \`sudo apt-get install -y firefox-esr\` (Debian/Ubuntu), or set FIREFOX_PATH to a Firefox`,
    );
  });
});

describe('a missing WebKit', () => {
  it.each([absent, plain])('names the driver with the command that installs it (%s)', (path) => {
    expect(thrown('webkit.mjs', runWebkit, { WEBKIT_DRIVER_PATH: path })).toBe(
      `${path} is missing (WebKit runtime tests): install it with \`sudo apt-get install -y webkit2gtk-driver\` (Debian/Ubuntu), or set WEBKIT_DRIVER_PATH to a WebKitWebDriver`,
    );
  });

  it('names the browser, which the driver package brings', () => {
    expect(thrown('webkit.mjs', runWebkit, { WEBKIT_BROWSER_PATH: absent })).toBe(
      `${absent} is missing (WebKit runtime tests): install it with \`sudo apt-get install -y webkit2gtk-driver\` (Debian/Ubuntu), or set WEBKIT_BROWSER_PATH to a MiniBrowser`,
    );
  });

  it('names each missing program, Xvfb too, with one command for them all', () => {
    // A PATH of one empty folder: no Xvfb (the child is node by its absolute path).
    expect(thrown('webkit.mjs', runWebkit, { WEBKIT_DRIVER_PATH: absent, WEBKIT_BROWSER_PATH: plain, PATH: empty })).toBe(
      `${absent} is missing (WebKit runtime tests), ${plain} is missing (WebKit runtime tests), Xvfb is missing (the WebKit runtime's display): install them with \`sudo apt-get install -y webkit2gtk-driver xvfb\` (Debian/Ubuntu), or set WEBKIT_DRIVER_PATH to a WebKitWebDriver, or set WEBKIT_BROWSER_PATH to a MiniBrowser`,
    );
  });
});
