/**
 * The sibling packages' peer ranges on each other (scripts/peer-ranges.mjs): each is the minor released
 * beside it, from that version to the next minor, so an app can keep neither an older core that lacks a
 * `./internal` export the newer okta-oauth imports (`recordAnswerSecrets` in the thirty-fourth session)
 * nor a newer core that dropped one an older okta-oauth imports (`attemptTrail`, ae3b88ed: rev165c's
 * `SyntaxError: … does not provide an export named 'attemptTrail'`, npm saying nothing). The check runs
 * on the repository as it is, the release step's rewrite on a workspace of its own, and the release
 * step itself (`pnpm version-packages`: the guard, `changeset version`, then the rewrite, which also writes core's
 * `src/config/version.ts`, the User-Agent's version) on a copy of the repository's manifests. Before the first release
 * (no CHANGELOG.md in core, or docs/first-release/ still there) the release step refuses: the first release publishes 0.1.0 as it stands (.changeset/README.md).
 * The pending changesets name only published packages that exist (a private or ignored one is never consumed).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { peerRange, syncCoreVersion, syncPeerRanges } from '../../../scripts/peer-ranges.mjs';

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
  expect(syncCoreVersion(root)).toEqual([]);
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

const versionFile = 'packages/okta-auth-core/src/config/version.ts';
const manifest = (at: string, folder: string) => JSON.parse(readFileSync(join(at, folder, 'package.json'), 'utf8'));

/** Runs `pnpm version-packages`' command, as package.json says it, in `at` (changesets' own bin first on the PATH). */
function versionPackages(at: string): { status: number | null; output: string } {
  const command = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['version-packages'] as string;
  const result = spawnSync('sh', ['-c', command], { cwd: at, encoding: 'utf8', env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}${delimiter}${process.env.PATH}` } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A copy of the repository's manifests (every workspace package's, the root's), changesets config, the release step's script and core's version file, under `dir/<name>`. */
function manifestsCopy(name: string): string {
  const to = join(dir, name);
  const folders = ['.', 'bench', ...['packages', 'apps', 'tests'].flatMap((parent) => readdirSync(join(root, parent)).map((child) => `${parent}/${child}`))];
  for (const folder of folders.filter((f) => existsSync(join(root, f, 'package.json')))) {
    mkdirSync(join(to, folder), { recursive: true });
    cpSync(join(root, folder, 'package.json'), join(to, folder, 'package.json'));
  }
  for (const file of ['pnpm-workspace.yaml', '.changeset/config.json', 'scripts/peer-ranges.mjs', versionFile]) {
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

describe.each(['minor', 'patch'] as const)('the release step on a %s changeset of core alone, after the first release', (bump) => {
  it("moves every published package to core's next version together (none to a major), each sibling's peer range to its minor, and core's VERSION; private packages stay", () => {
    const at = manifestsCopy(`release-${bump}`);
    writeFileSync(join(at, '.changeset/core-change.md'), `---\n'@org/okta-auth-core': ${bump}\n---\n\nA change of core.\n`);
    writeFileSync(join(at, 'packages/okta-auth-core/CHANGELOG.md'), '# @org/okta-auth-core\n\n## 0.1.0\n\nThe first release.\n');
    const core = manifest(root, 'packages/okta-auth-core').version as string;
    const [version, range] = released[bump](core.split('.').map(Number));
    // `changeset version` (the fixed group moves them all; a peer range it found out of range would have made the
    // dependents major, which the workspace-protocol-only setting keeps it from reading), then the rewrite.
    const run = versionPackages(at);
    expect(run.status, run.output).toBe(0);
    for (const name of readdirSync(join(at, 'packages'))) {
      const moved = manifest(at, `packages/${name}`);
      expect(moved.version, name).toBe(version);
      for (const [peer, given] of Object.entries(moved.peerDependencies ?? {})) {
        if (peer.startsWith('@org/')) expect(given, `${name}'s peer ${peer}`).toBe(range);
      }
    }
    // The User-Agent's version (user-agent.test.ts holds it to package.json): written by the release step, not by hand.
    expect(readFileSync(join(at, versionFile), 'utf8')).toContain(`export const VERSION = '${version}';`);
    expect(readFileSync(join(at, 'packages/okta-auth-core/CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`## ${version!.replaceAll('.', '\\.')}[\\s\\S]*A change of core\\.[\\s\\S]*## 0\\.1\\.0`));
    // privatePackages { version: false }: the test packages, the bench and the demo get no version and no changelog.
    for (const folder of ['apps/demo', 'bench', ...readdirSync(join(root, 'tests')).map((child) => `tests/${child}`)].filter((f) => existsSync(join(root, f, 'package.json')))) {
      expect(manifest(at, folder).version, folder).toBe(manifest(root, folder).version);
      expect(existsSync(join(at, folder, 'CHANGELOG.md')), `${folder}/CHANGELOG.md`).toBe(false);
    }
  }, 60_000);
});

it('the release step refuses before the first release (core has no CHANGELOG.md), pointing at the first-release steps, and changes nothing', () => {
  const at = manifestsCopy('unreleased');
  writeFileSync(join(at, '.changeset/core-change.md'), `---\n'@org/okta-auth-core': minor\n---\n\nA change of core.\n`);
  const run = versionPackages(at);
  expect(run.status).not.toBe(0);
  expect(run.output).toContain('.changeset/README.md');
  expect(run.output).toContain('first release');
  expect(manifest(at, 'packages/okta-auth-core').version).toBe(manifest(root, 'packages/okta-auth-core').version);
  expect(existsSync(join(at, '.changeset/core-change.md'))).toBe(true);
  expect(readFileSync(join(at, versionFile), 'utf8')).toBe(readFileSync(join(root, versionFile), 'utf8'));
}, 60_000);

// mend168d (rev168d): step 1 of "The first release" writes core's CHANGELOG.md before step 2 deletes the changesets and
// docs/first-release/; the gate read only the CHANGELOG.md, so `pnpm version-packages` between the steps made 0.2.0.
it('the release step refuses between the first release\'s steps (CHANGELOG.md written, docs/first-release/ still there), and changes nothing', () => {
  const at = manifestsCopy('between-steps');
  writeFileSync(join(at, '.changeset/core-change.md'), `---\n'@org/okta-auth-core': minor\n---\n\nA change of core.\n`);
  writeFileSync(join(at, 'packages/okta-auth-core/CHANGELOG.md'), '# @org/okta-auth-core\n\n## 0.1.0\n\nThe first release.\n');
  mkdirSync(join(at, 'docs/first-release'), { recursive: true });
  writeFileSync(join(at, 'docs/first-release/okta-auth-core.md'), 'The first release.\n');
  const run = versionPackages(at);
  expect(run.status, run.output).not.toBe(0);
  expect(run.output).toContain('docs/first-release/');
  expect(run.output).toContain('.changeset/README.md');
  expect(manifest(at, 'packages/okta-auth-core').version).toBe(manifest(root, 'packages/okta-auth-core').version);
  expect(existsSync(join(at, '.changeset/core-change.md'))).toBe(true);
}, 60_000);

it('the release command refuses before the first release, then runs the rewrite right after changesets moves the versions', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  expect(scripts['version-packages']).toBe('node scripts/peer-ranges.mjs --released && changeset version && node scripts/peer-ranges.mjs --write');
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

describe('the pending changesets', () => {
  const config = JSON.parse(readFileSync(join(root, '.changeset/config.json'), 'utf8'));
  const workspace = new Map(
    ['apps', 'packages', 'tests'].flatMap((parent) => readdirSync(join(root, parent)).map((child) => `${parent}/${child}`))
      .concat('bench')
      .filter((folder) => existsSync(join(root, folder, 'package.json')))
      .map((folder) => [manifest(root, folder).name as string, manifest(root, folder)]),
  );
  const published = [...workspace].filter(([name, json]) => json.private !== true && !config.ignore.includes(name)).map(([name]) => name);

  it('name only packages that exist and are published: a private or ignored one is never consumed, and its changeset stays for ever', () => {
    const wrong: string[] = [];
    for (const file of readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
      const head = /^---\n([\s\S]*?)^---$/m.exec(readFileSync(join(root, '.changeset', file), 'utf8'));
      if (head === null) {
        wrong.push(`${file}: no front matter`);
        continue;
      }
      for (const line of head[1]!.split('\n').filter((l) => l.trim() !== '')) {
        const named = /^(["']?)(@?[^"':]+)\1:\s*(major|minor|patch)\s*$/.exec(line);
        if (named === null) wrong.push(`${file}: unreadable line ${JSON.stringify(line)}`);
        else if (!workspace.has(named[2]!)) wrong.push(`${file}: ${named[2]} is no package of the workspace`);
        else if (!published.includes(named[2]!)) wrong.push(`${file}: ${named[2]} is private or ignored`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('sit in .changeset itself: changesets reads a folder there as a version 1 changeset, and `changeset version` and `status` fail on its missing changes.md', () => {
    expect(readdirSync(join(root, '.changeset'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)).toEqual([]);
  });

  it('the fixed group is every published package; private packages get no version', () => {
    expect([...config.fixed[0]].sort()).toEqual([...published].sort());
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });
});
