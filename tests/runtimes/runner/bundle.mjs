// Bundles the portable suite for the runtimes that load one file: a browser
// page (ESM for --platform=browser) and a workerd module worker. No Node
// polyfills: `node:*` stays an import, so a library that pulls one in fails
// in the runtime itself (a browser and workerd without nodejs_compat have none).
import { build } from 'esbuild';
import { join } from 'node:path';

export async function bundle({ entry, outfile, conditions, external = [], format = 'esm' }) {
  const { metafile } = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    platform: 'browser',
    target: 'es2022',
    conditions,
    external: ['node:*', ...external],
    logLevel: 'silent',
    legalComments: 'none',
    metafile: true,
  });
  // Which file imports a Node.js built-in, for the failure message: the runtime's own error names only the module.
  const nodeImports = Object.entries(metafile.inputs).flatMap(([file, input]) =>
    input.imports.filter((i) => i.path.startsWith('node:')).map((i) => `${i.path} (imported by ${file})`),
  );
  return { outfile, nodeImports };
}

/** A hint to add to a runtime's failure when its bundle imports Node.js built-ins. */
export function nodeImportHint({ nodeImports }) {
  return nodeImports.length === 0 ? '' : `\nthe bundle imports Node.js built-ins: ${nodeImports.join(', ')}`;
}

export function bundles(packageDir, outDir) {
  return {
    browser: () => bundle({ entry: join(packageDir, 'src/entry-browser.js'), outfile: join(outDir, 'browser/suite.js'), conditions: ['browser'] }),
    // workerd's own modules (`cloudflare:sockets`, the Redis cases' TCP socket) stay imports too.
    // Vercel's edge sandbox (edge-child.mjs) evaluates one script: the browser entry as an IIFE, with Next.js's conditions.
    edge: () => bundle({ entry: join(packageDir, 'src/entry-browser.js'), outfile: join(outDir, 'edge/suite.js'), conditions: ['edge-light', 'worker', 'browser'], format: 'iife' }),
    workerd: () => bundle({ entry: join(packageDir, 'src/entry-worker.js'), outfile: join(outDir, 'workerd/worker.js'), conditions: ['workerd', 'worker', 'browser'], external: ['cloudflare:*'] }),
  };
}
