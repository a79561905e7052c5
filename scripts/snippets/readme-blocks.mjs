// The ```ts blocks of every README (root, packages/*, apps/*, tests/*, bench) and of docs/MIGRATING.md, as written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserBlock } from './browser.mjs';
import { list, root } from './workspace.mjs';

const readmes = [
  'README.md',
  ...['packages', 'apps', 'tests'].flatMap((group) => list(join(root, group)).filter((d) => d.isDirectory()).map((d) => `${group}/${d.name}/README.md`)),
  'bench/README.md',
  'docs/MIGRATING.md',
].filter((file) => existsSync(join(root, file)));

/** @returns {{ origin: string; code: string; browser: boolean }[]} each block, its origin `file:line` (its first line's). */
export function readmeSnippets() {
  const snippets = [];
  for (const file of readmes) {
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end].startsWith('```')) end++;
      snippets.push({ origin: `${file}:${start}`, code: lines.slice(start, end).join('\n'), browser: browserBlock(lines[i - 1]) });
      i = end;
    }
  }
  return snippets;
}
