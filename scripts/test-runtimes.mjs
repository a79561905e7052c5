#!/usr/bin/env node
// Runs the portable suite (tests/runtimes) on every runtime of the matrix:
// this Node.js, Node.js 20.19.0 and 24, Bun, Deno, workerd, Vercel's edge sandbox (edge-runtime), headless
// Chromium, headless Firefox and WebKitGTK (under Xvfb). One line per runtime; totals in .test-results/runtimes.json; exit
// 1 if any failed. Builds nothing: run it after `pnpm build` (`pnpm test` does).
// `node scripts/test-runtimes.mjs deno workerd` runs only those runtimes
// (ids: node, bun, deno, workerd, edge, chromium, firefox, webkit).
import { mkdirSync, writeFileSync } from 'node:fs';

const only = process.argv.slice(2);
try {
  const { main } = await import('../tests/runtimes/runner/main.mjs');
  const ok = await main(only.length > 0 ? { only } : {});
  process.exit(ok ? 0 : 1);
} catch (error) {
  // The runner itself failed (a package not built, the emulator did not start): one failure.
  console.error(error);
  const results = new URL('../.test-results/', import.meta.url);
  mkdirSync(results, { recursive: true });
  writeFileSync(new URL('runtimes.json', results), `${JSON.stringify({ passed: 0, failed: 1, error: String(error) })}\n`);
  console.log('runtimes: 0 passed, 1 failed');
  process.exit(1);
}
