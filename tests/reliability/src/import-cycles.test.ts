/**
 * The import cycles of the built packages (scripts/import-cycles.mjs, which `tests/dist-types/check.mjs`
 * runs on each packed package). Rollup warned `CIRCULAR_DEPENDENCY` five times for every entry of
 * core (rev165c: `config/transport.ts → rate-limit/rate-limit-coordinator.ts → request/rate-limit-verdict.ts
 * → config/transport.ts`, `config/runtime.ts → org-url → options → transport → user-agent → runtime`…),
 * and the emulator's /par and /authorize imported each other. The walk is tested on modules of its own,
 * then run on every package's `dist`.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importCycles } from '../../../scripts/import-cycles.mjs';

const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'okta-cycles-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function modules(name: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name, file)), { recursive: true });
    writeFileSync(join(dir, name, file), text);
  }
  return join(dir, name);
}

it('finds a cycle through an import, a re-export and a bare import, across folders and lines, and names its shortest chain', () => {
  const at = modules('cycle', {
    'index.js': "export { a } from './config/a.js';\n",
    'config/a.js': "import {\n  b,\n} from '../request/b.js';\nexport const a = () => b;\n",
    'request/b.js': "export * from './c.js';\nexport const b = 1;\n",
    'request/c.js': "import '../config/a.js';\nexport const c = 2;\n",
    'leaf.js': 'export const leaf = 3;\n',
  });
  expect(importCycles(at)).toEqual([['config/a.js', 'request/b.js', 'request/c.js', 'config/a.js']]);
});

it('counts neither import() nor an import in a comment or a string, nor a package import', () => {
  const at = modules('no-cycle', {
    'a.js': "import { x } from 'ky';\nexport const a = () => import('./b.js');\n",
    'b.js': "/**\n * import { a } from './a.js';\n */\nexport const b = \"import './a.js'\";\nimport './c.js';\n",
    'c.js': 'export const c = 1;\n',
  });
  expect(importCycles(at)).toEqual([]);
});

it('names one chain per group of modules importing each other', () => {
  const at = modules('two', {
    'a.js': "import './b.js';\n",
    'b.js': "import './a.js';\n",
    'x/y.js': "import './z.js';\n",
    'x/z.js': "import './y.js';\nimport '../a.js';\n",
  });
  expect(importCycles(at)).toEqual([['a.js', 'b.js', 'a.js'], ['x/y.js', 'x/z.js', 'x/y.js']]);
});

it("no package's built modules import each other in a cycle", () => {
  const packages = readdirSync(join(root, 'packages'));
  expect(packages).toContain('okta-auth-core');
  for (const name of packages) {
    expect(importCycles(join(root, 'packages', name, 'dist')), name).toEqual([]);
  }
});
