#!/usr/bin/env node
// Type-checks the PACKED library packages (`pnpm pack` tarballs, exactly what the registry
// would get) as consumers would use them, with skipLibCheck off:
//   node-nodenext: a Node.js project, lib es2023, types ["node"], module/moduleResolution nodenext
//   node-bundler:  the same with moduleResolution bundler
//   dom-bundler:   a browser project, lib es2023 + DOM, no Node types (the emulator is left out)
//   node-commonjs: a CommonJS file (.cts, nodenext) that require()s the ESM-only packages
// It also checks the packed package.json: no workspace: ranges, a peer range on core that the
// packed core version and its next patch satisfy and its next minor does not (the siblings import
// core's ./internal, which may drop a name in a minor: docs/CONVENTIONS.md); a LICENSE;
// repository/homepage/bugs; export targets and source-map sources that are in the tarball;
// README links that work on a registry page (absolute); and no import cycle among a package's
// modules (scripts/import-cycles.mjs: a bundler warns CIRCULAR_DEPENDENCY for each).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { importCycles } from '../../scripts/import-cycles.mjs';

const here = dirname(new URL(import.meta.url).pathname);
const root = join(here, '..', '..');
const packages = ['okta-auth-core', 'okta-ssws', 'okta-oauth', 'okta-emulator', 'okta-token-store-redis', 'okta-token-store-durable-object', 'okta-cli'];
const work = mkdtempSync(join(tmpdir(), 'okta-dist-types-'));
const problems = [];

// 1. Pack and unpack each package into <work>/node_modules/@org/<name>.
const tarballs = join(work, 'tarballs');
mkdirSync(tarballs);
for (const name of packages) {
  execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', name), stdio: ['ignore', 'ignore', 'inherit'] });
}
const modules = join(work, 'node_modules');
mkdirSync(join(modules, '@org'), { recursive: true });
const manifests = {};
for (const file of readdirSync(tarballs)) {
  const target = join(work, 'unpacked', file);
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(tarballs, file), '-C', target]);
  const manifest = JSON.parse(readFileSync(join(target, 'package', 'package.json'), 'utf8'));
  manifests[manifest.name] = manifest;
  cpSync(join(target, 'package'), join(modules, manifest.name), { recursive: true });
}

// 2. Third-party dependencies come from the workspace install (same versions as the lockfile).
const link = (name, fromDir) => {
  const dest = join(modules, name);
  mkdirSync(dirname(dest), { recursive: true });
  symlinkSync(realpathSync(join(fromDir, 'node_modules', name)), dest);
};
link('jose', join(root, 'packages', 'okta-oauth'));
link('ky', join(root, 'packages', 'okta-auth-core'));
link('@types/node', here);

// 3. The packed manifests.
const semverOk = (range, version) => {
  // The ranges this repo writes (scripts/peer-ranges.mjs): ">=A.B.C <A.(B+1).0", the minor released beside it.
  const m = /^>=(\d+)\.(\d+)\.(\d+) <(\d+)\.(\d+)\.0$/.exec(range);
  if (m === null) return false;
  const [, a, b, c, d, e] = m.map(Number);
  const v = version.split('.').map(Number);
  const compare = (p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2];
  return compare(v, [a, b, c]) >= 0 && compare(v, [d, e, 0]) < 0;
};
const core = manifests['@org/okta-auth-core'];
for (const manifest of Object.values(manifests)) {
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push(`${manifest.name}: the packed package.json still has a workspace: range`);
  for (const field of ['repository', 'homepage', 'bugs', 'license']) if (manifest[field] === undefined) problems.push(`${manifest.name}: no "${field}"`);
  const peer = manifest.peerDependencies?.['@org/okta-auth-core'];
  if (peer !== undefined) {
    const [major, minor, patch] = core.version.split('.').map(Number);
    for (const version of [core.version, `${major}.${minor}.${patch + 1}`]) {
      if (!semverOk(peer, version)) problems.push(`${manifest.name}: peer range "${peer}" on @org/okta-auth-core does not accept ${version}`);
    }
    const nextMinor = `${major}.${minor + 1}.0`;
    if (semverOk(peer, nextMinor)) problems.push(`${manifest.name}: peer range "${peer}" on @org/okta-auth-core accepts ${nextMinor}, whose ./internal may lack a name this package imports`);
  }
  const unpacked = join(modules, manifest.name);
  const files = execFileSync('find', ['.', '-type', 'f'], { cwd: unpacked, encoding: 'utf8' }).split('\n');
  if (!files.includes('./LICENSE')) problems.push(`${manifest.name}: no LICENSE in the tarball`);
  // Every export target (the @org/source condition included: src ships) is in the tarball.
  const targets = [];
  const walk = (value) => (typeof value === 'string' ? targets.push(value) : Object.values(value ?? {}).forEach(walk));
  walk(manifest.exports);
  for (const target of targets.filter((t) => t !== './package.json')) {
    if (!files.includes(target)) problems.push(`${manifest.name}: exports point at ${target}, which is not in the tarball`);
  }
  // A registry page shows the README without the repository around it: links must be absolute.
  const readme = files.includes('./README.md') ? readFileSync(join(unpacked, 'README.md'), 'utf8') : '';
  if (readme === '') problems.push(`${manifest.name}: no README.md in the tarball`);
  for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (!/^(https?:|mailto:|#)/.test(target)) problems.push(`${manifest.name}: README link "${target}" is relative (it breaks on a registry page)`);
  }
  const unresolved = [];
  for (const map of files.filter((f) => f.endsWith('.map'))) {
    const { sources = [], sourcesContent } = JSON.parse(readFileSync(join(unpacked, map), 'utf8'));
    for (const source of sources) {
      const resolved = join(unpacked, dirname(map), source);
      if (sourcesContent === undefined && !files.includes(`./${resolved.slice(unpacked.length + 1)}`)) unresolved.push(`${map} -> ${source}`);
    }
  }
  if (unresolved.length > 0) problems.push(`${manifest.name}: ${unresolved.length} source map(s) point at files not in the tarball, such as ${unresolved[0]}`);
  for (const cycle of importCycles(join(unpacked, 'dist'))) problems.push(`${manifest.name}: an import cycle in dist/ (rollup warns CIRCULAR_DEPENDENCY): ${cycle.join(' → ')}`);
}

// 4. Compile the consumers.
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const base = { strict: true, noEmit: true, skipLibCheck: false, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, target: 'es2022', verbatimModuleSyntax: true };
const consumers = {
  'node-nodenext': { files: ['node.ts', 'common.ts'], options: { lib: ['es2023'], types: ['node'], module: 'nodenext', moduleResolution: 'nodenext' } },
  'node-bundler': { files: ['node.ts', 'common.ts'], options: { lib: ['es2023'], types: ['node'], module: 'esnext', moduleResolution: 'bundler' } },
  'dom-bundler': { files: ['browser.ts', 'common.ts'], options: { lib: ['es2023', 'dom', 'dom.iterable'], types: [], module: 'esnext', moduleResolution: 'bundler' } },
  'node-commonjs': { files: ['commonjs.cts'], options: { lib: ['es2023'], types: ['node'], module: 'nodenext', moduleResolution: 'nodenext' } },
};
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
for (const file of ['node.ts', 'browser.ts', 'common.ts', 'commonjs.cts']) cpSync(join(here, 'consumer', file), join(work, file));
for (const [name, { files, options }] of Object.entries(consumers)) {
  writeFileSync(join(work, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...base, ...options }, files }, null, 2));
  const result = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: work, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  console.log(`${result.status === 0 ? 'ok  ' : 'FAIL'} ${name}${output === '' ? '' : `\n${output}`}`);
  if (result.status !== 0) problems.push(`the ${name} consumer does not compile`);
}

if (process.env.KEEP_DIST_TYPES === undefined) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) with the packed packages:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('packed packages: manifests, files and types ok');
