// Bundles an entry the way an app would ship it (esbuild --bundle --minify
// --format=esm --platform=browser) and measures it minified and gzipped (level 9).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * @returns {Promise<{ ok: true, minBytes: number, gzipBytes: number } | { ok: false, error: string }>}
 */
export async function bundleSize(entryUrl, { platform = 'browser' } = {}) {
  try {
    const result = await build({
      entryPoints: [fileURLToPath(entryUrl)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform,
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
    });
    const code = result.outputFiles[0].contents;
    return { ok: true, minBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
  } catch (error) {
    const first = error?.errors?.[0];
    const text = first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : String(error);
    const more = error?.errors?.length > 1 ? ` (+${error.errors.length - 1} more errors)` : '';
    return { ok: false, error: `${text}${more}` };
  }
}
