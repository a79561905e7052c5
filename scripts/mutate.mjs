// `pnpm mutate <package> [src/file.ts ...]`: mutation testing with StrykerJS, an occasional audit
// (docs/CONVENTIONS.md), not part of `pnpm test` or CI. Each package's `mutate.config.mjs` lists
// its target files and, for each, the test files that exercise it; only those tests run, one
// worker at a time (concurrency 1). Server tests import other packages' `dist/`: build first.
// The report is printed and written to `<package>/.stryker-tmp/<package>[-<target>].json`.
// A target may name lines, as Stryker takes them (`src/file.ts:10-40`): only those are mutated.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [name, ...picked] = process.argv.slice(2);
const dir = name ? resolve(import.meta.dirname, '..', 'packages', name) : '';
if (!name || !existsSync(resolve(dir, 'mutate.config.mjs'))) {
  console.error('usage: pnpm mutate <package with a mutate.config.mjs> [target file ...]');
  process.exit(2);
}
/** @type {Record<string, string[]>} */
const targets = (await import(pathToFileURL(resolve(dir, 'mutate.config.mjs')).href)).default;
/** A target's file, without the lines it may name (`src/file.ts:10-40`). */
const fileOf = (target) => target.replace(/:\d+(?::\d+)?-\d+(?::\d+)?$/, '');
const unknown = picked.filter((target) => !Object.hasOwn(targets, fileOf(target)));
if (unknown.length > 0) {
  console.error(`not a target of ${name}: ${unknown.join(', ')} (targets: ${Object.keys(targets).join(', ')})`);
  process.exit(2);
}
const mutate = picked.length > 0 ? picked : Object.keys(targets);
const tests = [...new Set(mutate.flatMap((target) => targets[fileOf(target)]))];

// The package's own vitest project, narrowed to the tests of the chosen targets (.mjs: no tsc or ESLint sees it).
const vitestConfig = resolve(dir, 'vitest.mutate.config.mjs');
await writeFile(
  vitestConfig,
  `// Written by scripts/mutate.mjs for one run, then deleted.\nimport base from './vitest.config.ts';\n` +
    `export default { ...base, test: { ...base.test, include: ${JSON.stringify(tests)} } };\n`,
);
process.chdir(dir);
const { Stryker } = await import('@stryker-mutator/core');
try {
  const results = await new Stryker({
    mutate,
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'vitest.mutate.config.mjs', related: false },
    coverageAnalysis: 'perTest',
    concurrency: 1,
    tempDirName: '.stryker-tmp',
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: `.stryker-tmp/${name}${picked.length === 1 ? `-${basename(fileOf(picked[0]), ".ts")}` : ""}.json` },
    clearTextReporter: { allowColor: false, logTests: false },
    timeoutMS: 5_000,
    thresholds: { high: 100, low: 0, break: null },
  }).runMutationTest();
  const count = (status) => results.filter((mutant) => mutant.status === status).length;
  console.log(
    `${name}: ${count('Killed') + count('Timeout')} killed, ${count('Survived')} survived, ` +
      `${count('NoCoverage')} no coverage (${mutate.join(', ')})`,
  );
} finally {
  await rm(vitestConfig, { force: true });
}
