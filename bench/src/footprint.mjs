// Install footprint: what a fresh `npm install` of each choice puts on disk.
// The alternatives come from the npm registry at the versions bench/ uses;
// ours are packed from the built workspace packages (`pnpm pack`) and
// installed from the tarballs, with their registry dependencies.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuilt, packageDir } from './load.mjs';

export const FOOTPRINT_TARGETS = [
  { id: 'ours-ssws', label: 'ours: @org/okta-auth-core + @org/okta-ssws', ours: ['@org/okta-auth-core', '@org/okta-ssws'] },
  { id: 'ours-oauth', label: 'ours: @org/okta-auth-core + @org/okta-oauth', ours: ['@org/okta-auth-core', '@org/okta-oauth'] },
  { id: 'okta-sdk-nodejs', label: '@okta/okta-sdk-nodejs', registry: ['@okta/okta-sdk-nodejs'] },
  { id: 'okta-auth-js', label: '@okta/okta-auth-js', registry: ['@okta/okta-auth-js'] },
  { id: 'openid-client', label: 'openid-client', registry: ['openid-client'] },
  { id: 'oauth4webapi', label: 'oauth4webapi', registry: ['oauth4webapi'] },
  { id: 'ky', label: 'ky', registry: ['ky'] },
];

function cleanEnv() {
  // pnpm sets npm_config_* for the script it runs; npm must not inherit them.
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
}

function run(cmd, args, cwd, timeoutMs = 180_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${out.trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}

/** Packages and bytes under a node_modules tree (symlinks not followed). */
export function measureTree(nodeModules) {
  let packages = 0;
  let bytes = 0;
  let files = 0;
  const walk = (dir, isModulesDir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) {
        if (isModulesDir && name.startsWith('@')) {
          walk(p, true); // a scope holds packages
          continue;
        }
        if (isModulesDir && name !== '.bin' && !name.startsWith('.') && existsSync(join(p, 'package.json'))) packages++;
        walk(p, name === 'node_modules');
      } else if (st.isFile()) {
        if (name === '.package-lock.json' && isModulesDir) continue;
        bytes += st.size;
        files++;
      }
    }
  };
  walk(nodeModules, true);
  return { packages, bytes, files };
}

async function installOne(target, packDir) {
  const dir = mkdtempSync(join(tmpdir(), `okta-bench-fp-${target.id}-`));
  try {
    let specs;
    if (target.ours) {
      specs = target.ours.map((name) => {
        const file = readdirSync(packDir).find((f) => f.startsWith(`${name.slice(1).replace('/', '-')}-`) && f.endsWith('.tgz'));
        if (!file) throw new Error(`no tarball for ${name}`);
        return join(packDir, file);
      });
    } else {
      specs = target.registry.map((name) => `${name}@${JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).version}`);
    }
    await run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', '--prefer-offline', '--loglevel=error', ...specs], dir);
    const m = measureTree(join(dir, 'node_modules'));
    return { ...target, direct: specs.length, ...m, dependencies: m.packages - specs.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function footprint() {
  const notes = [];
  const packDir = mkdtempSync(join(tmpdir(), 'okta-bench-pack-'));
  try {
    const ourNames = [...new Set(FOOTPRINT_TARGETS.flatMap((t) => t.ours ?? []))];
    const packed = new Set();
    for (const name of ourNames) {
      if (!isBuilt(name)) {
        notes.push(`not yet: ${name} is not built (or missing)`);
        continue;
      }
      try {
        await run('pnpm', ['pack', '--pack-destination', packDir], packageDir(name));
        packed.add(name);
      } catch (error) {
        notes.push(`${name}: pnpm pack failed: ${error.message}`);
      }
    }
    const targets = FOOTPRINT_TARGETS.filter((t) => !t.ours || t.ours.every((n) => packed.has(n)));
    const settled = await Promise.allSettled(targets.map((t) => installOne(t, packDir)));
    const results = [];
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') results.push(s.value);
      else notes.push(`${targets[i].label}: install failed: ${s.reason.message}`);
    });
    return { results, notes };
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}
