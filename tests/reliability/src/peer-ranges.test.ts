/**
 * The sibling packages' peer ranges on each other (scripts/peer-ranges.mjs): each is the minor released
 * beside it, from that version to the next minor, so an app can keep neither an older core that lacks a
 * `./internal` export the newer okta-oauth imports (`recordAnswerSecrets` in the thirty-fourth session)
 * nor a newer core that dropped one an older okta-oauth imports (`attemptTrail`, ae3b88ed: rev165c's
 * `SyntaxError: … does not provide an export named 'attemptTrail'`, npm saying nothing). The check runs
 * on the repository as it is, the release step's rewrite on a workspace of its own, and the release
 * step itself (`changeset version`, then the rewrite) on a copy of the repository's manifests.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peerRange, syncPeerRanges } from '../../../scripts/peer-ranges.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-peers-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function workspace(packages: Record<string, { version: string; peerDependencies?: Record<string, string> }>): void {
  for (const [name, manifest] of Object.entries(packages)) {
    mkdirSync(join(dir, 'rewrite/packages', name.split('/')[1]!), { recursive: true });
    writeFileSync(join(dir, 'rewrite/packages', name.split('/')[1]!, 'package.json'), JSON.stringify({ name, ...manifest }));
  }
}

it("every sibling's peer range on another is that package's minor: none is behind in the repository", () => {
  expect(syncPeerRanges(root)).toEqual([]);
  const oauth = JSON.parse(readFileSync(join(root, 'packages/okta-oauth/package.json'), 'utf8'));
  const core = JSON.parse(readFileSync(join(root, 'packages/okta-auth-core/package.json'), 'utf8'));
  expect(oauth.peerDependencies['@org/okta-auth-core']).toBe(peerRange(core.version));
});

it("the range: from the version to the next minor (its patches, never a minor whose ./internal may lack a name)", () => {
  expect(peerRange('0.1.0')).toBe('>=0.1.0 <0.2.0');
  expect(peerRange('0.4.2')).toBe('>=0.4.2 <0.5.0');
  expect(peerRange('1.2.3')).toBe('>=1.2.3 <1.3.0');
});

it('after a release moves the versions, the check names each range behind, and --write moves them; other peers are left alone', () => {
  workspace({
    '@org/okta-auth-core': { version: '0.3.0' },
    '@org/okta-oauth': { version: '0.3.0', peerDependencies: { '@org/okta-auth-core': '>=0.2.0 <0.3.0', ky: '^2.2.0' } },
    '@org/okta-token-store-redis': { version: '0.3.0', peerDependencies: { '@org/okta-auth-core': '>=0.2.0 <0.3.0', '@org/okta-oauth': '>=0.3.0 <0.4.0', ioredis: '^5' } },
  });
  const behind = syncPeerRanges(join(dir, 'rewrite'));
  expect(behind.map(({ name, from, to }) => ({ name, from, to }))).toEqual([
    { name: '@org/okta-auth-core', from: '>=0.2.0 <0.3.0', to: '>=0.3.0 <0.4.0' },
    { name: '@org/okta-auth-core', from: '>=0.2.0 <0.3.0', to: '>=0.3.0 <0.4.0' },
  ]);
  // The check alone writes nothing.
  expect(JSON.parse(readFileSync(join(dir, 'rewrite/packages/okta-oauth/package.json'), 'utf8')).peerDependencies['@org/okta-auth-core']).toBe('>=0.2.0 <0.3.0');

  syncPeerRanges(join(dir, 'rewrite'), { write: true });
  const oauth = JSON.parse(readFileSync(join(dir, 'rewrite/packages/okta-oauth/package.json'), 'utf8'));
  const store = JSON.parse(readFileSync(join(dir, 'rewrite/packages/okta-token-store-redis/package.json'), 'utf8'));
  expect(oauth.peerDependencies).toEqual({ '@org/okta-auth-core': '>=0.3.0 <0.4.0', ky: '^2.2.0' });
  expect(store.peerDependencies).toEqual({ '@org/okta-auth-core': '>=0.3.0 <0.4.0', '@org/okta-oauth': '>=0.3.0 <0.4.0', ioredis: '^5' });
  expect(syncPeerRanges(join(dir, 'rewrite'))).toEqual([]);
});

/** A copy of the repository's manifests (every workspace package's, the root's) and changesets config, under `dir/<name>`. */
function manifestsCopy(name: string): string {
  const to = join(dir, name);
  const folders = ['.', 'bench', ...['packages', 'apps', 'tests'].flatMap((parent) => readdirSync(join(root, parent)).map((child) => `${parent}/${child}`))];
  for (const folder of folders.filter((f) => existsSync(join(root, f, 'package.json')))) {
    mkdirSync(join(to, folder), { recursive: true });
    cpSync(join(root, folder, 'package.json'), join(to, folder, 'package.json'));
  }
  for (const file of ['pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(root, file), join(to, file));
  }
  return to;
}

/** Core's next version after a `bump` of `[major, minor, patch]`, and the peer range on it the rewrite should give. */
const released = {
  minor: ([major, minor]: number[]) => [`${major}.${minor! + 1}.0`, `>=${major}.${minor! + 1}.0 <${major}.${minor! + 2}.0`],
  patch: ([major, minor, patch]: number[]) => [`${major}.${minor}.${patch! + 1}`, `>=${major}.${minor}.${patch! + 1} <${major}.${minor! + 1}.0`],
};

describe.each(['minor', 'patch'] as const)('the release step on a %s changeset of core alone', (bump) => {
  it("moves every published package to core's next version together (none to a major), and each sibling's peer range to its minor", () => {
    const at = manifestsCopy(`release-${bump}`);
    writeFileSync(join(at, '.changeset/core-change.md'), `---\n'@org/okta-auth-core': ${bump}\n---\n\nA change of core.\n`);
    const core = JSON.parse(readFileSync(join(root, 'packages/okta-auth-core/package.json'), 'utf8')).version as string;
    const [version, range] = released[bump](core.split('.').map(Number));
    // `changeset version` (the fixed group moves them all; a peer range it found out of range would have made the
    // dependents major, which the workspace-protocol-only setting keeps it from reading), then the rewrite.
    execFileSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], { cwd: at, stdio: 'pipe' });
    syncPeerRanges(at, { write: true });
    for (const name of readdirSync(join(at, 'packages'))) {
      const manifest = JSON.parse(readFileSync(join(at, 'packages', name, 'package.json'), 'utf8'));
      expect(manifest.version, name).toBe(version);
      for (const [peer, given] of Object.entries(manifest.peerDependencies ?? {})) {
        if (peer.startsWith('@org/')) expect(given, `${name}'s peer ${peer}`).toBe(range);
      }
    }
  }, 60_000);
});

it('the release command runs the rewrite right after changesets moves the versions', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  expect(scripts['version-packages']).toBe('changeset version && node scripts/peer-ranges.mjs --write');
});

it("core's ky peer range starts at the ky the workspace installs and tests, which has every ky option createOktaKy checks", () => {
  // ky 2.1.0 has no maxResponseSize: createOktaKy checked its value and ky ignored it, so the bound
  // never applied (ru159). The lower bound is the tested ky, whose types declare each option checked.
  const core = JSON.parse(readFileSync(join(root, 'packages/okta-auth-core/package.json'), 'utf8'));
  const kyDir = join(root, 'packages/okta-auth-core/node_modules/ky');
  const installed = JSON.parse(readFileSync(join(kyDir, 'package.json'), 'utf8')).version as string;
  expect(core.peerDependencies.ky).toBe(`^${installed}`);
  expect(core.devDependencies.ky).toBe(`^${installed}`);
  const checked = readFileSync(join(root, 'packages/okta-auth-core/src/ky/option-values.ts'), 'utf8');
  const declared = readFileSync(join(kyDir, 'distribution/types/options.d.ts'), 'utf8');
  for (const option of ['maxResponseSize', 'baseUrl', 'prefix', 'stringifyJson']) {
    expect(checked).toContain(`${option}:`);
    expect(declared, `ky ${installed} declares ${option}`).toMatch(new RegExp(`^\\s*(?:readonly )?${option}\\?:`, 'm'));
  }
});
