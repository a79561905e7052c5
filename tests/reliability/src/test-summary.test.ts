/**
 * The test command's last line on a hang (scripts/test.mjs through scripts/test-summary.mjs): a
 * vitest run the watchdog stops as hung still ends the command with `tests: N passed, M failed`,
 * each file still running counted failed, and a non-zero exit. The hang is real (a worker that never
 * yields, under scripts/vitest-watchdog.mjs), stopped on a clock this test moves the moment its
 * file's start line is seen, so it takes well under a second of quiet.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '@org/okta-test-utils';
import { afterAll, expect, it } from 'vitest';
import { countSuiteRun, countVitestRun, summary } from '../../../scripts/test-summary.mjs';
import { runVitest, runWatched } from '../../../scripts/vitest-watchdog.mjs';
import { readRuntimeLine, runtimeLine } from '../../runtimes/runner/runtime-line.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-summary-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it("a hung run: the test command's counting and last lines say the file failed, end with the tests: line, and exit 1", async () => {
  writeFileSync(join(dir, 'hang.config.mjs'), `export default { test: { globals: true, include: ['hang.test.mjs'], pool: 'forks' } };\n`);
  writeFileSync(join(dir, 'hang.test.mjs'), `test('never yields', () => { for (;;); });\n`);
  const progressFile = join(dir, 'hang-progress.jsonl');
  // The watchdog's clock: still until the file is seen started, then a quiet limit on at every look.
  const quietMs = 400;
  const clock = { ms: 0, step: 0 };
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const run = runVitest({ args: ['--root', dir, '--config', join(dir, 'hang.config.mjs')], cwd: root, env, progressFile, quietMs, now: () => (clock.ms += clock.step) });
  await until(() => existsSync(progressFile) && /"event":"start","file":"[^"]*hang\.test\.mjs"/.test(readFileSync(progressFile, 'utf8')), "the hung file's start line");
  clock.step = quietMs;
  const vitest = await run;
  expect(vitest.hang).toBeDefined();
  expect(vitest.status).not.toBe(0);

  // What scripts/test.mjs does with it: no report read (vitest was killed), the file still running counted failed.
  const counted = countVitestRun(vitest, join(dir, 'no-report.json'), 4);
  expect(counted).toMatchObject({ passed: 0, failed: 1 });
  expect(counted.notes[0]).toBe('vitest hung: no test finished for 4 min, so it was stopped. Still running (each counted as 1 failed):');
  expect(counted.notes[1]).toMatch(/^ {2}\S*hang\.test\.mjs \(no test finished\)$/);
  const { text, exitCode } = summary({ took: ['    1 s  vitest'], notes: counted.notes, problems: ['vitest'], passed: 12, failed: counted.failed });
  expect(text.endsWith('\nfailed steps: vitest\ntests: 12 passed, 1 failed\n')).toBe(true);
  expect(exitCode).toBe(1);
  // A hang with no file running still fails the command (1 failed), even with vitest's exit code 0.
  const none = countVitestRun({ status: 0, hang: { ...vitest.hang!, running: [] } }, join(dir, 'no-report.json'), 4);
  expect(none.failed).toBe(1);
  expect(summary({ took: [], notes: none.notes, problems: [], passed: 3, failed: none.failed })).toMatchObject({ exitCode: 1, text: expect.stringMatching(/\ntests: 3 passed, 1 failed\n$/) as string });
  // And these are what the test command runs: its vitest run counted by countVitestRun, its last lines and exit code summary's.
  const command = readFileSync(join(root, 'scripts/test.mjs'), 'utf8');
  expect(command).toContain('countVitestRun(vitest, vitestJson, quietMinutes)');
  expect(command).toMatch(/const \{ text, exitCode \} = summary\(\{ took, notes, problems, passed, failed \}\);\nprocess\.stdout\.write\(text\);\nprocess\.exit\(exitCode\);\n$/);
}, 90_000);

it("a hung runtime matrix (beside vitest): stopped by the same watchdog, the runtimes that ended counted, the one running counted failed, the tests: line and exit 1", async () => {
  // A matrix that prints its first runtime's line (as the matrix's runner writes it), then never
  // ends (a runtime waiting forever, its own bound not reached).
  const line = runtimeLine('node-1', 3, 0, 0.1);
  expect(line).toBe('runtime node-1: 3 passed, 0 failed (0.1 s)');
  writeFileSync(join(dir, 'matrix.mjs'), `console.log(${JSON.stringify(line)});\nsetInterval(() => {}, 60_000);\n`);
  const log = join(dir, 'runtimes.log');
  const quietMs = 400;
  const clock = { ms: 0, step: 0 };
  const run = runWatched({ command: process.execPath, args: [join(dir, 'matrix.mjs')], cwd: root, env: process.env, progressFile: log, output: log, quietMs, now: () => (clock.ms += clock.step) });
  await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('runtime node-1:'), "the matrix's first line");
  clock.step = quietMs;
  const matrix = await run;
  expect(matrix.hang).toBeDefined();
  expect(matrix.status).not.toBe(0);

  const counted = countSuiteRun('runtimes', matrix, join(dir, 'runtimes.json'), log, 4);
  expect(counted).toMatchObject({ passed: 3, failed: 1 });
  expect(counted.notes[0]).toBe('runtimes hung: nothing written for 4 min, so it was stopped. The runtimes that ended are counted, the one running as 1 failed. Its last line:');
  expect(counted.notes[1]).toBe('  runtime node-1: 3 passed, 0 failed (0.1 s)');
  const { text, exitCode } = summary({ took: [], notes: counted.notes, problems: ['runtimes'], passed: 12 + counted.passed, failed: counted.failed });
  expect(text.endsWith('\nfailed steps: runtimes\ntests: 15 passed, 1 failed\n')).toBe(true);
  expect(exitCode).toBe(1);
  // And the test command runs its matrix under that watchdog and counts it so.
  const command = readFileSync(join(root, 'scripts/test.mjs'), 'utf8');
  expect(command).toMatch(/runWatched\(\{ command: 'node', args: \[script\], cwd: root, env, progressFile: log, output: log, quietMs: quietMinutes \* 60_000 \}\)/);
  expect(command).toContain('countSuiteRun(suite, outcome, join(results, `${suite}.json`), log, quietMinutes)');
}, 60_000);

it('vitest that cannot be started (pnpm not found): no crash, counted as 1 failed, the tests: line and exit 1', async () => {
  const vitest = await runVitest({ args: [], cwd: root, env: { PATH: join(dir, 'no-such-dir') }, progressFile: join(dir, 'none-progress.jsonl'), quietMs: 60_000 });
  expect(vitest).toMatchObject({ status: 1, error: expect.stringMatching(/ENOENT/) as string });
  const counted = countVitestRun(vitest, join(dir, 'no-report.json'), 4);
  expect(counted).toEqual({ passed: 0, failed: 1, notes: [`vitest could not be started (${vitest.error ?? ''}): counted as 1 failed`] });
  expect(summary({ took: [], notes: counted.notes, problems: ['vitest'], passed: 0, failed: counted.failed })).toMatchObject({ exitCode: 1, text: expect.stringMatching(/\ntests: 0 passed, 1 failed\n$/) as string });
}, 30_000);

it("the runtime matrix's line: what its runner writes is what the test command reads back, and no other line counts", () => {
  expect(readRuntimeLine(runtimeLine('deno', 41, 2, 12.345))).toEqual({ passed: 41, failed: 2 });
  expect(readRuntimeLine(runtimeLine('chromium (browser)', 0, 1, 0))).toEqual({ passed: 0, failed: 1 });
  expect(readRuntimeLine('  ✗ runtime x: 3 passed, 0 failed (0.1 s)')).toBeUndefined();
  expect(readRuntimeLine('runtimes: 40 passed, 0 failed')).toBeUndefined();
  // The runner prints each runtime's line through runtimeLine, not a copy of its format.
  const runner = readFileSync(join(root, 'tests/runtimes/runner/main.mjs'), 'utf8');
  expect(runner).toContain('const line = runtimeLine(label, ');
  expect(runner).not.toMatch(/`runtime \$\{label\}:/);
});
