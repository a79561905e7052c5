/**
 * What the registry gets of each package's manifest (`pnpm pack`, through the tests' one packing step
 * `packWorkspace`). The workspace's `exports` put a `@org/source` condition first, pointing at
 * `src/*.ts`, for vitest and `tsc --noEmit` (docs/CONVENTIONS.md); a published one would send a
 * consumer whose tooling sets that condition (Nx's `customConditions: ["@<workspace>/source"]`) to
 * our TypeScript sources, type-checked under its own settings (599 errors from node_modules, ru159).
 * So each package's `publishConfig.exports` is the same map without it, and `src` still ships (the
 * source maps point at it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packWorkspace } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
/** Every published package with an `exports` map of modules (the CLI's holds only `./package.json`). */
const packages = ['okta-auth-core', 'okta-ssws', 'okta-oauth', 'okta-emulator', 'okta-token-store-redis', 'okta-token-store-durable-object'];

interface Manifest { exports: Record<string, string | Record<string, string>> }
const dir = mkdtempSync(join(tmpdir(), 'okta-packed-manifest-'));
const packed = new Map<string, { manifest: Manifest; files: string[] }>();

beforeAll(() => {
  const tarballs = packWorkspace(packages, dir);
  tarballs.forEach((tarball, i) => {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Manifest;
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    packed.set(packages[i]!, { manifest, files });
  });
}, 120_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const workspace = (name: string): Manifest => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as Manifest;
/** The exports map without the `@org/source` condition: what a consumer should resolve. */
const withoutSource = (exports: Manifest['exports']) =>
  Object.fromEntries(Object.entries(exports).map(([path, target]) => [path, typeof target === 'string' ? target : Object.fromEntries(Object.entries(target).filter(([condition]) => condition !== '@org/source'))]));

describe.each(packages)('%s', (name) => {
  it('the packed manifest has no @org/source condition, and the same entries otherwise', () => {
    const { manifest } = packed.get(name)!;
    expect(JSON.stringify(manifest.exports)).not.toContain('@org/source');
    expect(manifest.exports).toEqual(withoutSource(workspace(name).exports));
    // Every entry's types come first, then default, as in the workspace.
    for (const target of Object.values(manifest.exports)) if (typeof target !== 'string') expect(Object.keys(target)).toEqual(['types', 'default']);
  });

  it('the workspace manifest keeps @org/source first in every module entry (vitest and tsc --noEmit use it)', () => {
    for (const [path, target] of Object.entries(workspace(name).exports)) {
      if (path === './package.json') continue;
      expect(typeof target === 'string' ? target : Object.keys(target)[0], path).toBe('@org/source');
    }
  });

  it('src still ships, for the source maps', () => {
    expect(packed.get(name)!.files.some((f) => f.startsWith('package/src/') && f.endsWith('.ts'))).toBe(true);
  });
});
