// Loads a workspace package if it is built, so a benchmark can say
// "not yet: …" instead of failing when a package is missing or unbuilt.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Imports `specifier`, or returns { missing: reason }. */
export async function tryImport(specifier) {
  try {
    return { module: await import(specifier) };
  } catch (error) {
    return { missing: `${specifier} could not be loaded (${String(error?.code ?? error?.message ?? error).split('\n')[0]})` };
  }
}

/** The directory of an installed package (resolved from bench/), even when its exports hide package.json. */
export function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = dirname(fileURLToPath(import.meta.resolve(name)));
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json');
      if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return dir;
      dir = dirname(dir);
    }
    throw new Error(`cannot find the directory of ${name}`);
  }
}

/** Whether a workspace package has been built (its `dist/index.js` exists). */
export function isBuilt(name) {
  try {
    return existsSync(join(packageDir(name), 'dist', 'index.js'));
  } catch {
    return false;
  }
}
