import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The browser app's entry, in the package's sources (the same path from `src/web` and `dist/web`). */
const ENTRY = fileURLToPath(new URL('../../src/web/browser/app.ts', import.meta.url));

/**
 * Bundles the browser app with esbuild, as a team would: ESM for current browsers, the
 * packages resolved through their `exports` (built `dist`, or sources with the `@org/source`
 * condition, as the tests use).
 */
export async function bundleBrowserApp(options: { conditions?: string[]; minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? true,
    conditions: options.conditions ?? [],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error('esbuild produced no output');
  return file.text;
}
