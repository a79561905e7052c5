// The sibling packages' peer ranges on each other, kept at the minor released with them.
// `@org/okta-oauth`, `@org/okta-ssws` and the two token stores import core's `./internal` entry,
// which is not covered by semver: a patch release only adds to it, a minor may drop or change a
// name (docs/CONVENTIONS.md). A peer range that took an older core would let an app keep one that
// lacks an export the new package imports, and one that took a later minor would let an app keep
// an older package beside a core that dropped an export it imports (`attemptTrail`, ae3b88ed):
// either fails at import, `does not provide an export named …`, with no word from npm. The
// packages are released together (the changesets `fixed` group), so each peer range is the minor
// released beside it: `>=<that version> <<major>.<minor + 1>.0`, the same from 1.0.
//
// The same rewrite sets core's `src/config/version.ts` (the version its User-Agent reports) to core's package.json.
//
// `node scripts/peer-ranges.mjs`            says which ranges (and core's VERSION) are behind, exit 1 if any (a check);
// `node scripts/peer-ranges.mjs --write`    moves them (run by `pnpm version-packages` after `changeset version`);
// `node scripts/peer-ranges.mjs --released` exit 1 before the first release (core has no CHANGELOG.md): run by
//                                           `pnpm version-packages` before `changeset version`, which would make the
//                                           first release 0.2.0 and its changelog the pending changesets, changes
//                                           between unreleased commits (.changeset/README.md, "The first release").
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The range a sibling's peer dependency on a package released at `version` should have: its minor, from `version`. */
export function peerRange(version) {
  const [major, minor] = version.split('.');
  return `>=${version} <${major}.${Number(minor) + 1}.0`;
}

/**
 * The peer ranges on a workspace package that differ from peerRange(its version), in the
 * workspace under `root` (its `packages/*` folders); with `write`, each is set to it.
 * @returns {{ file: string, name: string, from: string, to: string }[]}
 */
export function syncPeerRanges(root, { write = false } = {}) {
  const dir = join(root, 'packages');
  const manifests = readdirSync(dir)
    .map((name) => join(dir, name, 'package.json'))
    .filter((file) => existsSync(file))
    .map((file) => ({ file, json: JSON.parse(readFileSync(file, 'utf8')) }));
  const versions = new Map(manifests.map(({ json }) => [json.name, json.version]));
  const behind = [];
  for (const { file, json } of manifests) {
    const changes = [];
    for (const [name, from] of Object.entries(json.peerDependencies ?? {})) {
      const version = versions.get(name);
      if (version === undefined) continue;
      const to = peerRange(version);
      if (from !== to) changes.push({ file, name, from, to });
    }
    if (write && changes.length > 0) {
      for (const { name, to } of changes) json.peerDependencies[name] = to;
      writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    }
    behind.push(...changes);
  }
  return behind;
}

const coreFolder = join('packages', 'okta-auth-core');
const versionFile = join(coreFolder, 'src', 'config', 'version.ts');
const versionLine = /^export const VERSION = '([^']*)';$/m;

/**
 * Core's VERSION (`src/config/version.ts`, its User-Agent's version) when it differs from core's package.json, in the
 * workspace under `root`; with `write`, it is set to it.
 * @returns {{ file: string, name: string, from: string, to: string }[]}
 */
export function syncCoreVersion(root, { write = false } = {}) {
  const file = join(root, versionFile);
  const to = JSON.parse(readFileSync(join(root, coreFolder, 'package.json'), 'utf8')).version;
  const text = readFileSync(file, 'utf8');
  const from = versionLine.exec(text)?.[1];
  if (from === undefined) throw new Error(`${versionFile} has no line \`export const VERSION = '…';\``);
  if (from === to) return [];
  if (write) writeFileSync(file, text.replace(versionLine, `export const VERSION = '${to}';`));
  return [{ file, name: 'VERSION', from, to }];
}

/**
 * Why the release step must not run yet, or `undefined` once the first release is made: core has a CHANGELOG.md (its step 1)
 * and docs/first-release/ is gone (its step 2, which deletes the pending changesets with it).
 */
export function beforeFirstRelease(root) {
  const changelog = existsSync(join(root, coreFolder, 'CHANGELOG.md'));
  const notes = existsSync(join(root, 'docs', 'first-release'));
  if (changelog && !notes) return undefined;
  return [
    changelog
      ? 'pnpm version-packages: not before the first release is made (docs/first-release/ is still there: step 2, deleting it and the pending changesets, is not done).'
      : 'pnpm version-packages: not before the first release (packages/okta-auth-core has no CHANGELOG.md: nothing is published yet).',
    '`changeset version` would make the first version 0.2.0 and its changelog the pending changesets, which describe changes between unreleased commits.',
    'Make the first release as .changeset/README.md says ("The first release"): each package\'s note of docs/first-release/ into its CHANGELOG.md under `## 0.1.0`, the pending changesets deleted, 0.1.0 published with `pnpm changeset publish`.',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  if (process.argv.includes('--released')) {
    const refusal = beforeFirstRelease(root);
    if (refusal !== undefined) {
      console.error(refusal);
      process.exit(1);
    }
    process.exit(0);
  }
  const write = process.argv.includes('--write');
  const changes = [...syncPeerRanges(root, { write }), ...syncCoreVersion(root, { write })];
  for (const { file, name, from, to } of changes) {
    console.log(`${file.slice(root.length + 1)}: ${name === 'VERSION' ? '' : 'peer '}${name} ${from} ${write ? '→' : 'should be'} ${to}`);
  }
  if (!write && changes.length > 0) {
    console.log('run `node scripts/peer-ranges.mjs --write` (`pnpm version-packages` runs it after `changeset version`)');
    process.exit(1);
  }
}
