// The sibling packages' peer ranges on each other, kept at the version released with them.
// `@org/okta-oauth`, `@org/okta-ssws` and `@org/okta-token-store-redis` import core's `./internal`
// entry, which is not covered by semver and grows with each release (docs/ARCHITECTURE.md): a peer
// range that still took the first 0.x release would let an app keep an older core that lacks an
// export the new package imports, and fail at import. The packages are released together (the
// changesets `fixed` group), so each peer range starts at the version released beside it:
// `>=<that version> <1.0.0` while on 0.x (`^0.x` would refuse the next 0.x release a user of the
// method package may already have), `^<version>` from 1.0.
//
// `node scripts/peer-ranges.mjs`          says which ranges are behind, exit 1 if any (a check);
// `node scripts/peer-ranges.mjs --write`  moves them (run by `pnpm version-packages` after
//                                         `changeset version`).
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The range a sibling's peer dependency on a package released at `version` should have. */
export function peerRange(version) {
  const [major] = version.split('.');
  return major === '0' ? `>=${version} <1.0.0` : `^${version}`;
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const write = process.argv.includes('--write');
  const root = join(import.meta.dirname, '..');
  const changes = syncPeerRanges(root, { write });
  for (const { file, name, from, to } of changes) {
    console.log(`${file.slice(root.length + 1)}: peer ${name} ${from} ${write ? '→' : 'should be'} ${to}`);
  }
  if (!write && changes.length > 0) {
    console.log('run `node scripts/peer-ranges.mjs --write` (or `pnpm version-packages`, which runs it after `changeset version`)');
    process.exit(1);
  }
}
