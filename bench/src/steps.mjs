// The benchmarks `pnpm bench` runs, in order. Each runs in a process of its own (step.mjs), so
// that one benchmark's heap, timers and JIT state do not weigh on the next: the warm DPoP ratios
// measured after the warm SSWS run in the same process read 0.03-0.14 higher than in a process of
// their own (bench/src/explanations.md §2). The contenders of one benchmark still share a process
// and run interleaved, so each ratio compares like with like.

/** [id, label, run(quick)]: run resolves with the step's data for the report. */
export const STEPS = [
  ['warm-ssws', 'warm path, API token', async (quick) => (await import('./warm-ssws.mjs')).warmSsws(quick ? { rounds: 5, batchSize: 60 } : { rounds: 61, batchSize: 200 })],
  ['warm-dpop', 'warm path, DPoP', async (quick) => (await import('./warm-dpop.mjs')).warmDpop(quick ? { rounds: 5, batchSize: 30 } : { rounds: 41, batchSize: 120 })],
  ['cold-start', 'cold start', async (quick) => (await import('./cold-start.mjs')).coldStart(quick ? { n: 100, timeoutMs: 30_000 } : { n: 1000, timeoutMs: 60_000 })],
  ['churn', 'token churn', async (quick) => (await import('./churn.mjs')).churn(quick ? { seconds: 4, lifetimeSeconds: 2 } : { seconds: 12, lifetimeSeconds: 3 })],
  ['size', 'bundle sizes', async () => (await import('./sizes.mjs')).sizes()],
  ['footprint', 'install footprint', async () => (await import('./footprint.mjs')).footprint()],
  ['startup', 'start-up', async (quick) => (await import('./startup.mjs')).startup(quick ? { rounds: 3 } : { rounds: 5 })],
  ['fleet', 'fleet on Redis', async (quick) => (await import('./fleet.mjs')).fleetBench(quick ? { size: 8, calls: 50, churnBursts: 6, warmRounds: 2 } : {})],
];

/** Maps survive the trip through JSON (last-run.json, a step's output). */
export const toJson = (_key, value) => (value instanceof Map ? { __map: [...value] } : value);
export const fromJson = (_key, value) => (value && typeof value === 'object' && Array.isArray(value.__map) ? new Map(value.__map) : value);
