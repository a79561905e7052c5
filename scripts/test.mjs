#!/usr/bin/env node
// The one test command (README): provisions what the tests need from the
// machine (scripts/provision.mjs), builds the packages, runs every vitest
// project (unit, *.server.test.ts over real HTTP, browser tests in headless
// Chromium) with the runtime matrix beside them, and ends with `tests: N passed, M failed`
// where every test that did not run and pass counts as failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { provision } from './provision.mjs';
import { countSuiteRun, countVitestRun, summary } from './test-summary.mjs';
import { isQuietLimit, runVitest, runWatched } from './vitest-watchdog.mjs';

// A run with no test finished for this long is hung (a worker blocked on a lock never reaches
// vitest's own timeouts); the slowest test file takes under a minute. A bad value stops here,
// before anything is removed, installed or run.
const quietMinutes = Number(process.env.TEST_HANG_MINUTES ?? 4);
if (!isQuietLimit(quietMinutes)) {
  console.error(`TEST_HANG_MINUTES must be a positive number of minutes, such as 4 (got ${JSON.stringify(process.env.TEST_HANG_MINUTES)}): no test was run`);
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

const root = new URL('..', import.meta.url).pathname;
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
// No colour in logs: vitest (tinyrainbow) turns colour on when FORCE_COLOR is set at all, even to '0'.
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NO_COLOR: '1' };
delete env.FORCE_COLOR;

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

// Each part's wall time, printed after it and together before the tests: line (docs/CONVENTIONS.md, CI).
const took = [];
let partStart = performance.now();
function tookLine(part) {
  const seconds = Math.round((performance.now() - partStart) / 1000);
  took.push(`${String(seconds).padStart(5)} s  ${part}`);
  console.log(`(${part} took ${seconds} s)`);
  partStart = performance.now();
}

let passed = 0;
let failed = 0;
const problems = [];
const notes = [];

const missing = provision();
if (missing.length > 0) problems.push(`missing ${missing.map((t) => t.apt).join(', ')}`);
tookLine('machine tools');

// The runtime matrix's runtimes (workerd among them, which the Durable Object store's vitest file runs too), installed
// into their cache beside the build on a first run: not in a vitest file's set-up (30 s), nor twice at once.
const installer = pathToFileURL(join(root, 'tests/runtimes/runner/install.mjs')).href;
const runtimesInstalled = new Promise((resolve) => {
  const child = spawn('node', ['-e', `import(${JSON.stringify(installer)}).then((m) => m.runtimesDir())`], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('error', () => resolve(1));
  child.on('close', (code) => resolve(code ?? 1));
});

if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) problems.push('build');
tookLine('build');
if ((await runtimesInstalled) !== 0) problems.push('runtimes install');
tookLine('runtimes install (beside the build, waited for after it)');

// Extra suites write { passed, failed } to .test-results/<name>.json. They run beside vitest, their
// output kept in .test-results/<name>.log and printed after it: the runtime matrix waits on its
// runtimes and browsers most of its 72 s (25 CPU s on 2026-12-03), and each of its runs starts its
// own emulator, redis-server and Xvfb on free ports, as vitest's files do (docs/CONVENTIONS.md, CI).
// Each runs under vitest's watchdog, its log its progress (a line per runtime): quiet for the same
// limit, it is stopped as hung (its runtimes' own bounds reach 15 min) and counted failed.
const suites = ['runtimes']
  .map((suite) => ({ suite, script: join(root, 'scripts', `test-${suite}.mjs`), log: join(results, `${suite}.log`) }))
  .filter(({ script }) => existsSync(script))
  .map(({ suite, script, log }) => {
    const started = performance.now();
    const run = runWatched({ command: 'node', args: [script], cwd: root, env, progressFile: log, output: log, quietMs: quietMinutes * 60_000 });
    return { suite, script, log, ended: run.then((outcome) => ({ outcome, seconds: Math.round((performance.now() - started) / 1000) })) };
  });

const vitestJson = join(results, 'vitest.json');
console.log(`\n$ pnpm exec vitest run (a run quiet for ${quietMinutes} min is stopped as hung)`);
const vitest = await runVitest({
  args: ['--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  cwd: root,
  env,
  progressFile: join(results, 'vitest-progress.jsonl'),
  quietMs: quietMinutes * 60_000,
});
tookLine('vitest');
const counted = countVitestRun(vitest, vitestJson, quietMinutes);
passed += counted.passed;
failed += counted.failed;
notes.push(...counted.notes);
if (vitest.status !== 0) problems.push('vitest');

for (const { suite, script, log, ended } of suites) {
  console.log(`\n$ node ${script} (run beside vitest, stopped if quiet for ${quietMinutes} min)`);
  const { outcome, seconds } = await ended;
  const counts = countSuiteRun(suite, outcome, join(results, `${suite}.json`), log, quietMinutes);
  if (existsSync(log)) process.stdout.write(readFileSync(log, 'utf8'));
  console.log(`(${suite} took ${seconds} s from its start beside vitest)`);
  passed += counts.passed;
  failed += counts.failed;
  notes.push(...counts.notes);
  if (outcome.status !== 0) problems.push(suite);
  tookLine(`${suite} (waited for after vitest)`);
}

const { text, exitCode } = summary({ took, notes, problems, passed, failed });
process.stdout.write(text);
process.exit(exitCode);
