#!/usr/bin/env node
// The one test command (README): builds the packages, runs every vitest
// project (unit, *.server.test.ts over real HTTP, browser tests in headless
// Chromium), then any extra suites, and ends with `tests: N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' };

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;
}

let passed = 0;
let failed = 0;
const problems = [];

if (run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']) !== 0) problems.push('build');

const vitestJson = join(results, 'vitest.json');
const vitestStatus = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
} else {
  failed += 1;
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
  }
  if (status !== 0) problems.push(suite);
}

if (problems.length > 0) console.log(`\nfailed steps: ${problems.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || failed > 0 ? 1 : 0);
