/**
 * `until` (@org/okta-test-utils) in tests that run at once: vitest's global `onTestFinished` attaches
 * to whichever test started last, so a wait registered through it ended when a neighbour did
 * ("until(): the test ended before it saw …"), however long its own test still had. Called there
 * without the test's context, `until` now throws at once, naming the fix; with it, the wait is its
 * own test's whatever its neighbours do.
 */
import { until } from '@org/okta-test-utils';
import { describe, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent('until() in tests that run at once', () => {
  it('without the test context, throws at once naming the fix', async ({ expect }) => {
    await expect(until(() => true, 'anything')).rejects.toThrow('until(): waiting for anything in a test that runs at once with others: pass its context, until(check, what, 20, context).');
  });

  it("with the test context, waits for its own check past a neighbour's end", async (test) => {
    await sleep(5);
    let seen = false;
    setTimeout(() => (seen = true), 200);
    test.expect(await until(() => seen, 'the flag', 20, test)).toBe(true);
  });

  // Started last, so vitest's global hooks would pick it: it ends while the test above still waits.
  it('a neighbour that ends first', async ({ expect }) => {
    await sleep(20);
    expect(true).toBe(true);
  });
});
