/**
 * The README examples run as a new user would run them (docs/CONVENTIONS.md, "Code"). Each `ts` block of
 * every README is read from the README itself (`test-helpers/readme-blocks.ts`): a block that starts its
 * own emulator runs as written; a block marked `<!-- run: SET-UP … -->` runs against this test's emulator
 * (and redis-server), its `https://acme.okta.com` and placeholders swapped for the emulator's, what it
 * `declare`s given by the set-up (`test-helpers/readme-setups.ts`); a block marked `<!-- not run: … -->`
 * says why not; any other block fails the first test. Each is bundled with esbuild against the BUILT
 * packages (`dist/`, what `pnpm pack` ships) and run in its own Node.js process with only the set-up's
 * environment (`test-helpers/readme-run.ts`, whose `readmePlace` docs/MIGRATING.md's test runs its blocks in too). It must exit 0, print every `console.log(…); // expected` line, and what its `then` call
 * prints. `pnpm check:snippets` proves these blocks compile; this proves they do what the README says.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matches, readmeBlocks, swapOrg, type ReadmeBlock } from './test-helpers/readme-blocks.js';
import { readmePlace, root } from './test-helpers/readme-run.js';

const folders = async (dir: string) => (await readdir(join(root, dir))).map((name) => `${dir}/${name}/README.md`);
const readmes = ['README.md', 'bench/README.md', ...(await folders('packages')), ...(await folders('apps')), ...(await folders('tests'))];
const blocks = (
  await Promise.all(readmes.map(async (readme) => readmeBlocks(readme, await readFile(join(root, readme), 'utf8').catch(() => ''))))
).flat();
const runs = blocks.filter((block) => block.setup !== undefined);
/** A set-up that puts a fault on the org (a 429 on `/api/v1/users`, a 503 on `/api/v1/logs`): another block's list or feed, run beside it, would meet it. */
const faulting = (block: ReadmeBlock) => block.setup?.startsWith('api-token-429') === true || block.setup === 'api-token-logs-outage';

const place = await readmePlace('readme-examples', 3);
/** The faulting blocks' own org, where they run one at a time (as docs/MIGRATING.md's test runs its blocks). */
const faultPlace = await readmePlace('readme-examples-faults', 3);

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
  const cases: [string, ReadmeBlock][] = runs.filter((block) => !faulting(block)).map((block) => [block.name, block]);
  it.concurrent.for(cases)('%s runs and prints what it says', { timeout: 90_000 }, async ([, block], { expect }) => {
    await place.expectRunsAsSaid(expect, block);
  });
});

describe('README examples whose set-up puts a fault on the org, each alone on an org of their own', () => {
  const cases: [string, ReadmeBlock][] = runs.filter(faulting).map((block) => [block.name, block]);
  it('finds them (the core README\'s logging example)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(1);
  });
  it.for(cases)('%s runs and prints what it says', { timeout: 90_000 }, async ([, block], { expect }) => {
    await faultPlace.expectRunsAsSaid(expect, block);
  });
});
