#!/usr/bin/env node
// Runs the portable suite (tests/runtimes) on every runtime of the matrix:
// this Node.js, Node.js 20.19.0 and 24, Bun, Deno, workerd and headless Chromium. One line
// per runtime; totals in .test-results/runtimes.json; exit 1 if any failed.
// Builds nothing: run it after `pnpm build` (`pnpm test` does).
// `node scripts/test-runtimes.mjs deno workerd` runs only those runtimes.
import { main } from '../tests/runtimes/runner/main.mjs';

const only = process.argv.slice(2);
const ok = await main(only.length > 0 ? { only } : {});
process.exit(ok ? 0 : 1);
