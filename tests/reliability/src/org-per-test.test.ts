/**
 * The one org-per-test fixture of `@org/okta-test-utils` (`org-per-test.ts`), on a counted stand-in
 * for an org (the packages' helpers run it on the emulator: core's `useApiTokenOrg`, okta-oauth's
 * `useSignInOrg`, the emulator's `useSignInApps`): each test its own org, closed after it; one per
 * file; one per concurrent test, closed when it ends; a seed that throws leaves no org open; a start that
 * outlasts its test (a hook or test that timed out) is closed once it comes, never handed to the next test; the
 * same through `orgFixture`, the fixture of `it.extend` (core's `itWithApiTokenOrg`).
 */
import { failure, orgFixture, type SeededOrg, startOrgForTest, startSeededOrg, useOrgPerFile, useOrgPerTest } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';

/** Orgs as counted objects: which were started, which closed. */
function orgs() {
  const started: number[] = [];
  const closed: number[] = [];
  const start = () => {
    const id = started.length + 1;
    started.push(id);
    return Promise.resolve({ id, close: () => (closed.push(id), Promise.resolve()) });
  };
  return { started, closed, start };
}

describe('useOrgPerTest', () => {
  const made = orgs();
  const env = useOrgPerTest(made.start, (org) => ({ seeded: `seed of ${String(org.id)}` }), 'the test org');

  it('starts and seeds an org before the first test', () => {
    expect([env.org.id, env.seeded]).toEqual([1, 'seed of 1']);
    expect(made.closed).toEqual([]);
  });

  it('closes it after the test and gives the next one an org of its own', () => {
    expect([env.org.id, env.seeded]).toEqual([2, 'seed of 2']);
    expect(made.closed).toEqual([1]);
  });
});

describe('useOrgPerFile', () => {
  const made = orgs();
  const env = useOrgPerFile(made.start, () => ({}), 'the file org');

  it('starts one org for the tests of the block', () => {
    expect(env.org.id).toBe(1);
  });

  it('and keeps it open between them', () => {
    expect([env.org.id, made.started, made.closed]).toEqual([1, [1], []]);
  });
});

describe('a read outside a test', () => {
  const made = orgs();
  const env = useOrgPerTest(made.start, () => ({ token: 'x' }), 'useSomeOrg');
  // While the file is collected, before any hook ran.
  const early = failure.sync(() => env.org);

  it('throws naming the helper and the field, rather than giving undefined', () => {
    expect(String(early)).toMatch(/^Error: useSomeOrg: read org inside a test/);
    expect(env.token).toBe('x');
  });
});

describe('startOrgForTest', () => {
  const made = orgs();

  it('starts and seeds an org for the calling test', async (test) => {
    const { org, seeded } = await startOrgForTest(test, made.start, () => ({ seeded: true }));
    expect([org.id, seeded, made.closed]).toEqual([1, true, []]);
  });

  it('closed when that test ended', () => {
    expect(made.closed).toEqual([1]);
  });
});

describe('startSeededOrg', () => {
  it('closes the org when its seed throws, and rethrows the seed error', async () => {
    const made = orgs();
    const error = await failure(startSeededOrg(made.start, () => {
      throw new Error('no user');
    }));
    expect([String(error), made.started, made.closed]).toEqual(['Error: no user', [1], [1]]);
  });
});

/** A start whose first call is held until `release()`: an org that comes after its hook or test timed out. */
function heldFirst(made: ReturnType<typeof orgs>) {
  let calls = 0;
  const held = { release: () => {} };
  const start = () => (++calls === 1 ? new Promise<void>((resolve) => (held.release = resolve)).then(made.start) : made.start());
  return { start, held };
}

/** Lets the promise jobs and I/O callbacks queued so far run (a released start, its seed and close). */
const settle = async () => {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('useOrgPerTest, a start that outlasts its before hook (the hook timed out)', () => {
  const made = orgs();
  const { start, held } = heldFirst(made);
  // This block's hooks time out at 50 ms (read when a hook is made); the first start is held until the next test lets it go.
  vi.setConfig({ hookTimeout: 50 });
  const env = useOrgPerTest(start, () => ({}), 'the slow org');
  vi.resetConfig();

  it.fails('the test whose before hook timed out fails', () => {
    expect(made.started).toEqual([]);
  });

  it('the org that came after is closed, and the next test keeps its own', async () => {
    expect([env.org.id, made.closed]).toEqual([1, []]);
    held.release();
    await settle();
    // Before: it became the running test's org (`env.org` was 2), and neither was ever closed.
    expect([env.org.id, made.started, made.closed]).toEqual([1, [1, 2], [2]]);
  });
});

describe('startOrgForTest, a start that outlasts its test (the test timed out)', () => {
  it('closes the org once it comes, and rejects naming why', async () => {
    const made = orgs();
    const { start, held } = heldFirst(made);
    const finished: (() => unknown)[] = [];
    const test = { onTestFinished: (handler: () => unknown) => void finished.push(handler) } as unknown as Parameters<typeof startOrgForTest>[0];
    const starting = startOrgForTest(test, start, () => ({}));
    starting.catch(() => undefined);
    // The test ends (its timeout) while its org is still starting: vitest runs what was registered by then.
    for (const handler of finished.splice(0)) await handler();
    held.release();
    await settle();
    // Before: its close was registered only once started, after the test had ended, and never ran.
    expect([made.started, made.closed]).toEqual([[1], [1]]);
    expect(String(await failure(starting))).toMatch(/^Error: startOrgForTest: the test ended before its org started/);
  });
});

describe('orgFixture', () => {
  const made = orgs();
  const itWithOrg = it.extend<{ org: SeededOrg<{ id: number; close(): Promise<void> }, { seeded: boolean }> }>({ org: orgFixture(made.start, () => ({ seeded: true })) });

  itWithOrg('starts and seeds an org for the test that asks for it', ({ org }) => {
    expect([org.org.id, org.seeded, made.closed]).toEqual([1, true, []]);
  });

  it('closed when that test ended', () => {
    expect(made.closed).toEqual([1]);
  });
});

describe('orgFixture, a start that outlasts its test (the test timed out)', () => {
  const made = orgs();
  const { start, held } = heldFirst(made);
  const itWithOrg = it.extend<{ org: SeededOrg<{ id: number; close(): Promise<void> }, object> }>({ org: orgFixture(start, () => ({})) });

  // The fixture is set up within the test's timeout: the test ends (fails) while its org is still starting.
  itWithOrg.fails('the test whose org had not started when it timed out fails', { timeout: 50 }, ({ org }) => {
    expect(org).toBeUndefined();
  });

  it('the org that came after is closed', async () => {
    held.release();
    await settle();
    // Before: its close ran only after `use`, which vitest never let return for a test already ended.
    expect([made.started, made.closed]).toEqual([[1], [1]]);
  });
});
