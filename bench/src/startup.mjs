// Benchmark 6: start-up. The time to import each package in a fresh Node.js
// process (measured inside the process, so Node's own boot is excluded),
// ours against @okta/okta-sdk-nodejs, interleaved over several rounds.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isBuilt } from './load.mjs';
import { median } from './stats.mjs';

const benchDir = fileURLToPath(new URL('..', import.meta.url));

export const STARTUP_TARGETS = [
  { specifier: '@org/okta-auth-core', ours: true, pkg: '@org/okta-auth-core' },
  { specifier: '@org/okta-auth-core/ky', ours: true, pkg: '@org/okta-auth-core' },
  { specifier: '@org/okta-ssws', ours: true, pkg: '@org/okta-ssws' },
  { specifier: '@org/okta-oauth', ours: true, pkg: '@org/okta-oauth' },
  { specifier: '@okta/okta-sdk-nodejs', ours: false },
  { specifier: 'openid-client', ours: false },
  { specifier: 'oauth4webapi', ours: false },
];

function importOnce(specifier) {
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: benchDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import ${specifier} failed: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
  return Number(r.stdout);
}

export async function startup({ rounds = 9 } = {}) {
  const notes = [];
  const targets = STARTUP_TARGETS.filter((t) => {
    if (t.pkg && !isBuilt(t.pkg)) {
      notes.push(`not yet: ${t.specifier} is not built (or missing)`);
      return false;
    }
    return true;
  });
  const samples = new Map(targets.map((t) => [t.specifier, []]));
  for (const t of targets) {
    try {
      importOnce(t.specifier); // warm the file system cache
    } catch (error) {
      notes.push(String(error.message));
      samples.delete(t.specifier);
    }
  }
  const live = targets.filter((t) => samples.has(t.specifier));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < live.length; i++) {
      const t = live[(i + round) % live.length];
      samples.get(t.specifier).push(importOnce(t.specifier));
    }
  }
  const results = live.map((t) => ({ ...t, ms: median(samples.get(t.specifier)) }));
  return { rounds, results, notes };
}
