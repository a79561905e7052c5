/**
 * The sibling packages' peer ranges on each other (scripts/peer-ranges.mjs): each starts at the
 * version released beside it, so an app cannot keep an older core that lacks a `./internal` export
 * the newer okta-oauth imports (`recordAnswerSecrets` in the thirty-fourth session). The check runs
 * on the repository as it is, and the release step's rewrite on a workspace of its own.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { peerRange, syncPeerRanges } from '../../../scripts/peer-ranges.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-peers-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function workspace(packages: Record<string, { version: string; peerDependencies?: Record<string, string> }>): void {
  for (const [name, manifest] of Object.entries(packages)) {
    mkdirSync(join(dir, 'packages', name.split('/')[1]!), { recursive: true });
    writeFileSync(join(dir, 'packages', name.split('/')[1]!, 'package.json'), JSON.stringify({ name, ...manifest }));
  }
}

it("every sibling's peer range on another starts at that package's version: none is behind in the repository", () => {
  expect(syncPeerRanges(root)).toEqual([]);
  const oauth = JSON.parse(readFileSync(join(root, 'packages/okta-oauth/package.json'), 'utf8'));
  const core = JSON.parse(readFileSync(join(root, 'packages/okta-auth-core/package.json'), 'utf8'));
  expect(oauth.peerDependencies['@org/okta-auth-core']).toBe(peerRange(core.version));
});

it('the range: from the version to the next major (0.x: every later 0.x, so a newer core is taken)', () => {
  expect(peerRange('0.1.0')).toBe('>=0.1.0 <1.0.0');
  expect(peerRange('0.4.2')).toBe('>=0.4.2 <1.0.0');
  expect(peerRange('1.2.0')).toBe('^1.2.0');
});

it('after a release moves the versions, the check names each range behind, and --write moves them; other peers are left alone', () => {
  workspace({
    '@org/okta-auth-core': { version: '0.3.0' },
    '@org/okta-oauth': { version: '0.3.0', peerDependencies: { '@org/okta-auth-core': '>=0.1.0 <1.0.0', ky: '^2.2.0' } },
    '@org/okta-token-store-redis': { version: '0.3.0', peerDependencies: { '@org/okta-auth-core': '>=0.1.0 <1.0.0', '@org/okta-oauth': '>=0.3.0 <1.0.0', ioredis: '^5' } },
  });
  const behind = syncPeerRanges(dir);
  expect(behind.map(({ name, from, to }) => ({ name, from, to }))).toEqual([
    { name: '@org/okta-auth-core', from: '>=0.1.0 <1.0.0', to: '>=0.3.0 <1.0.0' },
    { name: '@org/okta-auth-core', from: '>=0.1.0 <1.0.0', to: '>=0.3.0 <1.0.0' },
  ]);
  // The check alone writes nothing.
  expect(JSON.parse(readFileSync(join(dir, 'packages/okta-oauth/package.json'), 'utf8')).peerDependencies['@org/okta-auth-core']).toBe('>=0.1.0 <1.0.0');

  syncPeerRanges(dir, { write: true });
  const oauth = JSON.parse(readFileSync(join(dir, 'packages/okta-oauth/package.json'), 'utf8'));
  const store = JSON.parse(readFileSync(join(dir, 'packages/okta-token-store-redis/package.json'), 'utf8'));
  expect(oauth.peerDependencies).toEqual({ '@org/okta-auth-core': '>=0.3.0 <1.0.0', ky: '^2.2.0' });
  expect(store.peerDependencies).toEqual({ '@org/okta-auth-core': '>=0.3.0 <1.0.0', '@org/okta-oauth': '>=0.3.0 <1.0.0', ioredis: '^5' });
  expect(syncPeerRanges(dir)).toEqual([]);
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
