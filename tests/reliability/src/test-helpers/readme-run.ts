/**
 * Runs one doc block as a new user would (docs/CONVENTIONS.md, "Code"): bundled with esbuild against the BUILT
 * packages (`dist/`, what `pnpm pack` ships) and run in its own Node.js process with only its set-up's
 * environment, then checked against what it says it prints. `readme-examples.server.test.ts` runs the READMEs'
 * blocks with it, `migrating-guide.server.test.ts` docs/MIGRATING.md's, each in the place {@link readmePlace} makes.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, type ExpectStatic } from 'vitest';
import { matches, swapOrg, type ReadmeBlock } from './readme-blocks.js';
import { ReadmeOrg, thenCalls, type Prepared } from './readme-setups.js';
import { closeInTurn } from './close-in-turn.js';

export const root = resolve(import.meta.dirname, '../../../..');

/** Modules a block may import beside the packages (check-snippets' `thirdParty`), found where they are installed. */
const nodePaths = ['packages/okta-auth-core', 'packages/okta-token-store-redis', 'tests/reliability'].map((dir) => join(root, dir, 'node_modules'));
/**
 * Modules a block imports as a user has them installed, not bundled: the workspace's vitest, which a vitest
 * file runs under, and Okta's SDK (a "before" of docs/MIGRATING.md; a dev dependency of the emulator, whose
 * fidelity tests run it), linked into the block's folder from where they are installed.
 */
const installed = { vitest: 'node_modules/vitest', '@okta/okta-sdk-nodejs': 'packages/okta-emulator/node_modules/@okta/okta-sdk-nodejs' };

export interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lines: string[];
  readonly stderr: string;
}

/** Where blocks run: the org a block that starts its own is told of, the set-ups' org, a folder for their files. */
export interface RunPlace {
  readonly org: OktaEmulator;
  readonly shared: ReadmeOrg;
  readonly work: string;
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

/**
 * Prepares, bundles and runs one block in its own folder under `place.work` (`index` names the folder); what
 * the set-up did to the org is undone (`release`) however it ends, so no fault outlives its block.
 */
async function runBlock(block: ReadmeBlock, index: number, place: RunPlace): Promise<{ outcome: Outcome; prepared: Prepared }> {
  const own = block.setup === 'emulator' || block.setup === 'vitest';
  const prepared: Prepared = own ? { swap: { orgUrl: place.org.url }, env: {} } : await place.shared.prepare(block.setup ?? '');
  try {
    return { outcome: await bundleAndRun(block, index, place, prepared), prepared };
  } finally {
    prepared.release?.();
  }
}

async function bundleAndRun(block: ReadmeBlock, index: number, place: RunPlace, prepared: Prepared): Promise<Outcome> {
  const own = block.setup === 'emulator' || block.setup === 'vitest';
  const then = block.then === undefined ? '' : thenCalls[block.then]?.code;
  if (then === undefined) throw new Error(`${block.name}: no then call named ${block.then}`);
  const code = own ? block.code : swapOrg(block.code, prepared.swap);
  const dir = join(place.work, String(index));
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  for (const [name, text] of Object.entries(prepared.files ?? {})) await writeFile(join(dir, name), text);
  const vitest = block.setup === 'vitest' || prepared.vitest === true;
  // A vitest file's vitest; the SDK wherever a block imports it.
  const external = Object.keys(installed).filter((module) => (module === 'vitest' ? vitest : code.includes(`from '${module}'`)));
  for (const module of external) {
    await mkdir(join(dir, 'node_modules', module, '..'), { recursive: true });
    await symlink(join(root, installed[module as keyof typeof installed]), join(dir, 'node_modules', module));
  }
  const outfile = join(dir, vitest ? 'block.test.mjs' : 'block.mjs');
  await build({
    external,
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
  return run(args, dir, prepared, block.untilSigterm);
}

/** The lines a block printed, blank ones left out. */
export const printed = (outcome: Outcome): string[] => outcome.lines.filter((line) => line !== '');

/**
 * That a block ran as its doc says: it exited 0 (or was stopped by `until SIGTERM`) with nothing on stderr,
 * printed each commented `console.log` line in order (a block that starts its own org prints only those), and
 * its `then` call printed what it must.
 */
export function expectRanAsSaid(expect: ExpectStatic, block: ReadmeBlock, outcome: Outcome, prepared: Prepared): void {
  const said = `exit ${outcome.code ?? outcome.signal}; stdout:\n${outcome.lines.join('\n')}\nstderr:\n${outcome.stderr}`;
  if (block.untilSigterm) expect(outcome.code === 0 || outcome.signal === 'SIGTERM', said).toBe(true);
  else expect(outcome.code, said).toBe(0);
  expect(outcome.stderr, said).toBe('');
  const lines = printed(outcome);
  // A block that starts its own org prints only its console.log lines; the others may print a
  // list (each user): their commented lines must come, in order, among what they print.
  if (block.setup === 'emulator') expect(lines.length, said).toBe(block.expected.length);
  let at = 0;
  for (const expected of block.expected) {
    if (expected === undefined) continue;
    while (at < lines.length && !matches(lines[at], expected)) at++;
    expect(at < lines.length, `the doc says ${expected}; ${said}`).toBe(true);
    at++;
  }
  expect(prepared.check?.(), said).toBeUndefined();
  const thenLines = lines.filter((line) => line.startsWith('then '));
  const prints = block.then === undefined ? [] : (thenCalls[block.then]?.prints ?? []);
  expect(thenLines.length, said).toBe(prints.length);
  prints.forEach((expected, i) => expect(matches(thenLines[i], expected), `then: ${said}`).toBe(true));
}

/** Where a test's blocks run ({@link readmePlace}), and how. */
export interface ReadmePlace extends RunPlace {
  /** Prepares, bundles and runs one block, in a folder of its own (a block run twice gets two). */
  run(block: ReadmeBlock): Promise<{ outcome: Outcome; prepared: Prepared }>;
  /** {@link ReadmePlace.run}, then {@link expectRanAsSaid}: the lines the block printed, blank ones left out. */
  expectRunsAsSaid(expect: ExpectStatic, block: ReadmeBlock): Promise<string[]>;
}

/**
 * The one place of the doc blocks' tests: an emulator seeded with `users` users (and the set-ups' admin,
 * {@link ReadmeOrg}), the set-ups over it, and a folder `<name>-…` under the system's temporary one for the
 * blocks' files, all closed after the test file (vitest's `afterAll`), each whatever became of the others;
 * a place that cannot be made closes what it had made before it throws.
 */
export async function readmePlace(name: string, users: number): Promise<ReadmePlace> {
  const work = await mkdtemp(join(tmpdir(), `${name}-`));
  let org: OktaEmulator | undefined;
  let shared: ReadmeOrg | undefined;
  const close = () => closeInTurn([() => shared?.close(), () => org?.close(), () => rm(work, { recursive: true, force: true })]);
  try {
    org = await startEmulator({ seed: { users } });
    shared = new ReadmeOrg(org);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  afterAll(close);
  const place = { org, shared, work };
  let runs = 0;
  const run = (block: ReadmeBlock) => runBlock(block, runs++, place);
  return {
    ...place,
    run,
    async expectRunsAsSaid(expect, block) {
      const { outcome, prepared } = await run(block);
      expectRanAsSaid(expect, block, outcome, prepared);
      return printed(outcome);
    },
  };
}
