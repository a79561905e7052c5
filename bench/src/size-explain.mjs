#!/usr/bin/env node
// What is in a bundle: `node bench/src/size-explain.mjs <entry id>` prints the
// minified bytes each package and each file contributes (esbuild metafile).
import { build } from 'esbuild';
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
