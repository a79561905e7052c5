#!/usr/bin/env node
// Checks the links of the docs a reader follows: every link, image and `[label]: target` of the root README, docs/*.md,
// the package, app, test and bench READMEs, packages/*/docs/*.md and bench/RESULTS.md whose target is relative, or a
// `https://github.com/org/okta-auth/tree|blob/main/` URL of this repository (`repository` of package.json), must name a
// file or folder of the repository, and its `#anchor` (or a bare `#anchor` in the same file) a heading of that Markdown
// file as GitHub slugs it, or an `<a name|id="…">`. Links inside code are not links. The checking is remark-validate-links
// (a CommonMark parser and github-slugger, GitHub's own slug rules); this file only picks the files, lets the library
// see `tree/` URLs, percent-encoded anchors and `<a name>` anchors, and prints each broken link as `file:line: target (reason)`.
// Why the library and not our own parser: docs/CONVENTIONS.md ("Docs checks"). Tested by
// tests/reliability/src/check-links.test.ts on a seeded corpus.
// Run: `pnpm check:links` (CI runs it beside `pnpm check:snippets`); `node scripts/check-links.mjs DIR` checks the
// same files under DIR instead of this repository (the test's corpus).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { remark } from 'remark';
import remarkValidateLinks from 'remark-validate-links';
import { engine } from 'unified-engine';

const repositoryRoot = join(import.meta.dirname, '..');
const root = resolve(process.argv[2] ?? repositoryRoot);
const { repository } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
const repositoryUrl = typeof repository === 'string' ? repository : repository?.url;
if (typeof repositoryUrl !== 'string') throw new Error('check-links: the root package.json needs `repository` (its GitHub URL) to check links to the repository on GitHub');

const list = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []);
const docs = [
  'README.md',
  ...list(join(root, 'docs')).filter((d) => d.isFile() && d.name.endsWith('.md')).map((d) => `docs/${d.name}`),
  ...['packages', 'apps', 'tests'].flatMap((group) => list(join(root, group)).filter((d) => d.isDirectory()).map((d) => `${group}/${d.name}/README.md`)),
  ...list(join(root, 'packages')).filter((d) => d.isDirectory()).flatMap((d) =>
    list(join(root, 'packages', d.name, 'docs')).filter((f) => f.isFile() && f.name.endsWith('.md')).map((f) => `packages/${d.name}/docs/${f.name}`),
  ),
  'bench/README.md',
  'bench/RESULTS.md',
].filter((file) => existsSync(join(root, file)));

/** Every node of a tree, depth first. */
function* nodes(node) {
  yield node;
  for (const child of node.children ?? []) yield* nodes(child);
}

/** `#%C3%BCber` as the browser reads it, `#über` (the library compares the anchor as written with the heading's slug). */
function decodeAnchor(url) {
  const hash = url.indexOf('#');
  if (hash === -1) return url;
  try {
    return url.slice(0, hash + 1) + decodeURIComponent(url.slice(hash + 1));
  } catch {
    return url; // not percent-encoding: checked as written
  }
}

/**
 * Runs before the library, on each file: remembers each link's target as written (for the report), turns
 * `…/tree/main/…` URLs into `…/blob/main/…` (GitHub serves both; the library checks `blob/` only, and would skip the
 * others unchecked), decodes percent-encoded anchors and gives each `<a name|id="…">` a node carrying that id, which the library takes as an anchor.
 */
function prepareLinks() {
  const treeUrl = /^(https?:\/\/github\.com\/[^/]+\/[^/]+\/)tree\//;
  return (tree, file) => {
    const targets = new Map();
    const anchors = [];
    for (const node of nodes(tree)) {
      if (typeof node.url === 'string' && node.position !== undefined) {
        targets.set(`${node.position.start.line}:${node.position.start.column}`, node.url);
        node.url = decodeAnchor(node.url.replace(treeUrl, '$1blob/'));
      }
      if (node.type === 'html') {
        for (const [, id] of node.value.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.push({ type: 'htmlAnchor', data: { hProperties: { id } } });
      }
    }
    tree.children.push(...anchors);
    file.data.linkTargets = targets;
  };
}

const context = await new Promise((done, fail) => {
  engine(
    {
      processor: remark(),
      cwd: root,
      files: docs,
      plugins: [prepareLinks, [remarkValidateLinks, { repository: repositoryUrl, root }]],
      detectConfig: false,
      detectIgnore: false,
      silent: true,
      out: false,
      output: false,
      color: false,
    },
    (error, _code, result) => (error === undefined ? done(result) : fail(error)),
  );
});

// Only the files asked for: the library also reads the files their anchors point into, for their headings.
const broken = context.files
  .filter((file) => file.data.unifiedEngineGiven)
  .flatMap((file) =>
    file.messages.toSorted((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)).map((message) => {
      const target = file.data.linkTargets?.get(`${message.line}:${message.column}`) ?? '?';
      return `${file.path}:${message.line ?? '?'}: ${target} (${message.reason})`;
    }),
  );
if (broken.length > 0) {
  console.error(broken.join('\n'));
  console.error(`\n${broken.length} broken links in ${docs.length} files.`);
  process.exit(1);
}
console.log(`The links of ${docs.length} files resolve.`);
