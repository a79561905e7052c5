// The TSDoc @example blocks of a library package's exported API, each given the imports and fixtures it takes as given.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { browserExample, identifiers } from './browser.mjs';
import { sourceFiles } from './exports.mjs';
import { exampleFixtures } from './fixtures.mjs';
import { root } from './workspace.mjs';

/**
 * The @example blocks of the package in `dir` (published as `name`) whose declaration is exported (`exported`, from
 * `exportedNames`), not `@internal`. An @example block that has no import gets one for the names of its own package's
 * exports that it uses (from the root or the public subpath, such as `/ky`, that exports each), and the fixtures it
 * uses (`exampleFixtures`); anything else it needs it declares. `offset`: the lines put before its code.
 * @returns {{ origin: string; code: string; offset: number; browser: boolean }[]}
 */
export function exampleSnippets(dir, name, exported) {
  const snippets = [];
  for (const path of sourceFiles(join(root, 'packages', dir, 'src'))) {
    const lines = readFileSync(path, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*\*\s*@example/.test(lines[i])) continue;
      let open = i;
      while (open > 0 && !lines[open].includes('/**')) open--;
      let close = i;
      while (close < lines.length && !lines[close].includes('*/')) close++;
      if (lines.slice(open, close + 1).some((line) => line.includes('@internal'))) continue; // not in the API
      const declared = /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function|class|interface|type|const)\s+(\w+)/.exec(lines[close + 1] ?? '')?.[1];
      if (declared !== undefined && !exported.has(declared)) continue; // a module-level helper the package does not export
      let j = i + 1;
      while (j < lines.length && !/^\s*\*\s*```/.test(lines[j])) j++;
      const start = j + 1;
      let end = start;
      while (end < lines.length && !/^\s*\*\s*```/.test(lines[end])) end++;
      const code = lines.slice(start, end).map((line) => line.replace(/^\s*\*( |$)/, '')).join('\n');
      const names = identifiers(code);
      const mentions = (word) => names.has(word);
      const declares = (word) => new RegExp(`\\b(const|let|var|function|class|interface|type)\\s+${word}\\b|\\b(const|let|var)\\s*[{[][^=]*\\b${word}\\b[^=]*[}\\]]\\s*=`).test(code);
      const fixtures = Object.entries(exampleFixtures[name]).filter(([word]) => mentions(word) && !declares(word));
      const used = new Set([...exported.keys()].filter((symbol) => mentions(symbol) && !declares(symbol)));
      for (const [, { needs = [] }] of fixtures) for (const symbol of needs) used.add(symbol);
      const selfContained = code.split('\n').some((line) => line.trimStart().startsWith('import '));
      const prelude = [
        ...(selfContained ? [] : [...new Set([...used].map((symbol) => exported.get(symbol) ?? name))].map((from) => `import { ${[...used].filter((symbol) => (exported.get(symbol) ?? name) === from).join(', ')} } from '${from}';`)),
        ...(selfContained ? [] : fixtures.map(([, { declaration }]) => declaration)),
      ];
      snippets.push({ origin: `${relative(root, path)}:${start} (@example)`, code: [...prelude, code].join('\n'), offset: prelude.length, browser: browserExample(mentions) });
      i = end;
    }
  }
  return snippets;
}
