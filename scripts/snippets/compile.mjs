// Compiling the snippets against the BUILT packages (dist/*.d.ts, no source condition), in a throwaway project.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { libraries, root, thirdParty, ts } from './workspace.mjs';

/** A throwaway project whose node_modules has the workspace packages (resolved to dist by their exports). */
function throwawayProject() {
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
  return work;
}

/**
 * Compiles every snippet, twice (below), and answers each failing snippet's lines by its origin (`at (+line)`, the
 * line counted in its own code, after what was put before it: `offset`), and lines that name no snippet; the project
 * is removed, or kept and named with KEEP_SNIPPETS set.
 * @param {{ origin: string; code: string; offset?: number; browser: boolean }[]} snippets
 * @returns {{ results: { name: string; status: number; output: string }[]; failing: Map<string, string[]> }}
 */
export function compileSnippets(snippets) {
  const work = throwawayProject();
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
  return { results, failing };
}
