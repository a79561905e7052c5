#!/usr/bin/env node
// The one test command (README): provisions what the tests need from the
// machine (scripts/provision.mjs), builds the packages, runs every vitest
// project (unit, *.server.test.ts over real HTTP, browser tests in headless
// Chromium), then the runtime matrix, and ends with `tests: N passed, M failed`
// where every test that did not run and pass counts as failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { provision } from './provision.mjs';
import { countVitestReport } from './vitest-counts.mjs';
import { isQuietLimit, runVitest } from './vitest-watchdog.mjs';

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

if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) problems.push('build');
tookLine('build');

const vitestJson = join(results, 'vitest.json');
console.log(`\n$ pnpm exec vitest run (a run quiet for ${quietMinutes} min is stopped as hung)`);
const vitest = await runVitest({
  args: ['--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`],
  cwd: root,
  env,
  progressFile: join(results, 'vitest-progress.jsonl'),
  quietMs: quietMinutes * 60_000,
});
const vitestStatus = vitest.status;
tookLine('vitest');
if (vitest.hang) {
  const { running, processes } = vitest.hang;
  failed += Math.max(1, running.length);
  notes.push(
    `vitest hung: no test finished for ${quietMinutes} min, so it was stopped. Still running (each counted as 1 failed):`,
    ...running.map(({ file, lastTest }) => `  ${file}${lastTest ? ` (last finished: ${lastTest})` : ' (no test finished)'}`),
    ...(running.length === 0 ? ['  no test file (counted as 1 failed)'] : []),
    'Where its processes waited:',
    ...processes.map((line) => `  ${line}`),
    ...(vitest.hang.stacks.length > 0 ? ['Native stacks of the blocked Node.js processes (gdb):', ...vitest.hang.stacks] : ['(no native stacks: no Node.js process waited in a futex, or gdb is not on PATH)']),
  );
} else if (existsSync(vitestJson)) {
  const counts = countVitestReport(JSON.parse(readFileSync(vitestJson, 'utf8')));
  passed += counts.passed;
  failed += counts.failed;
  notes.push(...counts.notes);
  if (vitestStatus !== 0 && counts.failed === 0) {
    failed += 1;
    notes.push(`vitest exited ${vitestStatus} with no failed test in its report (an unhandled error): counted as 1 failed`);
  }
} else {
  failed += 1;
  notes.push('vitest wrote no report: counted as 1 failed');
}
if (vitestStatus !== 0) problems.push('vitest');

// Extra suites write { passed, failed } to .test-results/<name>.json.
for (const suite of ['runtimes']) {
  const script = join(root, 'scripts', `test-${suite}.mjs`);
  if (!existsSync(script)) continue;
  const status = run('node', [script]);
  const file = join(results, `${suite}.json`);
  if (existsSync(file)) {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    passed += counts.passed;
    failed += counts.failed;
  } else {
    failed += 1;
    notes.push(`${suite} wrote no results: counted as 1 failed`);
  }
  if (status !== 0) problems.push(suite);
  tookLine(suite);
}

console.log(`\ntime per part of the test command:\n${took.join('\n')}`);
if (notes.length > 0) console.log(`\n${notes.join('\n')}`);
if (problems.length > 0) console.log(`\nfailed steps: ${problems.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
