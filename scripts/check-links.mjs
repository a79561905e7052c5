#!/usr/bin/env node
// Checks the links of the docs a reader follows: every link, image and `[label]: target` of the root README, docs/*.md
// (and docs/first-release/*.md, the first release's notes),
// the package, app, test and bench READMEs, packages/*/docs/*.md and bench/RESULTS.md whose target is relative, or a
// `https://github.com/org/okta-auth/tree|blob/main/` URL of this repository (`repository` of package.json), must name a
// file or folder of the repository, and its `#anchor` (or a bare `#anchor` in the same file) a heading of that Markdown
// file as GitHub slugs it, or an `<a name|id="…">`. Links inside code are not links. The checking is remark-validate-links
// (a CommonMark parser and github-slugger, GitHub's own slug rules); this file only picks the files, lets the library
// see `tree/` URLs, percent-encoded anchors and `<a name>` anchors, and prints each broken link as `file:line: target (reason)`.
// Why the library and not our own parser: docs/CONVENTIONS.md ("Docs checks"). Then the evidence the same files cite in
// inline code (all but packages/okta-emulator/docs/FIDELITY.md, whose sources are Okta's files): a backticked file name
// (`.ts`, `.mjs`, `.js`, `.json`, `.md`) must be a file of the repository, by path if it has a slash, else by name
// anywhere; an UPPER_SNAKE code written as one (`code: 'X'`, `'X'`) or bare in a sentence about an error must be a
// member of some package's `export type …Code` union, unless it is an environment variable. Prints
// `file:line: `span` (reason)`. Tested by tests/reliability/src/check-links.test.ts on seeded corpora.
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
  ...list(join(root, 'docs', 'first-release')).filter((d) => d.isFile() && d.name.endsWith('.md')).map((d) => `docs/first-release/${d.name}`),
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

// The evidence the docs cite by name, in inline code (not in code blocks, not in links): a file (`encryption.ts`,
// `packages/okta-token-store-redis/test/fleet.server.test.ts`) must be a file of the repository, and an error code
// (`INVALID_CONFIG`) a member of some package's error code union. See docs/CONVENTIONS.md ("Docs checks").
const skipped = new Set(['node_modules', 'dist', '.git', '.turbo', 'coverage']);
/** Every file under `dir`, as a path from the root with `/`. */
const walk = (dir) => list(join(root, dir)).flatMap((d) => (skipped.has(d.name) ? [] : d.isDirectory() ? walk(`${dir}${d.name}/`) : d.isFile() ? [`${dir}${d.name}`] : []));
const files = walk('');
const fileSet = new Set(files);
const byName = new Set(files.map((file) => file.slice(file.lastIndexOf('/') + 1)));
// A file name or path; not an extension (`.d.ts`), an output folder (`.test-results/`) or an npm package's file
// (`@okta/okta-sdk-nodejs/src/client.js`: ours are cited by their path in the repository).
const fileName = /^[\w-][\w@.-]*(?:\/[\w@.-]+)*\.(?:ts|mjs|js|json|md)$/;
/** `x.js` also names the `x.ts` it is built from (our imports say `.js`). */
const spellings = (name) => (name.endsWith('.js') ? [name, `${name.slice(0, -3)}.ts`] : [name]);
function fileResolves(name, doc) {
  if (!name.includes('/')) return spellings(name).some((n) => byName.has(n));
  const docDir = doc.includes('/') ? doc.slice(0, doc.lastIndexOf('/') + 1) : '';
  // By path: from the root, from the doc's folder, or as the tail of a path (`user/http.ts` under a package's src/).
  return spellings(name.replace(/^\.\//, '')).some((n) => fileSet.has(n) || fileSet.has(docDir + n) || files.some((file) => file.endsWith(`/${n}`)));
}

// The error codes: every `'X'` of every `export type …Code = 'A' | 'B'` of the packages' sources.
const codes = new Set(
  files
    .filter((file) => /^packages\/[^/]+\/src\/.*\.ts$/.test(file) && !file.endsWith('.test.ts'))
    .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/export type \w*Code\s*=((?:[\s|]*'[A-Z][A-Z0-9_]*')+)/g)])
    .flatMap(([, union]) => [...union.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map(([, code]) => code)),
);
const upperSnake = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;
/** The code a span presents as an error code: `code: 'X'`, `code === 'X'`, `'X'`, or a bare `X` in a sentence about a code. */
function presentedCode(span, sentence) {
  const written = /^[\w.]*code\s*(?::|===?)\s*(['"])([A-Z][A-Z0-9_]*)\1$/.exec(span);
  if (written !== null) return upperSnake.test(written[2]) ? written[2] : undefined;
  // A quoted `'TIMEOUT'` is a code value; a bare word must be UPPER_SNAKE (`PKCE`, `GET` are not codes).
  const [, quote, bare] = /^(['"]?)([A-Z][A-Z0-9_]*)\1$/.exec(span) ?? [];
  return bare !== undefined && (quote !== '' || upperSnake.test(bare)) && /\b(?:codes?|errors?|throws?|thrown|rejects?|rejected|fails?|failed|refuses?|refused)\b/i.test(sentence) ? bare : undefined;
}
/** The sentences of a paragraph, list item or table cell, with the inline code spans each holds. */
function* sentences(node) {
  if (['paragraph', 'heading', 'tableCell'].includes(node.type)) {
    let text = '';
    let spans = [];
    const flush = function* () {
      if (spans.length > 0) yield { text, spans };
      text = '';
      spans = [];
    };
    for (const child of nodes(node)) {
      if (child.type === 'inlineCode') {
        text += `\`${child.value}\``;
        spans.push(child);
      } else if (child.type === 'text') {
        for (const [i, part] of child.value.split(/(?<=[.;:!?])\s+/).entries()) {
          if (i > 0) yield* flush();
          text += part;
        }
      }
    }
    yield* flush();
    return;
  }
  for (const child of node.children ?? []) yield* sentences(child);
}
// Not FIDELITY.md: its sources cite files of Okta's repositories (okta/okta-developer-docs) by their paths there.
// Environment variables are UPPER_SNAKE too, and sit in sentences about errors: a name the docs set (`NAME=…`, in
// code or prose) or call a variable, or the code reads from an environment (`env.NAME`, `env['NAME']`) or names in a
// string of a source file other than a test (`redirectUri: 'OKTA_CLIENT_REDIRECTURI'`; a code a package still throws is
// in its union, the type checker sees to that), is not a code.
const docTexts = new Map(docs.map((doc) => [doc, readFileSync(join(root, doc), 'utf8')]));
const environment = new Set([
  ...[...docTexts.values()].flatMap((text) => [...text.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=/g)].map(([, name]) => name)),
  ...[...docTexts.values()].flatMap((text) => [...text.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`[^.\n]*\b(?:environment|variables?)\b/gi)].map(([, name]) => name)),
  ...files
    .filter((file) => /\.(?:ts|mjs|js)$/.test(file))
    .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)/g)].map(([, name]) => name)),
  ...files
    .filter((file) => /\.(?:ts|mjs|js)$/.test(file) && !/\.test\.ts$/.test(file))
    .flatMap((file) => [...readFileSync(join(root, file), 'utf8').matchAll(/(['"])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\1/g)].map(([, , name]) => name)),
]);
const unresolved = docs.filter((doc) => !doc.endsWith('/FIDELITY.md')).flatMap((doc) => {
  const tree = remark().parse(docTexts.get(doc));
  return [...sentences(tree)].flatMap(({ text, spans }) =>
    spans.flatMap((span) => {
      const at = `${doc}:${span.position.start.line}: \`${span.value}\``;
      if (fileName.test(span.value)) return fileResolves(span.value, doc) ? [] : [`${at} (no such file in the repository)`];
      const code = presentedCode(span.value, text);
      return code === undefined || codes.has(code) || environment.has(code) ? [] : [`${at} (not a member of any package's error code union)`];
    }),
  );
});

if (broken.length > 0) {
  console.error(broken.join('\n'));
  console.error(`\n${broken.length} broken links in ${docs.length} files.`);
}
if (unresolved.length > 0) {
  console.error(unresolved.join('\n'));
  console.error(`\n${unresolved.length} backticked file names or error codes in ${docs.length} files name nothing in the repository.`);
}
if (broken.length > 0 || unresolved.length > 0) process.exit(1);
console.log(`The links, cited files and error codes of ${docs.length} files resolve.`);
