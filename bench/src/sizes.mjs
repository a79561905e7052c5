// Benchmark 5: bundle sizes of our entry points and the alternatives'
// (esbuild, browser ESM, minified, gzip -9). An entry that does not bundle
// for the browser is also measured for platform=node, for reference.
import { existsSync } from 'node:fs';
import { bundleSize } from './bundle.mjs';
import { ENTRIES, entryUrl } from './entries.mjs';
import { isBuilt } from './load.mjs';

export async function sizes() {
  const results = new Map();
  const notes = [];
  for (const entry of ENTRIES) {
    if (!existsSync(entryUrl(entry))) {
      notes.push(`not yet: ${entry.label} (bench/entries/${entry.file} not written${entry.needs.includes('@org/okta-oauth') ? ': needs @org/okta-oauth' : ''})`);
      continue;
    }
    const unbuilt = entry.needs.filter((n) => !isBuilt(n));
    if (unbuilt.length > 0) {
      notes.push(`not yet: ${entry.label} (${unbuilt.join(', ')} not built)`);
      continue;
    }
    const browser = await bundleSize(entryUrl(entry));
    const node = browser.ok ? undefined : await bundleSize(entryUrl(entry), { platform: 'node' });
    results.set(entry.id, { entry, browser, node });
  }
  return { results, notes };
}
