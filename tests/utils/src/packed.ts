import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packagesDir = fileURLToPath(new URL('../../../packages/', import.meta.url));

/**
 * What a user gets: packs the named workspace packages (`pnpm pack`, what the registry would get)
 * and installs the tarballs with npm into `dir`, an empty project (third-party dependencies from
 * the registry). Takes a minute: call it from a `beforeAll` with a long timeout.
 */
export function installPacked(names: readonly string[], dir: string): void {
  const tarballs = mkdtempSync(join(tmpdir(), 'okta-tarballs-'));
  try {
    for (const name of names) execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packagesDir, name), stdio: 'pipe' });
    const files = readdirSync(tarballs).map((f) => join(tarballs, f));
    if (files.length !== names.length) throw new Error(`packed ${files.length} tarballs for ${names.length} packages`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'empty', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files], { cwd: dir, stdio: 'pipe', env: { ...process.env, npm_config_update_notifier: 'false' } });
  } finally {
    rmSync(tarballs, { recursive: true, force: true });
  }
}
