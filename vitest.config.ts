import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { configDefaults, defineConfig, type TestProjectInlineConfiguration, type UserWorkspaceConfig } from 'vitest/config';
import demo from './apps/demo/vitest.config.js';
import core from './packages/okta-auth-core/vitest.config.js';
import cli from './packages/okta-cli/vitest.config.js';
import emulator from './packages/okta-emulator/vitest.config.js';
import oauth from './packages/okta-oauth/vitest.config.js';
import ssws from './packages/okta-ssws/vitest.config.js';
import durableObject from './packages/okta-token-store-durable-object/vitest.config.js';
import redis from './packages/okta-token-store-redis/vitest.config.js';
import reliability from './tests/reliability/vitest.config.js';
import { isolatedTestFiles } from './vitest.isolated-files.js';

const packages: Record<string, UserWorkspaceConfig> = {
  'apps/demo': demo,
  'packages/okta-auth-core': core,
  'packages/okta-cli': cli,
  'packages/okta-emulator': emulator,
  'packages/okta-oauth': oauth,
  'packages/okta-ssws': ssws,
  'packages/okta-token-store-durable-object': durableObject,
  'packages/okta-token-store-redis': redis,
  'tests/reliability': reliability,
};

// A folder with a vitest.config.ts this list leaves out would never run its tests: say so, and run nothing.
const unlisted = ['apps', 'packages', 'tests']
  .flatMap((parent) => readdirSync(join(import.meta.dirname, parent)).map((name) => `${parent}/${name}`))
  .filter((dir) => existsSync(join(import.meta.dirname, dir, 'vitest.config.ts')) && !(dir in packages));
if (unlisted.length > 0) throw new Error(`vitest.config.ts: add ${unlisted.join(', ')} to its packages`);

/**
 * Each package's project twice: its files sharing a worker's modules (`isolate: false`), and its
 * `*.isolated.test.ts` files with a module registry each (vitest.isolated-files.js). Run on its own
 * (scripts/mutate.mjs, `vitest` in a package's folder), a package's config keeps vitest's default.
 */
const projects: TestProjectInlineConfiguration[] = Object.entries(packages).flatMap(([dir, config]) => {
  const root = join(import.meta.dirname, dir);
  const test = config.test ?? {};
  return [
    { ...config, root, test: { ...test, exclude: [...configDefaults.exclude, ...isolatedTestFiles], isolate: false } },
    { ...config, root, test: { ...test, name: `${typeof test.name === 'string' ? test.name : dir} (isolated)`, include: isolatedTestFiles, isolate: true } },
  ];
});

export default defineConfig({
  test: {
    projects,
    // At least three test files at once. Most files wait on sockets, child processes, redis-server,
    // Chromium and timers rather than on the CPU: on a 2-core machine the whole run took 845 s with
    // two workers (23% of the CPU idle) and 717 s with three (12% idle), back to back with nothing
    // else running, every test passing in both (2026-12-07; docs/CONVENTIONS.md, CI). vitest's
    // default (one worker per core but one) ran one file at a time there.
    maxWorkers: Math.max(3, availableParallelism() - 1),
  },
});
