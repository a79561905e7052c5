/**
 * The runtime matrix's install step (tests/runtimes/runner/install.mjs) on a machine without npm
 * on PATH (Debian's nodejs package leaves npm to a package of its own): the runtimes are not
 * installed, the error says npm is missing (it said "failed (exit null)" with no output), and the
 * cache keeps neither an install marker nor a staging directory, so the next run tries again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const install = join(import.meta.dirname, '../../runtimes/runner/install.mjs');
const cache = mkdtempSync(join(tmpdir(), 'okta-runtimes-cache-'));
const emptyPath = mkdtempSync(join(tmpdir(), 'okta-no-npm-'));
afterAll(() => {
  rmSync(cache, { recursive: true, force: true });
  rmSync(emptyPath, { recursive: true, force: true });
});

it('without npm on PATH, the install names what is missing and leaves the cache empty', () => {
  const script = `const { runtimesDir } = await import(${JSON.stringify(install)}); try { runtimesDir({ log: () => undefined }); } catch (error) { console.log(error.message); }`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { PATH: emptyPath, HOME: cache, OKTA_RUNTIMES_CACHE: cache },
    timeout: 30_000,
  });
  expect(child.stderr).toBe('');
  expect(child.stdout.trim()).toBe('npm is not on PATH: the runtimes are installed with npm, which comes with Node.js (on Debian, in the npm package)');
  expect(readdirSync(cache)).toEqual([]);
});
