// Runs contenders in one process, interleaved round by round (A B C D, then
// B C D A, …), so that a noisy neighbour slows every contender alike, and
// reports per-contender medians of client CPU time and wall time.
import { performance } from 'node:perf_hooks';
import { median } from './stats.mjs';

/**
 * @param {{ name: string, batch: (n: number) => Promise<void> }[]} contenders
 * @param {{ rounds: number, batchSize: number, warmupBatches?: number }} opts
 * @returns {Promise<Map<string, { cpuUsPerOp: number, wallUsPerOp: number, opsPerSec: number, samples: number, cpuByRound: number[] }>>}
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
    out.set(name, { cpuUsPerOp: median(s.cpu), wallUsPerOp, opsPerSec: 1e6 / wallUsPerOp, samples: s.cpu.length, cpuByRound: s.cpu });
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

/**
 * The ratio of two contenders' CPU per operation, paired by round (each
 * round's A ÷ the same round's B), as the median and the interquartile
 * range: robust to a load that changes between rounds.
 */
export function pairedRatio(a, b) {
  if (!a || !b) return undefined;
  const ratios = a.cpuByRound.map((x, i) => x / b.cpuByRound[i]).filter(Number.isFinite).sort((x, y) => x - y);
  const q = (p) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(p * (ratios.length - 1))))];
  return { median: median(ratios), p25: q(0.25), p75: q(0.75) };
}
