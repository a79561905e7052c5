// Bundles the portable suite for the runtimes that load one file: a browser
// page (ESM for --platform=browser) and a workerd module worker. No Node
// polyfills: `node:*` stays an import, so a library that pulls one in fails
// in the runtime itself (a browser and workerd without nodejs_compat have none).
import { build } from 'esbuild';
import { join } from 'node:path';

export async function bundle({ entry, outfile, conditions }) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions,
    external: ['node:*'],
    logLevel: 'silent',
    legalComments: 'none',
  });
  return outfile;
}

export function bundles(packageDir, outDir) {
  return {
    browser: () => bundle({ entry: join(packageDir, 'src/entry-browser.js'), outfile: join(outDir, 'browser/suite.js'), conditions: ['browser'] }),
    workerd: () => bundle({ entry: join(packageDir, 'src/entry-worker.js'), outfile: join(outDir, 'workerd/worker.js'), conditions: ['workerd', 'worker', 'browser'] }),
  };
}
