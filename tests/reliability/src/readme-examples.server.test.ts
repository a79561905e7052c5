/**
 * The README examples that run against @org/okta-emulator, run as a new user would: each `ts` block of a
 * package README that starts an emulator (and is not itself a vitest file) is bundled with esbuild
 * against the BUILT packages (`dist/`, what `pnpm pack` ships) and run in its own Node.js process. It
 * must exit 0, and every `console.log(…); // expected` line must print what its comment says, in order.
 * `pnpm check:snippets` proves these blocks compile; this proves they do what the README says.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const readmes = ['packages/okta-auth-core', 'packages/okta-ssws', 'packages/okta-oauth', 'packages/okta-emulator'].map((dir) => `${dir}/README.md`);

interface Example {
  readonly name: string;
  readonly code: string;
  /** What each `console.log` prints, in order: its comment, or undefined (anything) without one. */
  readonly expected: readonly (string | undefined)[];
}

/** The runnable emulator examples of one README. */
function emulatorExamples(readme: string, text: string): Example[] {
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  return blocks.flatMap((code, index) => {
    if (!code.includes('startEmulator(') || code.includes("from 'vitest'") || /^declare /m.test(code)) return [];
    const expected = [...code.matchAll(/^console\.log\(.*\);(?: \/\/ (.+))?$/gm)].map((match) => match[1]);
    return [{ name: `${readme} block ${index + 1}`, code, expected }];
  });
}

/**
 * Lines printed, checked against the expected ones: a comment with `…` matches any text there.
 */
function matches(line: string | undefined, expected: string): boolean {
  if (line === undefined) return false;
  const pattern = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(line);
}

const work = await mkdtemp(join(tmpdir(), 'readme-examples-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const examples = (await Promise.all(readmes.map(async (readme) => emulatorExamples(readme, await readFile(join(root, readme), 'utf8'))))).flat();

describe('README examples against the emulator', () => {
  it('finds the examples (the core, ssws and oauth "Testing against the emulator" blocks at least)', () => {
    expect(examples.filter((example) => example.expected.some((line) => line !== undefined)).length).toBeGreaterThanOrEqual(3);
  });

  it('matches an elided comment only where it says …', () => {
    expect(matches('200', '200')).toBe(true);
    expect(matches('201', '200')).toBe(false);
    expect(matches('<http://127.0.0.1:1/x>; rel="self"', '<…>; rel="self"')).toBe(true);
    expect(matches(undefined, '200')).toBe(false);
  });

  it.each(examples.map((example) => [example.name, example] as const))('%s runs and prints what it says', async (_name, example) => {
    const entry = join(work, `${examples.indexOf(example)}.ts`);
    const outfile = entry.replace(/\.ts$/, '.mjs');
    await build({
      stdin: { contents: example.code, loader: 'ts', resolveDir: join(root, 'tests/reliability') },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'silent',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const { stdout } = await promisify(execFile)(process.execPath, [outfile], { timeout: 25_000 });
    const printed = stdout.split('\n').filter((line) => line !== '');
    expect(printed.length).toBe(example.expected.length);
    example.expected.forEach((expected, i) => {
      if (expected !== undefined) expect(matches(printed[i], expected), `line ${i + 1}: printed ${JSON.stringify(printed[i])}, the README says ${expected}`).toBe(true);
    });
  });
});
