/**
 * The test command's hang watchdog (scripts/vitest-watchdog.mjs) on a real vitest run whose
 * worker blocks its event loop on a lock (`Atomics.wait`, a futex, as the one hang seen in CI):
 * vitest's own timeouts never fire there, and the watchdog must name the file and the last test
 * it finished, say where the worker waited, and kill every process of the run (one that left vitest's
 * process group too, as chromium does). A healthy run longer than the quiet limit is left alone, and
 * Ctrl-C still stops the command. The quiet time is read on a clock this file moves itself
 * (`fakeClock`): a quiet limit passes the moment the test has seen what should happen in it (a
 * worker blocked on its lock, a test finished), never after seconds of real time; one run keeps the
 * real clock (`Date.now`, the test command's), so that the default clock is seen to stop a hang too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '@org/okta-test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runVitest } from '../../../scripts/vitest-watchdog.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-watchdog-'));
afterAll(() => {
  // The detached process of the first test and the Ctrl-C test's worker, should the watchdog have left them running.
  for (const file of ['browser.pid', 'worker.pid', 'blocked.pid'].map((name) => join(dir, name))) {
    if (existsSync(file) && isAlive(Number(readFileSync(file, 'utf8')))) process.kill(Number(readFileSync(file, 'utf8')), 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of this worker without vitest's own variables, which would confuse the inner run. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
}

/**
 * Runs the inner project `<name>.config.mjs` of the temporary folder under the watchdog, its progress
 * in `<name>-progress.jsonl`; on the real clock unless given `now`. `settled` is set once it has ended.
 */
function runInner(name: string, quietMs = 15_000, now?: () => number): ReturnType<typeof runVitest> & { settled: boolean } {
  const run = runVitest({
    args: ['--root', dir, '--config', join(dir, `${name}.config.mjs`)],
    cwd: root,
    env: cleanEnv(),
    progressFile: join(dir, `${name}-progress.jsonl`),
    quietMs,
    now,
  });
  const handle = Object.assign(run, { settled: false });
  const settle = () => (handle.settled = true);
  void run.then(settle, settle);
  return handle;
}

/** The quiet limit on the test's clock: the watchdog then looks at the progress file every 100 ms of real time. */
const fakeQuietMs = 400;

/**
 * A clock the watchdog reads and only this test moves (`ms`); `looks` counts its reads, one per
 * look at the progress file, and each read moves it `step` on (0 until the test says otherwise).
 */
function fakeClock(): { ms: number; step: number; looks: number; now: () => number } {
  const clock = { ms: 0, step: 0, looks: 0, now: () => ((clock.looks += 1), (clock.ms += clock.step)) };
  return clock;
}

/** Resolves once the watchdog has looked at the progress file again after this call (two more reads: one look started after it). */
async function lookedAgain(clock: { looks: number }, run: { settled: boolean }): Promise<void> {
  const from = clock.looks;
  await until(() => clock.looks >= from + 2 || run.settled, 'the watchdog looking again');
}

/** The progress lines of `<name>-progress.jsonl` so far. */
function progressOf(name: string): string {
  const file = join(dir, `${name}-progress.jsonl`);
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Where the main thread of `pid` waits (the kernel's wchan; empty when it runs or has ended). */
function waitsIn(pid: number): string {
  try {
    return readFileSync(`/proc/${String(pid)}/wchan`, 'utf8');
  } catch {
    return '';
  }
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
    writeFileSync(join(dir, 'lock.config.mjs'), `export default { test: { globals: true, include: ['fine.test.mjs', 'blocked.test.mjs'], pool: 'forks', maxWorkers: 2 } };\n`);
    writeFileSync(join(dir, 'fine.test.mjs'), `test('passes', () => { expect(1).toBe(1); });\n`);
    writeFileSync(
      join(dir, 'blocked.test.mjs'),
      [
        // A process in its own group, as playwright starts chromium: the group kill misses it.
        `import { spawn } from 'node:child_process';`,
        `import { writeFileSync } from 'node:fs';`,
        `test('finishes first', () => { const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }); writeFileSync(${JSON.stringify(join(dir, 'browser.pid'))}, String(child.pid)); });`,
        // vitest sends finished tests at most every 100 ms and can drop the last send of a burst (its
        // throttle's trailing call, when the timer fires exactly 100 ms on), so the first test's end
        // might never leave the worker: annotate() sends what is pending and waits for the main
        // process. Some I/O first, and the annotation last, just before a wait on a lock nobody
        // releases: the watchdog's quiet time starts from the line it brings, so the worker is blocked
        // for all of it (with the I/O after it, a loaded CI run once saw the main thread not yet waiting).
        `test('then waits on a lock forever', async ({ annotate }) => { writeFileSync(${JSON.stringify(join(dir, 'blocked.pid'))}, String(process.pid)); await new Promise((r) => setTimeout(r, 1000)); await annotate('about to wait'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); });`,
      ].join('\n'),
    );
    const progressFile = join(dir, 'lock-progress.jsonl');
    const clock = fakeClock();
    const run = runInner('lock', fakeQuietMs, clock.now);
    // No quiet limit passes until the worker is seen blocked (its main thread in a futex, three looks
    // running, after the line its annotation brought and the other file's end): a worker on a machine
    // at load 30 may take seconds from its last line to the lock. From then on, every look of the
    // watchdog is a quiet limit later.
    let seen = 0;
    await until(() => {
      const pid = existsSync(join(dir, 'blocked.pid')) ? Number(readFileSync(join(dir, 'blocked.pid'), 'utf8')) : 0;
      const progress = progressOf('lock');
      const ready = pid > 0 && progress.includes('"name":"finishes first"') && /"event":"end","file":"[^"]*fine\.test\.mjs"/.test(progress) && waitsIn(pid).includes('futex');
      seen = ready ? seen + 1 : 0;
      return seen >= 3 || run.settled;
    }, 'the worker blocked on its lock');
    clock.step = fakeQuietMs;
    const result = await run;

    expect(result.status).not.toBe(0);
    expect(result.hang).toBeDefined();
    const hang = result.hang!;
    expect(hang.running).toHaveLength(1);
    expect(hang.running[0]!.file.endsWith('blocked.test.mjs')).toBe(true);
    expect(hang.running[0]!.lastTest).toBe('finishes first');
    // The progress lines show the other file ran to its end.
    expect(readFileSync(progressFile, 'utf8')).toMatch(/"event":"end","file":"[^"]*fine\.test\.mjs"/);
    // The blocked worker's main thread was seen waiting in the kernel's futex code.
    // (pnpm's main thread waits in a futex too, for its child: the line must be the worker's.)
    expect(hang.processes.some((line) => line.includes('workers/forks.js: main thread in futex'))).toBe(true);
    // gdb (provisioned by the test command) read the blocked worker's native stack: the main thread in Atomics.wait.
    const worker = hang.stacks.find((stack) => stack.split('\n')[0]!.includes('workers/forks.js'));
    expect(worker).toBeDefined();
    const mainThread = worker!.slice(worker!.indexOf('\nThread 1 ('));
    expect(mainThread).toMatch(/^\nThread 1 \(.*\n(#\d+ .*\n)*#\d+ .*FutexEmulation::Wait.*\n(#\d+ .*\n)*#\d+ .*Builtin_AtomicsWait/);
    // Its idle threads (libuv's pool, V8's platform) are counted, not printed.
    expect(worker).toMatch(/\n\(\d+ more threads waiting for work: /);
    expect(worker).not.toContain('threadpool.c');
    // No frame shows an argument's value (a char* argument would print the bytes it points at, a secret's too): gdb prints names only.
    expect(worker).toMatch(/\w=\.\.\./);
    expect(worker).not.toMatch(/\w=(?!\.\.\.)/);
    // Every process of the run is gone when the watchdog reports (it waits for the killed ones to end).
    expect(hang.processes.length).toBeGreaterThanOrEqual(3);
    const browser = Number(readFileSync(join(dir, 'browser.pid'), 'utf8'));
    expect(hang.processes.some((line) => line.startsWith(`${String(browser)} `))).toBe(true);
    // Each process named by its program: pnpm is not "the progress reporter" (an argument of it).
    expect(hang.processes.filter((line) => line.includes('vitest-progress'))).toEqual([]);
    expect(hang.processes.some((line) => /^\d+ [^ ]*pnpm[^ ]*: /.test(line))).toBe(true);
    expect(hang.processes.filter((line) => isAlive(Number(line.split(' ')[0])))).toEqual([]);
  }, 150_000);

  it('stops a hung run on the real clock too (the test command passes no clock): a file whose worker never yields, after quietMs', async () => {
    // A busy loop: vitest's own timeout never fires (the event loop never turns), and no gdb (no futex).
    writeFileSync(join(dir, 'spin.config.mjs'), `export default { test: { globals: true, include: ['spin.test.mjs'], pool: 'forks' } };\n`);
    writeFileSync(join(dir, 'spin.test.mjs'), `test('never yields', () => { for (;;); });\n`);
    // One second of real quiet after the file's start line: however slowly the worker gets to its loop, the file is running when it is stopped.
    const result = await runInner('spin', 1000);
    expect(result.status).not.toBe(0);
    expect(result.hang?.quietMs).toBe(1000);
    expect(result.hang?.running).toEqual([{ file: expect.stringMatching(/spin\.test\.mjs$/) as string }]);
    expect(result.hang?.processes.filter((line) => isAlive(Number(line.split(' ')[0])))).toEqual([]);
  }, 90_000);

  it('leaves a run that finishes alone', async () => {
    writeFileSync(join(dir, 'ok.config.mjs'), `export default { test: { globals: true, include: ['ok.test.mjs'], pool: 'forks' } };\n`);
    // Its own file: the test runs alone too (vitest -t).
    writeFileSync(join(dir, 'ok.test.mjs'), `test('passes', () => { expect(1).toBe(1); });\n`);
    const result = await runInner('ok');
    expect(result).toEqual({ status: 0 });
    expect(existsSync(join(dir, 'ok-progress.jsonl'))).toBe(true);
  }, 90_000);

  it('lets a run last longer than the quiet limit while its tests keep finishing', async () => {
    // Ten tests, each waiting for its go file: most of a quiet limit passes before each one finishes,
    // ten times the limit in all. Each test's annotation sends the one before's end at once (vitest's
    // throttle may otherwise hold it back until a next result).
    writeFileSync(join(dir, 'steady.config.mjs'), `export default { test: { globals: true, include: ['steady.test.mjs'], pool: 'forks' } };\n`);
    writeFileSync(
      join(dir, 'steady.test.mjs'),
      [
        `import { existsSync } from 'node:fs';`,
        `for (let i = 0; i < 10; i++) test(\`step \${i}\`, async ({ annotate }) => { await annotate('sends the step before'); while (!existsSync(${JSON.stringify(join(dir, 'go-'))} + i)) await new Promise((r) => setTimeout(r, 20)); }, 600_000);`,
      ].join('\n'),
    );
    const clock = fakeClock();
    const run = runInner('steady', fakeQuietMs, clock.now);
    const steps = () => progressOf('steady').match(/"event":"test"/g)?.length ?? 0;
    for (let i = 0; i < 10 && !run.settled; i++) {
      clock.ms += fakeQuietMs * 0.75;
      await lookedAgain(clock, run);
      writeFileSync(join(dir, `go-${String(i)}`), '');
      await until(() => steps() > i || run.settled, `step ${String(i)} finished`);
      await lookedAgain(clock, run);
    }
    expect(clock.ms).toBeGreaterThan(fakeQuietMs * 7);
    expect(await run).toEqual({ status: 0 });
    expect(steps()).toBe(10);
  }, 90_000);

  it('gives a slow start (no line yet) two minutes, not the quiet limit', async () => {
    // A global set-up that waits for its go file, as vitest starting on a loaded machine: no progress line before it ends.
    const [started, go] = [join(dir, 'slow-start.started'), join(dir, 'slow-start.go')];
    writeFileSync(
      join(dir, 'slow-start.setup.mjs'),
      `import { existsSync, writeFileSync } from 'node:fs';\nexport default async () => { writeFileSync(${JSON.stringify(started)}, ''); while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setTimeout(r, 20)); };\n`,
    );
    writeFileSync(
      join(dir, 'slow-start.config.mjs'),
      `export default { test: { globals: true, include: ['ok.test.mjs'], pool: 'forks', globalSetup: [${JSON.stringify(join(dir, 'slow-start.setup.mjs'))}] } };\n`,
    );
    writeFileSync(join(dir, 'ok.test.mjs'), `test('passes', () => { expect(1).toBe(1); });\n`);
    const clock = fakeClock();
    const run = runInner('slow-start', fakeQuietMs, clock.now);
    await until(() => existsSync(started) || run.settled, 'the global set-up started');
    // 119 s with no line, far past the quiet limit, seen by the watchdog; then the set-up ends.
    clock.ms += 119_000;
    await lookedAgain(clock, run);
    writeFileSync(go, '');
    expect(await run).toEqual({ status: 0 });
  }, 90_000);

  it('refuses a quiet limit that is not a positive number (TEST_HANG_MINUTES=abc) instead of stopping every run at once', async () => {
    const progressFile = join(dir, 'never.jsonl');
    for (const quietMs of [Number.NaN, 0, -60_000]) {
      await expect(runVitest({ args: [], cwd: root, env: cleanEnv(), progressFile, quietMs })).rejects.toThrow(/TEST_HANG_MINUTES/);
    }
    expect(existsSync(progressFile)).toBe(false);
  });

  it('the test command refuses TEST_HANG_MINUTES=abc with one line naming it and the tests: line, before it removes or runs anything', () => {
    for (const value of ['abc', '0', '-1', '']) {
      const run = spawnSync(process.execPath, [join(root, 'scripts/test.mjs')], { env: { ...cleanEnv(), TEST_HANG_MINUTES: value }, encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`TEST_HANG_MINUTES must be a positive number of minutes, such as 4 (got ${JSON.stringify(value)}): no test was run\n`);
      expect(run.stdout).toBe('tests: 0 passed, 1 failed\n');
    }
  });

  it('stops the run and the command on Ctrl-C, which reaches only the command (vitest is in its own process group)', async () => {
    writeFileSync(join(dir, 'slow.config.mjs'), `export default { test: { globals: true, include: ['slow.test.mjs'], pool: 'forks' } };\n`);
    const workerPid = join(dir, 'worker.pid');
    writeFileSync(
      join(dir, 'slow.test.mjs'),
      // Longer than this test may take: a worker left running is still there when the wait for its end below gives up.
      `import { writeFileSync } from 'node:fs';\ntest('runs for ten minutes', async () => { writeFileSync(${JSON.stringify(workerPid)}, String(process.pid)); await new Promise((r) => setTimeout(r, 600_000)); }, 900_000);\n`,
    );
    // The test command in small: the watchdog's run, then a next step that must not start.
    writeFileSync(
      join(dir, 'command.mjs'),
      [
        `import { runVitest } from ${JSON.stringify(join(root, 'scripts/vitest-watchdog.mjs'))};`,
        `await runVitest({ args: ['--root', ${JSON.stringify(dir)}, '--config', ${JSON.stringify(join(dir, 'slow.config.mjs'))}], cwd: ${JSON.stringify(root)}, env: process.env, progressFile: ${JSON.stringify(join(dir, 'slow-progress.jsonl'))}, quietMs: 60_000 });`,
        `console.log('went on after vitest');`,
      ].join('\n'),
    );
    // Its own process group, as a terminal's foreground job: Ctrl-C sends SIGINT to the whole group.
    const command = spawn(process.execPath, [join(dir, 'command.mjs')], { cwd: root, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    command.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => command.on('exit', (code, signal) => resolve({ code, signal })));
    while (!existsSync(workerPid) || readFileSync(workerPid, 'utf8') === '') await sleep(100);
    const worker = Number(readFileSync(workerPid, 'utf8'));
    expect(isAlive(worker)).toBe(true);
    process.kill(-command.pid!, 'SIGINT');

    // The command ends by the signal, as it did before the watchdog, without going on to its next step.
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(output).not.toContain('went on');
    // And the test worker it left behind is gone (killed, not still running its ten minutes), however
    // long a loaded machine takes to end it (50 looks 100 ms apart gave it 5 s): this test's timeout bounds the wait.
    await until(() => !isAlive(worker), 'the test worker gone');
    expect(isAlive(worker)).toBe(false);
  }, 90_000);
});
