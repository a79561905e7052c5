#!/usr/bin/env node
// `pnpm bench`: builds what it measures, runs every benchmark (ours and the
// alternatives in the same process run, interleaved, medians), writes
// bench/RESULTS.md and prints a summary. It never asserts a time.
//   --quick          fewer rounds and smaller bursts (a smoke run; not for RESULTS.md figures)
//   --no-footprint   skip the install-footprint step (it needs the npm registry)
//   --only=a,b       run only these: warm-ssws, warm-dpop, cold-start, churn, size, footprint, startup, fleet
//   --no-build       don't run the build first
//   --out=FILE       write the report elsewhere (default bench/RESULTS.md)
//   --report-only    re-render the report from the last run's data (bench/results/last-run.json)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { report } from './report.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const only = option('only')?.split(',');
const want = (name) => (only ? only.includes(name) : name !== 'footprint' || !flag('no-footprint'));
const root = fileURLToPath(new URL('../..', import.meta.url));
const out = option('out') ?? fileURLToPath(new URL('../RESULTS.md', import.meta.url));

const lastRun = new URL('../results/last-run.json', import.meta.url);
const toJson = (_key, value) => (value instanceof Map ? { __map: [...value] } : value);
const fromJson = (_key, value) => (value && typeof value === 'object' && Array.isArray(value.__map) ? new Map(value.__map) : value);
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

const steps = [
  ['warm-ssws', 'warm path, API token', async () => (await import('./warm-ssws.mjs')).warmSsws(quick ? { rounds: 5, batchSize: 60 } : { rounds: 61, batchSize: 200 })],
  ['warm-dpop', 'warm path, DPoP', async () => (await import('./warm-dpop.mjs')).warmDpop(quick ? { rounds: 5, batchSize: 30 } : { rounds: 41, batchSize: 120 })],
  ['cold-start', 'cold start', async () => (await import('./cold-start.mjs')).coldStart(quick ? { n: 100, timeoutMs: 30_000 } : { n: 1000, timeoutMs: 60_000 })],
  ['churn', 'token churn', async () => (await import('./churn.mjs')).churn(quick ? { seconds: 4, lifetimeSeconds: 2 } : { seconds: 12, lifetimeSeconds: 3 })],
  ['size', 'bundle sizes', async () => (await import('./sizes.mjs')).sizes()],
  ['footprint', 'install footprint', async () => (await import('./footprint.mjs')).footprint()],
  ['startup', 'start-up', async () => (await import('./startup.mjs')).startup(quick ? { rounds: 3 } : { rounds: 5 })],
  ['fleet', 'fleet on Redis', async () => (await import('./fleet.mjs')).fleetBench(quick ? { size: 8, calls: 50, churnBursts: 6, warmRounds: 2 } : {})],
];

for (const [id, label, run] of steps) {
  if (!want(id)) continue;
  const t0 = performance.now();
  process.stdout.write(`${label}… `);
  try {
    data[id] = await run();
  } catch (error) {
    data[id] = { error: String(error?.stack ?? error) };
  }
  console.log(data[id].skipped ?? data[id].error?.split('\n')[0] ?? `${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
machine.durationSeconds = (performance.now() - started) / 1000;

mkdirSync(new URL('.', lastRun), { recursive: true });
writeFileSync(lastRun, JSON.stringify(data, toJson, 1));
render(data);
