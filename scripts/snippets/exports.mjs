// A library package's public names, and the declarations of them whose TSDoc lacks an @example or a @see.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { list, root } from './workspace.mjs';

/** The package's source files, tests and test helpers left out. */
export function sourceFiles(dir) {
  return list(dir).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-helpers' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Each public name of the package in `dir` (published as `name`) and the entry point it is imported from: the root
 * first, then the package's other public subpaths (`@org/okta-auth-core/ky`…), so an example of a subpath's export is
 * compiled too; and the problems of entries that export with `export *` or `export default`.
 */
export function exportedNames(dir, name) {
  const exported = new Map();
  const problems = [];
  const entries = Object.entries(JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).exports);
  for (const [subpath, target] of entries.sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : 0))) {
    if (typeof target !== 'object' || subpath === './internal') continue;
    const source = readFileSync(join(root, 'packages', dir, target['@org/source']), 'utf8');
    const names = [...source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((s) => s.split(' as ').pop().trim().replace(/^type\s+/, '')).filter(Boolean));
    for (const symbol of names) if (!exported.has(symbol)) exported.set(symbol, subpath === '.' ? name : `${name}/${subpath.slice(2)}`);
    // Any other export of the entry: a declaration is checked as the listed ones are; `export *` and
    // `export default` name nothing this check could find, so they fail it (list the names instead).
    for (const [, rest] of source.matchAll(/^export\s+(?!(?:type\s+)?\{)(\S.*)$/gm)) {
      const declared = /^(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|interface|type|const|let|var|enum)\s+(\w+)/.exec(rest)?.[1];
      if (declared !== undefined) exported.set(declared, exported.get(declared) ?? (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
      else problems.push(`packages/${dir}/${target['@org/source'].slice(2)}: \`export ${rest.trim()}\` names no declaration this check reads: list the names (\`export { a, b } from …\`)`);
    }
  }
  return { exported, problems };
}

/**
 * Each declaration of a public name (in any source file of the package: a name exported by two
 * entries, as `createSignInClient` by the root and `/sign-in`, has a declaration each, and every
 * overload signature is one) whose TSDoc lacks an `@example` or a `@see`, or is `@internal`
 * (docs/CONVENTIONS.md, "TSDoc on every export"): typedoc checks that each is documented, not that
 * it shows its use and cites what it implements. A class's or interface's members are not checked.
 */
export function undocumentedExports(dir, exported) {
  const found = new Set();
  const problems = [];
  for (const path of sourceFiles(join(root, 'packages', dir, 'src'))) {
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const declared = /^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|interface|type|const|let)\s+(\w+)/.exec(line)?.[1];
      if (declared === undefined || !exported.has(declared)) return;
      found.add(declared);
      let close = i - 1;
      while (close >= 0 && lines[close].trim() === '') close--;
      // An overloaded function's implementation signature, after its overloads: not part of its type.
      if (!line.trimEnd().endsWith(';') && new RegExp(`^export\\s+(?:declare\\s+)?(?:async\\s+)?function\\*?\\s+${declared}\\b.*;\\s*$`).test(lines[close] ?? '')) return;
      let open = close;
      if (lines[close]?.trim().endsWith('*/')) while (open > 0 && !lines[open].includes('/**')) open--;
      const block = lines[close]?.trim().endsWith('*/') ? lines.slice(open, close + 1).join('\n') : '';
      const missing = [!/@example\b/.test(block) && '@example', !/@see\b/.test(block) && '@see', /@internal\b/.test(block) && 'not @internal'].filter(Boolean);
      if (missing.length > 0) problems.push(`${relative(root, path)}:${i + 1}: ${declared} (exported by ${exported.get(declared)}) needs ${missing.join(' and ')}`);
    });
  }
  for (const symbol of exported.keys()) if (!found.has(symbol)) problems.push(`packages/${dir}: no declaration found for the export ${symbol} (exported by ${exported.get(symbol)})`);
  return problems;
}
