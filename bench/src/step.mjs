#!/usr/bin/env node
// One benchmark of steps.mjs in this process: `node step.mjs <id> <out.json> [--quick]`. Writes
// the step's data (or { error }) to out.json; bench.mjs starts one such process per step.
import { writeFileSync } from 'node:fs';
import { STEPS, toJson } from './steps.mjs';

const [id, out] = process.argv.slice(2);
const step = STEPS.find(([name]) => name === id);
let data;
try {
  if (!step || !out) throw new Error(`usage: node step.mjs <${STEPS.map(([name]) => name).join('|')}> <out.json> [--quick]`);
  data = await step[2](process.argv.includes('--quick'));
} catch (error) {
  data = { error: String(error?.stack ?? error) };
}
if (out) writeFileSync(out, JSON.stringify(data, toJson));
// Child servers and pools a benchmark left open must not keep the step alive.
process.exit(0);
