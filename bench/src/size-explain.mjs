#!/usr/bin/env node
// What is in a bundle: `node bench/src/size-explain.mjs <entry id>` prints the
// minified bytes each package and each file contributes (esbuild metafile).
// `… <entry id> unused` prints instead the top-level declarations of the bundle
// that nothing in it uses: code a bundler kept because it could not prove it free
// of side effects (a class with a computed key, a module-level `new` or call
// without `/* @__PURE__ */`). Each is a cut: a module of its own or the annotation.
import { build, transform } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { ENTRIES, entryUrl } from './entries.mjs';

const id = process.argv[2];
const entry = ENTRIES.find((e) => e.id === id);
if (!entry) {
  console.log(`usage: node bench/src/size-explain.mjs <${ENTRIES.map((e) => e.id).join('|')}> [files]`);
  process.exit(1);
}
const result = await build({
  entryPoints: [fileURLToPath(entryUrl(entry))],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
});
if (process.argv.includes('unused')) {
  // One declaration per line once re-printed; a name used nowhere else is dead weight.
  const { code } = await transform(result.outputFiles[0].text, { format: 'esm' });
  const names = [];
  for (const line of code.split('\n')) {
    const fn = line.match(/^(?:async )?function\*? ([\w$]+)/);
    if (fn) names.push([fn[1], line]);
    else if (line.startsWith('var ')) for (const m of line.slice(4).matchAll(/(?:^|, )([\w$]+) = /g)) names.push([m[1], line]);
  }
  // A use is the name not preceded by a property dot (a spread `...x` is a use).
  const uses = (name) => code.match(new RegExp(`(?<![\\w$])(?<!(?<!\\.\\.)\\.)${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
  const unused = names.filter(([name]) => uses(name) <= 1);
  console.log(`${entry.label}: ${unused.length} top-level declaration(s) nothing uses${unused.length > 0 ? ':' : ''}`);
  for (const [name, line] of unused) console.log(`  ${name}: ${line.slice(0, 120)}`);
  process.exit(0);
}
const output = Object.values(result.metafile.outputs)[0];
const short = (file) => file.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^(\.\.\/)+packages\//, '@org/');
const byPackage = new Map();
for (const [file, info] of Object.entries(output.inputs)) {
  const name = short(file).match(/^(@[^/]+\/[^/]+|[^/]+)/)[1];
  byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
}
console.log(`${entry.label}: ${output.bytes} bytes minified\n`);
for (const [name, n] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(8)}  ${name}`);
console.log('');
const files = Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
for (const [file, info] of files.slice(0, process.argv.includes('files') ? files.length : 30)) console.log(`${String(info.bytesInOutput).padStart(8)}  ${short(file)}`);
