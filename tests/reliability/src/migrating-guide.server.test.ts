/**
 * docs/MIGRATING.md, proved on one emulator org: each `ts` block is read from the guide (`readmeBlocks`, as the
 * READMEs' are), and each block marked `<!-- run: … -->` runs in its own Node.js process (`runBlock`, as
 * `readme-examples.server.test.ts` runs the READMEs'), against this test's org only. The before (Okta's
 * `@okta/okta-sdk-nodejs`, as installed) and the after (ours) of a `pair NAME` run one after the other, and
 * must print the same lines: the same users, the same user, the same error fields for a 404. The blocks run one
 * at a time, so no other block changes the org between the two of a pair.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '@org/okta-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeBlocks, type ReadmeBlock } from './test-helpers/readme-blocks.js';
import { expectRanAsSaid, printed, root, runBlock } from './test-helpers/readme-run.js';
import { ReadmeOrg } from './test-helpers/readme-setups.js';

const guide = 'docs/MIGRATING.md';
const blocks = readmeBlocks(guide, await readFile(join(root, guide), 'utf8'));
const sdk = "from '@okta/okta-sdk-nodejs'";
const pairs = [...new Set(blocks.flatMap((block) => (block.pair === undefined ? [] : [block.pair])))].map((name) => ({
  name,
  blocks: blocks.filter((block) => block.pair === name),
}));
const singles = blocks.filter((block) => block.setup !== undefined && block.pair === undefined);

const work = await mkdtemp(join(tmpdir(), 'migrating-guide-'));
// 202 users (the set-ups add an admin): a list at the guide's `limit=200` takes two pages.
const org = await startEmulator({ seed: { users: 201 } });
const shared = new ReadmeOrg(org);
afterAll(async () => {
  await shared.close();
  await org.close();
  await rm(work, { recursive: true, force: true });
});

const place = { org, shared, work };
const ran = async (block: ReadmeBlock) => {
  const { outcome, prepared } = await runBlock(block, blocks.indexOf(block), place);
  expectRanAsSaid(expect, block, outcome, prepared);
  return printed(outcome);
};

describe(`${guide} against the emulator`, () => {
  it('marks every ts block: run, or why not; pairs are a before with the SDK and an after without it', () => {
    expect(blocks.filter((block) => block.notRun?.startsWith('UNMARKED')).map((block) => block.name)).toEqual([]);
    expect(pairs.map(({ name, blocks: [before, after, ...more] }) => [name, before?.code.includes(sdk), after?.code.includes(sdk), more.length])).toEqual(
      pairs.map(({ name }) => [name, true, false, 0]),
    );
    expect(pairs.length).toBeGreaterThanOrEqual(5);
  });

  // The timeout bounds a hang, not time: each block takes a second or two, more on a loaded machine.
  it.for(pairs.map((pair) => [pair.name, pair] as const))('%s: the SDK and ours print the same lines', { timeout: 120_000 }, async ([, { blocks: [before, after] }]) => {
    if (before === undefined || after === undefined) throw new Error('a pair of two blocks');
    const sdkLines = await ran(before);
    const ours = await ran(after);
    expect(sdkLines.length).toBeGreaterThan(0);
    expect(ours).toEqual(sdkLines);
    // A list is whole: both followed the `Link` to the second page.
    if (sdkLines.length > 1) expect(sdkLines.length).toBe(202);
  });

  it.for(singles.map((block) => [block.name, block] as const))('%s runs and prints what it says', { timeout: 90_000 }, async ([, block]) => {
    expect((await ran(block)).length).toBeGreaterThan(0);
  });
});
