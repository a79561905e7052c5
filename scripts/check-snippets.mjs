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
// come from the workspace package that depends on them (`thirdParty` below). It also fails when a
// declaration of a public export has no @example or @see in its TSDoc, or is @internal
// (`undocumentedExports`), and when an entry exports with `export *` or `export default`. Run after
// `pnpm build`: `pnpm check:snippets` (CI runs it).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const libraries = {
  'okta-auth-core': '@org/okta-auth-core',
  'okta-ssws': '@org/okta-ssws',
  'okta-oauth': '@org/okta-oauth',
  'okta-emulator': '@org/okta-emulator',
  'okta-token-store-redis': '@org/okta-token-store-redis',
  'okta-token-store-durable-object': '@org/okta-token-store-durable-object',
};
/**
 * Third-party modules a snippet may import because a user of the packages has them: the
 * packages' dependencies, and what the READMEs show them used with (a test runner, a proxy agent, a Redis
 * client). Each is taken from the node_modules of the workspace package that depends on it.
 */
const thirdParty = {
  ky: 'packages/okta-auth-core',
  jose: 'packages/okta-oauth',
  vitest: '.',
  redis: 'packages/okta-token-store-redis',
  ioredis: 'packages/okta-token-store-redis',
  undici: 'tests/reliability',
  // The emulator README's sign-in page driven by a real browser.
  'playwright-core': 'packages/okta-oauth',
  // docs/MIGRATING.md's "before" blocks: Okta's SDKs, dev dependencies of the emulator's fidelity tests.
  '@okta/okta-sdk-nodejs': 'packages/okta-emulator',
  '@okta/okta-auth-js': 'packages/okta-emulator',
};

/**
 * What an @example without imports may take as given, the way a reader does: "the client",
 * "the error you caught". Declared only when the example uses the name and does not declare it.
 * Anything else an example needs, it declares or imports itself.
 */
const expressLike =
  "{ originalUrl: string; session: { signIn?: import('@org/okta-oauth').SignInTransaction; tokens?: import('@org/okta-oauth').StoredUserTokens | undefined } }";
const commonFixtures = {
  error: { declaration: 'declare const error: unknown; // what you caught' },
  response: { declaration: 'declare const response: Response;' },
  okta: { declaration: "declare const okta: import('@org/okta-auth-core').OktaFetch;" },
  org: { declaration: "declare const org: import('@org/okta-emulator').OktaEmulator;" },
};
const exampleFixtures = {
  '@org/okta-auth-core': { ...commonFixtures, credential: { declaration: "declare const credential: import('@org/okta-auth-core').OktaCredential;" } },
  '@org/okta-ssws': commonFixtures,
  '@org/okta-emulator': commonFixtures,
  '@org/okta-token-store-redis': {
    ...commonFixtures,
    client: { declaration: "declare const client: import('@org/okta-token-store-redis').RedisClientLike; // your connected node-redis or ioredis client" },
    encryption: { declaration: "declare const encryption: import('@org/okta-token-store-redis').EncryptionKeys;" },
  },
  '@org/okta-token-store-durable-object': commonFixtures,
  '@org/okta-oauth': {
    ...commonFixtures,
    credential: { declaration: "declare const credential: import('@org/okta-oauth').UserCredential;" },
    client: { declaration: "declare const client: import('@org/okta-oauth').SignInClient;" },
    signIn: { declaration: "declare const signIn: import('@org/okta-oauth').SignInClient;" },
    transaction: { declaration: "declare const transaction: import('@org/okta-oauth').SignInTransaction;" },
    tokens: { declaration: "declare const tokens: import('@org/okta-oauth').UserTokens;" },
    callbackUrl: { declaration: 'declare const callbackUrl: string; // the URL Okta redirected to' },
    req: { declaration: `declare const req: ${expressLike}; // an Express request with express-session` },
    session: { declaration: `declare const session: ${expressLike}['session'];` },
    res: { declaration: 'declare const res: { redirect(url: string): void };' },
    redis: {
      declaration:
        'declare const redis: { get(key: string): Promise<string | null>; set(key: string, value: string, options?: { EX?: number; PXAT?: number }): Promise<unknown>; del(key: string): Promise<unknown> }; // a node-redis client',
    },
  },
};

const list = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []);
const readmes = [
  'README.md',
  ...['packages', 'apps', 'tests'].flatMap((group) => list(join(root, group)).filter((d) => d.isDirectory()).map((d) => `${group}/${d.name}/README.md`)),
  'bench/README.md',
  'docs/MIGRATING.md',
].filter((file) => existsSync(join(root, file)));

/**
 * Browser code is compiled with DOM only; every other block also without DOM, as a Node.js project
 * has it. A README block is browser code when the marker on the line before it says so (the markers
 * of docs/CONVENTIONS.md, "Code", that `readme-examples.server.test.ts` reads): `<!-- not run: a
 * browser page … -->`, or a browser set-up, `<!-- run: browser-… -->`. An @example has no marker: it
 * is browser code when its code uses a page's own global (`browserGlobals`, read by `identifiers`), which no
 * Node.js project has.
 */
const browserMarker = /^<!-- (?:not run: a browser page\b|run: browser-)/;
const browserGlobals = ['window', 'document', 'location', 'history', 'localStorage', 'sessionStorage', 'indexedDB'];

const ts = createRequire(join(root, 'package.json'))('typescript');
/**
 * The names an @example's code uses, read by TypeScript's parser: no word of a comment, a string or
 * a template's text ("Okta's window resets", the discovery document, the Location header), nor a
 * property's or member's own name (`url.location`, `{ history: [] }`).
 */
function identifiers(code) {
  const names = new Set();
  const visit = (node) => {
    const { parent } = node;
    const member = ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isMethodDeclaration(parent);
    if (ts.isIdentifier(node) && !(member && parent.name === node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true), visit);
  return names;
}

/** @type {{ origin: string; code: string; offset?: number; browser: boolean }[]} */
const snippets = [];
for (const file of readmes) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    snippets.push({ origin: `${file}:${start}`, code: lines.slice(start, end).join('\n'), browser: browserMarker.test(lines[i - 1] ?? '') });
    i = end;
  }
}

function sourceFiles(dir) {
  return list(dir).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-helpers' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * Each declaration of a public name (in any source file of the package: a name exported by two
 * entries, as `createSignInClient` by the root and `/sign-in`, has a declaration each, and every
 * overload signature is one) whose TSDoc lacks an `@example` or a `@see`, or is `@internal`
 * (docs/CONVENTIONS.md, "TSDoc on every export"): typedoc checks that each is documented, not that
 * it shows its use and cites what it implements. A class's or interface's members are not checked.
 */
function undocumentedExports(dir, exported) {
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

/** @type {string[]} */
const undocumented = [];
const withExamples = !process.argv.includes('--readmes-only');
for (const [dir, name] of withExamples ? Object.entries(libraries) : []) {
  // Each public name and the entry point it is imported from: the root first, then the package's
  // other public subpaths (`@org/okta-auth-core/ky`…), so an example of a subpath's export is compiled too.
  const exported = new Map();
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
      else undocumented.push(`packages/${dir}/${target['@org/source'].slice(2)}: \`export ${rest.trim()}\` names no declaration this check reads: list the names (\`export { a, b } from …\`)`);
    }
  }
  undocumented.push(...undocumentedExports(dir, exported));
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
      snippets.push({ origin: `${relative(root, path)}:${start} (@example)`, code: [...prelude, code].join('\n'), offset: prelude.length, browser: browserGlobals.some(mentions) });
      i = end;
    }
  }
}

// A throwaway project whose node_modules has the workspace packages (resolved to dist by their exports).
const work = mkdtempSync(join(tmpdir(), 'okta-snippets-'));
const modules = join(work, 'node_modules');
mkdirSync(join(modules, '@org'), { recursive: true });
mkdirSync(join(modules, '@types'), { recursive: true });
for (const [dir, name] of Object.entries(libraries)) symlinkSync(join(root, 'packages', dir), join(modules, name));
symlinkSync(join(root, 'node_modules', '@types', 'node'), join(modules, '@types', 'node'));
for (const [module, from] of Object.entries(thirdParty)) {
  mkdirSync(dirname(join(modules, module)), { recursive: true }); // a scoped name's folder (`@okta/`)
  symlinkSync(join(root, from, 'node_modules', module), join(modules, module));
}
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'snippets', private: true, type: 'module' }));
const files = snippets.map((snippet, index) => {
  const file = `snippet-${String(index).padStart(3, '0')}.ts`;
  // Each block is a module of its own (top-level await, no name clashes between blocks).
  writeFileSync(join(work, file), `${snippet.code}\nexport {};\n`);
  return file;
});
// Two programs over the same files: every block with DOM (a browser project, and what the blocks
// have always been checked against), and every block but the browser ones without DOM, as a Node.js
// project has it (tests/dist-types' node-nodenext consumer): a cast to DOM's RequestInit, or a
// `CryptoKey` global, compiles only in the first.
const programs = {
  dom: { lib: ['es2023', 'dom', 'dom.iterable'], files, label: '' },
  node: { lib: ['es2023'], files: files.filter((_, index) => !snippets[index].browser), label: ' (without DOM: a Node.js project, lib es2023, types node)' },
};
for (const [name, { lib, files: included }] of Object.entries(programs)) {
  writeFileSync(
    join(work, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib, types: ['node'],
        strict: true, exactOptionalPropertyTypes: true, noEmit: true, skipLibCheck: true, verbatimModuleSyntax: false,
      },
      files: included,
    }),
  );
}
// One compiler host for both: a file both programs read (the packages' declarations, Node's types,
// the snippets) is read and parsed once, so the second program costs about its type check alone.
const host = ts.createCompilerHost({});
const parsed = new Map();
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (file, ...rest) => {
  if (!parsed.has(file)) parsed.set(file, getSourceFile(file, ...rest));
  return parsed.get(file);
};
host.getCurrentDirectory = () => work;
const results = Object.keys(programs).map((name) => {
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(work, `tsconfig.${name}.json`), ts.sys.readFile).config, ts.sys, work);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program)];
  // tsc's own `--pretty false` lines: `snippet-007.ts(3,5): error TS2322: …`, then the chain indented.
  const output = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (file) => file, getCurrentDirectory: () => work, getNewLine: () => '\n' });
  return { name, status: diagnostics.length === 0 ? 0 : 1, output };
});
const failing = new Map();
for (const { name, output } of results) {
  let last; // the origin of the diagnostic an indented line goes on explaining
  for (const line of output.split('\n')) {
    const match = /^(snippet-(\d+)\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (match === null) {
      if (last !== undefined && /^\s/.test(line)) failing.get(last).push(`  ${line}`);
      else if (line.trim() !== '') failing.set(`other ${failing.size}`, [`${line}${programs[name].label}`]);
      continue;
    }
    const snippet = snippets[Number(match[2])];
    last = snippet.origin;
    const at = `${snippet.origin} (+${Number(match[3]) - 1 - (snippet.offset ?? 0)})${programs[name].label}`;
    failing.set(snippet.origin, [...(failing.get(snippet.origin) ?? []), `  ${at}: ${match[5]}`]);
  }
}
if (process.env.KEEP_SNIPPETS === undefined) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
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
