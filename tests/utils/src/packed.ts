import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../../packages/', import.meta.url));

/**
 * What the registry would get: packs the named workspace packages (`pnpm pack`, which rewrites the
 * manifest from `publishConfig` and `workspace:` ranges) into `dir` and returns the tarballs' paths,
 * in the order of `names`. The one packing step of the tests (`installPacked` installs its tarballs).
 */
export function packWorkspace(names: readonly string[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const before = new Set(readdirSync(dir));
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: join(packagesDir, name), stdio: 'pipe' });
    const made = readdirSync(dir).filter((f) => !before.has(f));
    const [file] = made;
    if (made.length !== 1 || file === undefined) throw new Error(`packing ${name} made ${made.length} tarballs`);
    return join(dir, file);
  });
}

/**
 * What a user gets: packs the named workspace packages (`pnpm pack`, what the registry would get)
 * and installs the tarballs with npm into `dir`, an empty project (third-party dependencies from
 * the registry). Takes a minute: call it from a `beforeAll` with a long timeout.
 */
export function installPacked(names: readonly string[], dir: string): void {
  const tarballs = mkdtempSync(join(tmpdir(), 'okta-tarballs-'));
  try {
    const files = packWorkspace(names, tarballs);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });
  } finally {
    rmSync(tarballs, { recursive: true, force: true });
  }
}
