/**
 * The README examples run as a new user would run them (docs/CONVENTIONS.md, "Code"). Each `ts` block of
 * every README is read from the README itself (`test-helpers/readme-blocks.ts`): a block that starts its
 * own emulator runs as written; a block marked `<!-- run: SET-UP … -->` runs against this test's emulator
 * (and redis-server), its `https://acme.okta.com` and placeholders swapped for the emulator's, what it
 * `declare`s given by the set-up (`test-helpers/readme-setups.ts`); a block marked `<!-- not run: … -->`
 * says why not; any other block fails the first test. Each is bundled with esbuild against the BUILT
 * packages (`dist/`, what `pnpm pack` ships) and run in its own Node.js process with only the set-up's
 * environment. It must exit 0, print every `console.log(…); // expected` line, and what its `then` call
 * prints. `pnpm check:snippets` proves these blocks compile; this proves they do what the README says.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { startEmulator } from '@org/okta-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { matches, readmeBlocks, swapOrg, type ReadmeBlock } from './test-helpers/readme-blocks.js';
import { ReadmeOrg, thenCalls, type Prepared } from './test-helpers/readme-setups.js';

const root = resolve(import.meta.dirname, '../../..');
const folders = async (dir: string) => (await readdir(join(root, dir))).map((name) => `${dir}/${name}/README.md`);
const readmes = ['README.md', 'bench/README.md', ...(await folders('packages')), ...(await folders('apps')), ...(await folders('tests'))];
const blocks = (
  await Promise.all(readmes.map(async (readme) => readmeBlocks(readme, await readFile(join(root, readme), 'utf8').catch(() => ''))))
).flat();
const runs = blocks.filter((block) => block.setup !== undefined);

const work = await mkdtemp(join(tmpdir(), 'readme-examples-'));
const org = await startEmulator({ seed: { users: 3 } });
const shared = new ReadmeOrg(org);
afterAll(async () => {
  await shared.close();
  await org.close();
  await rm(work, { recursive: true, force: true });
});

/** Modules a block may import beside the packages (check-snippets' `thirdParty`), found where they are installed. */
const nodePaths = ['packages/okta-auth-core', 'packages/okta-token-store-redis', 'tests/reliability'].map((dir) => join(root, dir, 'node_modules'));

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** Runs one bundled block in its own process; `until SIGTERM` stops it once it printed a line. */
function run(args: string[], cwd: string, prepared: Prepared, untilSigterm: boolean): Promise<Outcome> {
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...prepared.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      prepared.onLine?.(line);
      if (untilSigterm && line !== '' && child.exitCode === null) child.kill('SIGTERM');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, lines: pending === '' ? lines : [...lines, pending], stderr })));
}

async function runBlock(block: ReadmeBlock, index: number): Promise<{ outcome: Outcome; prepared: Prepared }> {
  const own = block.setup === 'emulator' || block.setup === 'vitest';
  const prepared: Prepared = own ? { swap: { orgUrl: org.url }, env: {} } : await shared.prepare(block.setup ?? '');
  const then = block.then === undefined ? '' : thenCalls[block.then]?.code;
  if (then === undefined) throw new Error(`${block.name}: no then call named ${block.then}`);
  const code = own ? block.code : swapOrg(block.code, prepared.swap);
  const dir = join(work, String(index));
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  for (const [name, text] of Object.entries(prepared.files ?? {})) await writeFile(join(dir, name), text);
  // A vitest file runs under the workspace's vitest, which its bundle imports (not bundled) from its folder.
  const vitest = block.setup === 'vitest';
  if (vitest) await symlink(join(root, 'node_modules/vitest'), join(dir, 'node_modules/vitest'));
  const outfile = join(dir, vitest ? 'block.test.mjs' : 'block.mjs');
  await build({
    external: vitest ? ['vitest'] : [],
    stdin: { contents: `${prepared.prelude ?? ''}${code}\n${then}\n${prepared.epilogue ?? ''}`, loader: 'ts', resolveDir: join(root, 'tests/reliability') },
    nodePaths,
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const args = vitest ? [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--testTimeout', '30000', '--hookTimeout', '30000'] : [outfile];
  return { outcome: await run(args, dir, prepared, block.untilSigterm), prepared };
}

describe('README examples against the emulator', () => {
  it('marks every ts block of every README: run, or why not', () => {
    expect(blocks.filter((block) => block.notRun?.startsWith('UNMARKED')).map((block) => block.name)).toEqual([]);
    expect(runs.length).toBeGreaterThanOrEqual(20);
  });

  it('matches an elided comment only where it says …', () => {
    expect(matches('200', '200')).toBe(true);
    expect(matches('201', '200')).toBe(false);
    expect(matches('<http://127.0.0.1:1/x>; rel="self"', '<…>; rel="self"')).toBe(true);
    expect(matches(undefined, '200')).toBe(false);
  });

  it('swaps the org and its placeholders, and nothing else', () => {
    const code = "f({ orgUrl: 'https://acme.okta.com', id: '0oa1' }); g('https://acme.okta.com/'); sswsCredentialFromEnv(); x.fooFromEnv(env); barFromEnv(undefined, { a: 1 });";
    expect(swapOrg(code, { orgUrl: 'http://127.0.0.1:9', literals: [['0oa1', 'abc']] })).toBe(
      "f({ orgUrl: \"http://127.0.0.1:9\", allowInsecureLoopback: true, id: 'abc' }); g('http://127.0.0.1:9/'); sswsCredentialFromEnv(undefined, { allowInsecureLoopback: true }); x.fooFromEnv(env, { allowInsecureLoopback: true }); barFromEnv(undefined, { allowInsecureLoopback: true, a: 1 });",
    );
  });

  // Concurrently (vitest's maxConcurrency, 5): each block waits mostly on its own process and the org.
  // The timeout bounds a hang, not time: a block takes seconds only on a loaded machine (or the device grant's 5 s interval).
  const cases: [string, ReadmeBlock][] = runs.map((block) => [block.name, block]);
  it.concurrent.for(cases)('%s runs and prints what it says', { timeout: 90_000 }, async ([, block], { expect }) => {
    const { outcome, prepared } = await runBlock(block, blocks.indexOf(block));
    const said = `exit ${outcome.code ?? outcome.signal}; stdout:\n${outcome.lines.join('\n')}\nstderr:\n${outcome.stderr}`;
    if (block.untilSigterm) expect(outcome.code === 0 || outcome.signal === 'SIGTERM', said).toBe(true);
    else expect(outcome.code, said).toBe(0);
    expect(outcome.stderr, said).toBe('');
    const printed = outcome.lines.filter((line) => line !== '');
    // A block that starts its own org prints only its console.log lines; the others may print a
    // list (each user): their commented lines must come, in order, among what they print.
    if (block.setup === 'emulator') expect(printed.length, said).toBe(block.expected.length);
    let at = 0;
    for (const expected of block.expected) {
      if (expected === undefined) continue;
      while (at < printed.length && !matches(printed[at], expected)) at++;
      expect(at < printed.length, `the README says ${expected}; ${said}`).toBe(true);
      at++;
    }
    expect(prepared.check?.(), said).toBeUndefined();
    const thenLines = printed.filter((line) => line.startsWith('then '));
    const prints = block.then === undefined ? [] : (thenCalls[block.then]?.prints ?? []);
    expect(thenLines.length, said).toBe(prints.length);
    prints.forEach((expected, i) => expect(matches(thenLines[i], expected), `then: ${said}`).toBe(true));
  });
});
