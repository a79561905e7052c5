// Runs contenders in one process, interleaved round by round (A B C D, then
// B C D A, …), so that a noisy neighbour slows every contender alike, and
// reports per-contender medians of client CPU time and wall time.
import { performance } from 'node:perf_hooks';
import { median } from './stats.mjs';

/**
 * @param {{ name: string, batch: (n: number) => Promise<void> }[]} contenders
 * @param {{ rounds: number, batchSize: number, warmupBatches?: number }} opts
 * @returns {Promise<Map<string, { cpuUsPerOp: number, wallUsPerOp: number, opsPerSec: number, samples: number }>>}
 */
export async function interleave(contenders, opts) {
  const { rounds, batchSize, warmupBatches = 1 } = opts;
  const samples = new Map(contenders.map((c) => [c.name, { cpu: [], wall: [] }]));
  for (let w = 0; w < warmupBatches; w++) {
    for (const c of contenders) await c.batch(batchSize);
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length];
      globalThis.gc?.();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await c.batch(batchSize);
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const s = samples.get(c.name);
      s.cpu.push((cpu.user + cpu.system) / batchSize);
      s.wall.push((wallMs * 1000) / batchSize);
    }
  }
  const out = new Map();
  for (const [name, s] of samples) {
    const wallUsPerOp = median(s.wall);
    out.set(name, { cpuUsPerOp: median(s.cpu), wallUsPerOp, opsPerSec: 1e6 / wallUsPerOp, samples: s.cpu.length });
  }
  return out;
}

/** Runs `fn` `n` times with at most `concurrency` calls in flight. */
export async function runConcurrent(n, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
}
