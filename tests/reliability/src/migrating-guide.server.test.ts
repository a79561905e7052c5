/**
 * docs/MIGRATING.md, proved on one emulator org: each `ts` block is read from the guide (`readmeBlocks`, as the
 * READMEs' are), and each block marked `<!-- run: … -->` runs in its own Node.js process (`readmePlace`'s, as
 * `readme-examples.server.test.ts` runs the READMEs'), against this test's org only. The before (Okta's
 * `@okta/okta-sdk-nodejs`, as installed) and the after (ours) of a `pair NAME` run one after the other, and
 * must print the same lines: the same users, the same user, the same error fields for a 404, the same wait for
 * a 429. The blocks run one at a time, so no other block changes the org between the two of a pair (nor meets
 * the retries pair's 429). Our single-page app (`<!-- run: browser-sign-in -->`) runs in headless Chromium
 * (`readme-browser.ts`): sign-in by redirect, a reload, sign-out, and a failed callback shown, not redirected.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { until } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { readmeBlocks, type ReadmeBlock } from './test-helpers/readme-blocks.js';
import { printed, readmePlace, root } from './test-helpers/readme-run.js';
import { openBrowserBlock } from './test-helpers/readme-browser.js';

const guide = 'docs/MIGRATING.md';
const blocks = readmeBlocks(guide, await readFile(join(root, guide), 'utf8'));
const sdk = "from '@okta/okta-sdk-nodejs'";
const pairs = [...new Set(blocks.flatMap((block) => (block.pair === undefined ? [] : [block.pair])))].map((name) => ({
  name,
  blocks: blocks.filter((block) => block.pair === name),
}));
const retries = (() => {
  const [before, after] = pairs.find(({ name }) => name === 'retries')?.blocks ?? [];
  if (before === undefined || after === undefined) throw new Error(`${guide} has no retries pair`);
  return [before, after] as const;
})();
// A page's script (`browser-sign-in`) runs in Chromium, the other blocks each in a Node.js process.
const pages = blocks.filter((block) => block.setup === 'browser-sign-in');
const singles = blocks.filter((block) => block.setup !== undefined && block.setup !== 'browser-sign-in' && block.pair === undefined);

// 202 users (the set-ups add an admin, and the org has its seeded super admin): a list at the guide's `limit=200` takes two pages.
const place = await readmePlace('migrating-guide', 200);
const ran = (block: ReadmeBlock) => place.expectRunsAsSaid(expect, block);
/** The list requests the org answered (`GET /api/v1/users`, any page, a 429 included). */
const listRequests = (): number => place.org.counters().requests['GET /api/v1/users'] ?? 0;
/** A block run as it says: the lines it printed and the list requests it made (the blocks run one at a time). */
const ranCounted = async (block: ReadmeBlock) => {
  const from = listRequests();
  const lines = await ran(block);
  return { lines, requests: listRequests() - from };
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
  it.for(pairs.filter(({ name }) => name !== 'retries').map((pair) => [pair.name, pair] as const))('%s: the SDK and ours print the same lines', { timeout: 120_000 }, async ([, { blocks: [before, after] }]) => {
    if (before === undefined || after === undefined) throw new Error('a pair of two blocks');
    const sdk = await ranCounted(before);
    const ours = await ranCounted(after);
    expect(sdk.lines.length).toBeGreaterThan(0);
    expect(ours.lines).toEqual(sdk.lines);
    expect(ours.requests).toBe(sdk.requests);
    // A list is whole: both followed the `Link` to the second page.
    const logins = sdk.lines.filter((line) => line.endsWith('@example.com'));
    if (logins.length > 1) expect(logins.length).toBe(202);
  });

  // The retries pair's set-up (`api-token-429`) answers the list's first request a 429 whose reset is its own
  // second (readme-setups.ts): each client waits it out (reset − Date + 1 s) and sends it again.
  it('retries: the SDK and ours wait out a 429 and send the call again', { timeout: 120_000 }, async () => {
    const [before, after] = retries;
    const sdk = await ranCounted(before);
    const ours = await ranCounted(after);
    // Two requests for the first page (the 429, then its retry), one for the second.
    expect([sdk.requests, ours.requests]).toEqual([3, 3]);
    const backoff = 'backoff 1000 readme-rate-limited';
    expect([sdk.lines.filter((line) => line.startsWith('backoff ')), ours.lines.filter((line) => line.startsWith('backoff '))]).toEqual([[backoff], [backoff]]);
    expect(ours.lines).toEqual(sdk.lines);
    expect(ours.lines.filter((line) => line.endsWith('@example.com')).length).toBe(202);
  });

  it('retries: a 429 that lasts ends as RATE_LIMITED once the block\'s retry.limit is spent', { timeout: 120_000 }, async () => {
    const [, after] = retries;
    const limit = Number(/retry: \{ limit: (\d+)/.exec(after.code)?.[1]);
    expect(limit).toBeGreaterThan(0);
    const from = listRequests();
    const { outcome, prepared } = await place.run({ ...after, setup: 'api-token-429-lasting' });
    // The check removes the set-up's fault.
    expect(prepared.check?.()).toBeUndefined();
    const said = `exit ${outcome.code ?? outcome.signal}; stdout:\n${outcome.lines.join('\n')}\nstderr:\n${outcome.stderr}`;
    expect(outcome.code, said).toBe(1);
    expect(outcome.stderr, said).toMatch(/RATE_LIMITED/);
    expect(outcome.stderr, said).not.toContain(prepared.env.OKTA_CLIENT_TOKEN);
    expect(printed(outcome), said).toEqual(Array.from({ length: limit }, () => 'backoff 1000 readme-rate-limited'));
    // The first attempt and `limit` retries, each answered 429.
    expect(listRequests() - from).toBe(limit + 1);
  });

  // The SPA of the okta-auth-js section, as a user's app runs it (readme-browser.ts): one sign-in round trip.
  it.for(pages.map((block) => [block.name, block] as const))(
    '%s signs in by redirect, keeps the sign-in over a reload, and signs out, in Chromium',
    { timeout: 120_000 },
    async ([, block]) => {
      const { org } = place;
      const page = await openBrowserBlock(block, org, '<button id="sign-out">Sign out</button>');
      try {
        const { app, tab, printed } = page;
        const signIns = () => org.counters().tokenRequests.authorization_code?.success ?? 0;
        const revocations = () => org.counters().requests['POST /oauth2/v1/revoke'] ?? 0;
        const before = { signIns: signIns(), revocations: revocations() };
        const ourKeys = () => tab.evaluate(() => Object.keys(sessionStorage).filter((key) => key.startsWith('okta-oauth:')).length);
        // Not signed in: the page sends the browser to Okta's sign-in page.
        await tab.goto(`${app.origin}/`);
        await page.signInOnOkta();
        // The callback: the code exchanged, the address bar back at `/`, the tokens kept, a call made with them.
        await until(() => printed.length >= 1, 'the first call');
        expect([printed, new URL(tab.url()).pathname + new URL(tab.url()).search, signIns() - before.signIns]).toEqual([['200'], '/', 1]);
        expect(await ourKeys()).toBeGreaterThan(0);
        // A reload: the credential comes back from sessionStorage; Okta is not asked to sign in again.
        await tab.reload();
        await until(() => printed.length >= 2, 'the call after the reload');
        expect([printed, tab.url(), signIns() - before.signIns]).toEqual([['200', '200'], `${app.origin}/`, 1]);
        // Sign out: the tokens revoked, Okta's session ended, back at `/` not signed in, so on to Okta,
        // whose sign-in page asks again (with its session alive, it would send a code straight back).
        await tab.click('#sign-out');
        await tab.waitForURL((url) => url.origin === org.url && url.pathname === '/oauth2/v1/authorize');
        await tab.getByLabel('Username').waitFor();
        expect(revocations() - before.revocations).toBeGreaterThan(0);
        expect([printed, signIns() - before.signIns, app.problems]).toEqual([['200', '200'], 1, []]);
      } finally {
        await page.close();
      }
    },
  );

  // A callback it cannot finish (a forged or reused state: STATE_MISMATCH) is caught and shown, not thrown out
  // of the page, and the page does not send the browser back to Okta (a permanent failure would loop there).
  it.for(pages.map((block) => [block.name, block] as const))(
    '%s shows a failed callback and does not redirect to Okta, in Chromium',
    { timeout: 120_000 },
    async ([, block]) => {
      const { org } = place;
      const page = await openBrowserBlock(block, org, '<p id="sign-in-failed"></p>');
      try {
        const { app, tab } = page;
        const authorizations = () => org.counters().requests['GET /oauth2/v1/authorize'] ?? 0;
        const before = authorizations();
        await tab.goto(`${app.origin}/callback?code=forged-code&state=forged-state`);
        const shown = () => tab.evaluate(() => document.querySelector('#sign-in-failed')?.textContent ?? '');
        await until(async () => (await shown()) !== '' || app.problems.length > 0, 'the failed callback shown');
        expect([app.problems, await shown(), tab.url(), authorizations() - before]).toEqual([[], expect.stringContaining('state'), `${app.origin}/`, 0]);
        expect(await shown()).not.toMatch(/forged-(state|code)/); // neither the state nor the code echoed
      } finally {
        await page.close();
      }
    },
  );

  it.for(singles.map((block) => [block.name, block] as const))('%s runs and prints what it says', { timeout: 90_000 }, async ([, block]) => {
    expect((await ran(block)).length).toBeGreaterThan(0);
  });
});
