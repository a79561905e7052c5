#!/usr/bin/env node
// Size budgets (run by .ci/run after the build): bundles each of OUR entry
// points (bench/entries/*.ts, esbuild browser ESM, minified, gzip -9) and
// fails when one is over its budget in bench/size-budgets.json.
// No network, no alternatives: those are measured by `pnpm bench`.
// `node src/size.mjs --update` rewrites the budgets at the measured size + 5%.
// Next to each budget it prints issue 17's goal (bench/src/goals.mjs) and how far
// the entry is from it: once an entry meets its goal, its budget can be set to it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { bundleSize } from './bundle.mjs';
import { ENTRIES, entryUrl } from './entries.mjs';
import { isBuilt } from './load.mjs';
import { ISSUE, SIZE_GOALS, sizeGoalGap } from './goals.mjs';

const budgetsUrl = new URL('../size-budgets.json', import.meta.url);
const budgets = existsSync(budgetsUrl) ? JSON.parse(readFileSync(budgetsUrl, 'utf8')) : {};
const update = process.argv.includes('--update');

let failed = 0;
const measured = {};
console.log(`entry                  gzip bytes   budget   used   goal (${ISSUE})`);
/** The goal column: the goal and the distance to it, or a dash for an entry without one. */
const goalColumn = (id, gzipBytes) => (SIZE_GOALS[id] === undefined ? '—' : `${String(SIZE_GOALS[id]).padStart(6)}  ${sizeGoalGap(gzipBytes, SIZE_GOALS[id])}`);
const metGoals = [];
const ours = ENTRIES.filter((e) => e.ours && existsSync(entryUrl(e)));
for (const id of Object.keys(budgets)) {
  if (!ours.some((e) => e.id === id)) {
    console.log(`${id.padEnd(22)} FAIL: has a budget but no entry file in bench/entries/`);
    failed++;
  }
}
for (const entry of ours) {
  const unbuilt = entry.needs.filter((name) => !isBuilt(name));
  if (unbuilt.length > 0) {
    console.log(`${entry.id.padEnd(22)} FAIL: ${unbuilt.join(', ')} not built (run pnpm build first)`);
    failed++;
    continue;
  }
  const size = await bundleSize(entryUrl(entry));
  if (!size.ok) {
    console.log(`${entry.id.padEnd(22)} FAIL: does not bundle: ${size.error}`);
    failed++;
    continue;
  }
  measured[entry.id] = size.gzipBytes;
  const budget = budgets[entry.id];
  if (budget === undefined) {
    console.log(`${entry.id.padEnd(22)} ${String(size.gzipBytes).padStart(10)}   (none)   FAIL: no budget in bench/size-budgets.json`);
    if (!update) failed++;
    continue;
  }
  const over = size.gzipBytes > budget;
  const pct = ((100 * size.gzipBytes) / budget).toFixed(0);
  console.log(`${entry.id.padEnd(22)} ${String(size.gzipBytes).padStart(10)} ${String(budget).padStart(8)}   ${pct.padStart(3)}%   ${goalColumn(entry.id, size.gzipBytes)}${over ? `   FAIL: over budget by ${size.gzipBytes - budget} bytes` : ''}`);
  if (SIZE_GOALS[entry.id] !== undefined && size.gzipBytes <= SIZE_GOALS[entry.id] && budget > SIZE_GOALS[entry.id]) metGoals.push(`"${entry.id}": ${SIZE_GOALS[entry.id]}`);
  if (over && !update) failed++;
}

if (metGoals.length > 0) console.log(`\nmeets its ${ISSUE} goal with a larger budget: set in bench/size-budgets.json ${metGoals.join(', ')}`);

if (update) {
  const next = Object.fromEntries(Object.entries(measured).map(([id, gz]) => [id, Math.ceil((gz * 1.05) / 10) * 10]));
  writeFileSync(budgetsUrl, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`\nbudgets written: ${JSON.stringify(next)}`);
} else if (failed > 0) {
  console.log(`\nsize budgets: ${failed} entr${failed === 1 ? 'y' : 'ies'} failed. A deliberate increase: raise its budget in bench/size-budgets.json (or run node bench/src/size.mjs --update) and say why in the commit.`);
  process.exit(1);
} else {
  console.log('\nsize budgets: all entries within budget');
}
