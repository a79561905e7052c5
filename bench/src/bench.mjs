#!/usr/bin/env node
// `pnpm bench`: builds what it measures, runs every benchmark, each in a process of its own
// (ours and the alternatives in that process, interleaved, medians), writes
// bench/RESULTS.md and prints a summary. It never asserts a time.
//   --quick          fewer rounds and smaller bursts (a smoke run; not for RESULTS.md figures)
//   --no-footprint   skip the install-footprint step (it needs the npm registry)
//   --only=a,b       run only these: warm-ssws, warm-dpop, cold-start, churn, size, footprint, startup, fleet
//   --no-build       don't run the build first
//   --out=FILE       write the report elsewhere (default bench/RESULTS.md)
//   --report-only    re-render the report from the last run's data (bench/results/last-run.json)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { report } from './report.mjs';
import { fromJson, STEPS, toJson } from './steps.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const only = option('only')?.split(',');
const want = (name) => (only ? only.includes(name) : name !== 'footprint' || !flag('no-footprint'));
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = option('out') ?? fileURLToPath(new URL('../RESULTS.md', import.meta.url));

const lastRun = new URL('../results/last-run.json', import.meta.url);
const render = (data) => {
  const { markdown, summary } = report(data, { explanations: readFileSync(new URL('./explanations.md', import.meta.url), 'utf8') });
  writeFileSync(out, markdown);
  console.log(`\n${summary}\n\nwrote ${out}`);
};
if (flag('report-only')) {
  render(JSON.parse(readFileSync(lastRun, 'utf8'), fromJson));
  process.exit(0);
}

if (!flag('no-build')) {
  console.log('building the packages under test (turbo, cached)…');
  const r = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=@org/okta-bench^...', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  });
  if (r.status !== 0) console.log('the build failed: benchmarks of unbuilt packages will be skipped');
}

const started = performance.now();
const machine = {
  date: new Date().toISOString(),
  cpu: `${cpus()[0]?.model ?? 'unknown'} × ${cpus().length}`,
  memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  os: `${platform()} ${release()} ${arch()}`,
  node: process.version,
  loadAtStart: loadavg().map((l) => l.toFixed(2)).join(' '),
  mode: quick ? 'quick (smoke run)' : 'full',
};
const data = { machine };

const stepDir = mkdtempSync(join(tmpdir(), 'okta-bench-'));
for (const [id, label] of STEPS) {
  if (!want(id)) continue;
  const t0 = performance.now();
  process.stdout.write(`${label}… `);
  // Each step in a process of its own (steps.mjs says why); its output is its data.
  const file = join(stepDir, `${id}.json`);
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./step.mjs', import.meta.url)), id, file, ...(quick ? ['--quick'] : [])], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    data[id] = JSON.parse(readFileSync(file, 'utf8'), fromJson);
  } catch (error) {
    data[id] = { error: `the step's process ended (status ${String(r.status)}, signal ${String(r.signal)}) without its data: ${String(error)}` };
  }
  console.log(data[id].skipped ?? data[id].error?.split('\n')[0] ?? `${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
rmSync(stepDir, { recursive: true, force: true });
machine.durationSeconds = (performance.now() - started) / 1000;

mkdirSync(new URL('.', lastRun), { recursive: true });
writeFileSync(lastRun, JSON.stringify(data, toJson, 1));
render(data);
