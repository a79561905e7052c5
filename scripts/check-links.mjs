#!/usr/bin/env node
// Checks the relative links of the docs a reader follows: every `[text](target)` and
// `[label]: target` of the root README, docs/*.md, the package, app, test and bench READMEs, packages/*/docs/*.md and
// bench/RESULTS.md whose target is relative, or a `https://github.com/org/okta-auth/tree|blob/main/`
// URL of this repository, must name a file or folder of the repository, and
// its `#anchor` (or a bare `#anchor` in the same file) a heading of that Markdown file, slugged
// as GitHub does. Links inside code blocks and inline code are not links. Run: `pnpm check:links`
// (CI runs it beside `pnpm check:snippets`). Prints each broken link as `file:line: target`.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
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

/** The lines of a Markdown file outside fenced code blocks, inline code blanked; `null` for lines in a fence. */
function proseLines(text) {
  let fence = null;
  return text.split('\n').map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open !== null) {
      if (fence === null) fence = open[1][0];
      else if (open[1][0] === fence) fence = null;
      return null;
    }
    return fence === null ? line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length)) : null;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(file) {
  const seen = new Map();
  const result = new Set();
  const text = readFileSync(file, 'utf8');
  let fence = null;
  for (const line of text.split('\n')) {
    const open = /^\s*(`{3,}|~{3,})/.exec(line);
    if (open !== null) {
      if (fence === null) fence = open[1][0];
      else if (open[1][0] === fence) fence = null;
      continue;
    }
    const heading = fence === null ? /^#{1,6}[ \t](.*)$/.exec(line) : null;
    if (heading === null) continue;
    const slug = heading[1]
      .trim()
      .replace(/\[([^[\]]*)\]\([^)]*\)/g, (_link, text) => text)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) result.add(id);
  return result;
}

/** The repository's own URL (the `repository` field of the packages): its links are checked like relative ones. */
const repoUrl = /^https:\/\/github\.com\/org\/okta-auth\/(?:tree|blob)\/main\/(.*)$/;
const broken = [];
let checked = 0;
for (const doc of docs) {
  const lines = proseLines(readFileSync(join(root, doc), 'utf8'));
  lines.forEach((line, index) => {
    if (line === null) return;
    const targets = [...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...line.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1]);
    for (const raw of targets) {
      // The package READMEs link into the repository by its GitHub URL (npm shows them without it).
      const inRepo = repoUrl.exec(raw);
      if (inRepo === null && /^[a-z][a-z0-9+.-]*:/i.test(raw)) continue; // other https:, mailto:
      checked++;
      const target = inRepo === null ? raw : inRepo[1];
      const [path, anchor] = target.split('#', 2);
      const file = inRepo !== null ? join(root, decodeURIComponent(path)) : path === '' ? join(root, doc) : join(root, dirname(doc), decodeURIComponent(path));
      const where = `${doc}:${index + 1}: ${raw}`;
      if (!existsSync(file)) {
        broken.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      const markdown = statSync(file).isDirectory() ? join(file, 'README.md') : file;
      if (!markdown.endsWith('.md') || !existsSync(markdown)) {
        broken.push(`${where} (an anchor into ${relative(root, markdown)}, which is not Markdown)`);
      } else if (!anchors(markdown).has(decodeURIComponent(anchor).toLowerCase())) {
        broken.push(`${where} (no heading #${anchor} in ${relative(root, markdown)})`);
      }
    }
  });
}
if (broken.length > 0) {
  console.error(broken.join('\n'));
  console.error(`\n${broken.length} of ${checked} relative links in ${docs.length} files are broken.`);
  process.exit(1);
}
console.log(`${checked} relative links in ${docs.length} files resolve.`);
