/**
 * The test command's hang watchdog (scripts/vitest-watchdog.mjs) on a real vitest run whose
 * worker blocks its event loop on a lock (`Atomics.wait`, a futex, as the one hang seen in CI):
 * vitest's own timeouts never fire there, and the watchdog must name the file and the last test
 * it finished, say where the worker waited, and kill every process of the run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVitest } from '../../../scripts/vitest-watchdog.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-watchdog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of this worker without vitest's own variables, which would confuse the inner run. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
}

function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('the test command under its watchdog', () => {
  it('stops a run whose worker is blocked on a lock, and names the file, its last test and the wait', async () => {
    // globals: the files live outside the repository, where `import 'vitest'` would not resolve.
    writeFileSync(join(dir, 'vitest.config.mjs'), `export default { test: { globals: true, include: ['*.test.mjs'], pool: 'forks', maxWorkers: 2 } };\n`);
    writeFileSync(join(dir, 'fine.test.mjs'), `test('passes', () => { expect(1).toBe(1); });\n`);
    writeFileSync(
      join(dir, 'blocked.test.mjs'),
      [
        `test('finishes first', () => { expect(1).toBe(1); });`,
        // Some I/O first (vitest sends finished tests every 100 ms), then a wait on a lock nobody releases.
        `test('then waits on a lock forever', async () => { await new Promise((r) => setTimeout(r, 1000)); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });`,
      ].join('\n'),
    );
    const progressFile = join(dir, 'progress.jsonl');
    const result = await runVitest({
      args: ['--root', dir, '--config', join(dir, 'vitest.config.mjs')],
      cwd: root,
      env: cleanEnv(),
      progressFile,
      quietMs: 15_000,
    });

    expect(result.status).not.toBe(0);
    expect(result.hang).toBeDefined();
    const hang = result.hang!;
    expect(hang.running).toHaveLength(1);
    expect(hang.running[0]!.file.endsWith('blocked.test.mjs')).toBe(true);
    expect(hang.running[0]!.lastTest).toBe('finishes first');
    // The progress lines show the other file ran to its end.
    expect(readFileSync(progressFile, 'utf8')).toMatch(/"event":"end","file":"[^"]*fine\.test\.mjs"/);
    // The blocked worker's main thread was seen waiting in the kernel's futex code.
    expect(hang.processes.some((line) => line.includes('main thread in futex'))).toBe(true);
    // Every process of the run is gone.
    const pids = hang.processes.map((line) => Number(line.split(' ')[0]));
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 90_000);

  it('leaves a run that finishes alone', async () => {
    writeFileSync(join(dir, 'ok.config.mjs'), `export default { test: { globals: true, include: ['fine.test.mjs'], pool: 'forks' } };\n`);
    const progressFile = join(dir, 'ok-progress.jsonl');
    const result = await runVitest({
      args: ['--root', dir, '--config', join(dir, 'ok.config.mjs')],
      cwd: root,
      env: cleanEnv(),
      progressFile,
      quietMs: 15_000,
    });
    expect(result).toEqual({ status: 0 });
    expect(existsSync(progressFile)).toBe(true);
  }, 90_000);
});
