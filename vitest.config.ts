import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests/reliability'],
    // At least two test files at once. Most files wait on sockets, child processes, redis-server,
    // Chromium and timers rather than on the CPU, and vitest's default (one worker per core but one)
    // ran them one at a time on a 2-core machine: 1,206 s for the run there, against 638 s with two
    // workers at the same machine load (2026-12-02, every test passing in both; docs/CONVENTIONS.md).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
