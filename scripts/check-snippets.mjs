#!/usr/bin/env node
// Type-checks the code a user copies: every ```ts block of every README (root, packages/*,
// apps/*, tests/*, bench) and of docs/MIGRATING.md as written, and every TSDoc @example block of the library packages,
// against the BUILT packages (dist/*.d.ts, no source condition). README blocks must be
// self-contained (their own imports and declared variables). An @example block that has no
// import gets one for the names of its own package's exports that it uses (from the root or the public subpath, such as `/ky`, that exports each); anything else it
// needs it declares. Each block is compiled twice, in two programs: with DOM (lib es2023, dom) and,
// unless it is browser code, without it (lib es2023 and Node's types, tests/dist-types' node-nodenext
// consumer), so a Node.js block that compiles only with DOM's types fails. Browser code: a README block
// marked `<!-- not run: a browser page … -->` or `<!-- run: browser-… -->`, an @example whose code uses a page's
// global (`browserGlobals`; not a word of a comment or a string: `identifiers`). Third-party modules a snippet may import (ky, jose, vitest, redis, ioredis, undici, playwright-core)
// come from the workspace package that depends on them (`thirdParty`). It also fails when a
// declaration of a public export has no @example or @see in its TSDoc, or is @internal
// (`undocumentedExports`), and when an entry exports with `export *` or `export default`. Run after
// `pnpm build`: `pnpm check:snippets` (CI runs it).
//
// One concern per module of scripts/snippets/: `workspace.mjs` (the packages, `thirdParty`), `readme-blocks.mjs`
// (the README blocks), `exports.mjs` (each package's public names, `undocumentedExports`), `examples.mjs` (the
// @example blocks, given their imports and `fixtures.mjs`), `browser.mjs` (which blocks are browser code:
// `browserGlobals`, `identifiers`) and `compile.mjs` (the two programs and what fails in them).
import { compileSnippets } from './snippets/compile.mjs';
import { exampleSnippets } from './snippets/examples.mjs';
import { exportedNames, undocumentedExports } from './snippets/exports.mjs';
import { readmeSnippets } from './snippets/readme-blocks.mjs';
import { libraries } from './snippets/workspace.mjs';

/** @type {{ origin: string; code: string; offset?: number; browser: boolean }[]} */
const snippets = readmeSnippets();
/** @type {string[]} */
const undocumented = [];
const withExamples = !process.argv.includes('--readmes-only');
for (const [dir, name] of withExamples ? Object.entries(libraries) : []) {
  const { exported, problems } = exportedNames(dir, name);
  undocumented.push(...problems, ...undocumentedExports(dir, exported));
  snippets.push(...exampleSnippets(dir, name, exported));
}

const { results, failing } = compileSnippets(snippets);
const readmeCount = snippets.filter((s) => !s.origin.endsWith('(@example)')).length;
if (undocumented.length > 0) {
  console.error(`${undocumented.join('\n')}\n\n${undocumented.length} declarations of public exports lack an @example or a @see (docs/CONVENTIONS.md, "TSDoc on every export").`);
  process.exitCode = 1;
}
if (results.some((result) => result.status !== 0) || failing.size > 0) {
  for (const [origin, lines] of failing) console.error(`${origin}\n${lines.join('\n')}`);
  console.error(`\n${failing.size} of ${snippets.length} snippets do not compile (${readmeCount} README blocks, ${snippets.length - readmeCount} @example blocks).`);
  process.exit(1);
}
console.log(`${snippets.length} snippets compile (${readmeCount} README blocks, ${snippets.length - readmeCount} @example blocks).`);
