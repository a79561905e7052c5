/**
 * The runtime matrix's WebKit runner (tests/runtimes/runner/webkit.mjs): real WebKitGTK (Debian's
 * webkit2gtk-driver, its MiniBrowser under an Xvfb of the run's own) loads a page served from
 * 127.0.0.1, runs its `runPortableSuite(fixture)` over WebDriver classic and hands back what it
 * returned; a page whose module cannot load fails the run with that reason; either way no process
 * the run started (Xvfb, the driver, MiniBrowser and its web and network processes: one process
 * group each) is left. Without the driver, the runtime fails with the apt-get command to run
 * (`runtimes-missing.test.ts`, with Firefox's and Xvfb's).
 * A child process runs the runner's modules (plain .mjs, outside this package's types).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const runner = join(import.meta.dirname, '../../runtimes/runner');
const dir = mkdtempSync(join(tmpdir(), 'okta-webkit-runner-'));

interface Run {
  value?: { echoed: string; userAgent: string };
  error?: string;
  left: number[];
}

/** Runs each bundle (a file of `dir`) through runWebkit in turn; for each, what it returned or threw, and which of its process groups are left. */
function runAll(bundles: string[], env: Record<string, string> = {}): Run[] {
  const script = `
    const { runWebkit } = await import(${JSON.stringify(join(runner, 'webkit.mjs'))});
    const runs = [];
    for (const file of ${JSON.stringify(bundles)}) {
      const groupIds = [];
      const bundles = { browser: async () => ({ outfile: ${JSON.stringify(dir)} + '/' + file, nodeImports: [] }) };
      const run = await runWebkit({ word: 'from-the-fixture' }, bundles, { groupIds }).then((value) => ({ value }), (error) => ({ error: error.message }));
      const alive = (pid) => { try { return process.kill(-pid, 0); } catch { return false; } };
      runs.push({ ...run, left: groupIds.filter(alive) });
    }
    console.log(JSON.stringify(runs));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 240_000, env: { ...process.env, ...env } });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Run[];
}

describe('the WebKit runtime (WebKitGTK over WebDriver classic, under Xvfb)', () => {
  let runs: Run[];
  // One child for both pages (each run starts its own Xvfb, driver and browser); no bound tighter than the child's own.
  beforeAll(() => {
    writeFileSync(join(dir, 'loads.js'), 'globalThis.runPortableSuite = async (fixture) => ({ echoed: fixture.word, userAgent: navigator.userAgent });\n');
    writeFileSync(join(dir, 'broken.js'), "import 'node:fs';\nglobalThis.runPortableSuite = () => 'never';\n");
    runs = runAll(['loads.js', 'broken.js']);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs the page's suite with the fixture in WebKit and returns its result, leaving nothing running", () => {
    const [loads] = runs;
    expect(loads?.error).toBeUndefined();
    expect(loads?.value?.echoed).toBe('from-the-fixture');
    expect(loads?.value?.userAgent).toMatch(/AppleWebKit\/[\d.]+ .*Safari\//);
    expect(loads?.left).toEqual([]);
  });

  it('fails with the reason when the page cannot load the suite, leaving nothing running', () => {
    const [, broken] = runs;
    expect(broken?.error).toMatch(/^the page could not load the suite/);
    expect(broken?.left).toEqual([]);
  });
});
