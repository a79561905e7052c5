// The import cycles of a package's built modules (its `dist`), as a bundler meets them: rollup warns
// `CIRCULAR_DEPENDENCY` for each one an app's bundle holds, and a cycle makes a module's value
// depend on the order its importers load it in. Only static relative imports and re-exports count
// (`import … from './x.js'`, `export … from './x.js'`, `import './x.js'`): `import()` is loaded when
// called, and a package's own imports are all relative. The walk reads the emitted JavaScript,
// where type-only imports are gone. Run by `tests/dist-types/check.mjs` on each packed package;
// `node scripts/import-cycles.mjs <dir>…` prints the cycles of each directory, exit 1 if any.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// A statement at the start of a line (a comment's ` * import …` is not one), across lines up to its specifier.
const staticImport = /^[ \t]*(?:import|export)\b(?:[^'";]*?\bfrom)?\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Every `.js` file under `dir`, as absolute paths. */
function modulesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The shortest chain of imports from `start` back to it, within `members`. */
function shortestCycle(graph, start, members) {
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift();
    for (const next of graph.get(at) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const chain = [at];
        while (chain[0] !== start) chain.unshift(cameFrom.get(chain[0]));
        return [...chain, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, at);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * The import cycles among the `.js` modules under `dir`: one per group of modules that import each other
 * (a strongly connected component), shown as the shortest chain from its first module back to it, each path
 * relative to `dir` (`['a.js', 'b.js', 'a.js']`). `[]` when the modules form no cycle.
 * @param {string} dir
 * @returns {string[][]}
 */
export function importCycles(dir) {
  const root = resolve(dir);
  const files = modulesUnder(root).sort();
  const graph = new Map(files.map((file) => [file, [...readFileSync(file, 'utf8').matchAll(staticImport)].map((m) => resolve(dirname(file), m[1]))]));
  // Tarjan's strongly connected components, iteratively (a deep chain of imports overflows no stack).
  const index = new Map(), low = new Map(), onStack = new Set(), stack = [], groups = [];
  let next = 0;
  for (const first of files) {
    if (index.has(first)) continue;
    const work = [{ node: first, edges: graph.get(first) ?? [], at: 0 }];
    index.set(first, next); low.set(first, next); next++; stack.push(first); onStack.add(first);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.at < frame.edges.length) {
        const to = frame.edges[frame.at++];
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, next); low.set(to, next); next++; stack.push(to); onStack.add(to);
          work.push({ node: to, edges: graph.get(to) ?? [], at: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== frame.node);
      if (group.length > 1 || graph.get(frame.node).includes(frame.node)) groups.push(group.sort());
    }
  }
  return groups
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map((group) => shortestCycle(graph, group[0], new Set(group)).map((file) => relative(root, file)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  let found = 0;
  for (const dir of process.argv.slice(2)) {
    for (const cycle of importCycles(dir)) {
      found++;
      console.log(`${dir}: ${cycle.join(' → ')}`);
    }
  }
  if (found > 0) process.exit(1);
}
