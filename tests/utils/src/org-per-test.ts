import { afterAll, afterEach, beforeAll, beforeEach, type TestContext } from 'vitest';

/**
 * The one fixture of the test suites that start an emulated org for a test (or a file), seed it and
 * close it after: a package's helper keeps only what is its own, the `seed` (users, apps, a token).
 * It takes the start (`() => startEmulator(options)`) rather than importing `@org/okta-emulator`,
 * whose own tests use this package (a dependency back would be a cycle).
 */

/** What a test starts and must close: an emulated org (`OktaEmulator`), or any server. */
export interface ClosableOrg {
  close(): Promise<void>;
}

/** An org and what its `seed` made on it, as a test reads them. */
export type SeededOrg<Org extends ClosableOrg, Made extends object> = { readonly org: Org } & Readonly<Made>;

/**
 * Starts an org with `start` and seeds it; when the seed throws, the org is closed before the error
 * goes on (no org is left running behind a failed set-up). The caller closes it (`org.close()`).
 *
 * @example
 * ```ts
 * const { org, token } = await startSeededOrg(() => startEmulator(), (org) => ({ token: org.createApiToken().token }));
 * await org.close();
 * ```
 */
export async function startSeededOrg<Org extends ClosableOrg, Made extends object>(start: () => Promise<Org>, seed: (org: Org) => Made | Promise<Made>): Promise<SeededOrg<Org, Made>> {
  const org = await start();
  try {
    return { ...(await seed(org)), org };
  } catch (error) {
    await org.close();
    throw error;
  }
}

/**
 * What the hooks of {@link useOrgPerTest} and {@link useOrgPerFile} made, read field by field: each
 * read is of the org running now, and a read outside a test (or before the hooks ran) throws,
 * naming `what`, rather than giving `undefined`.
 */
function viewOf<Org extends ClosableOrg, Made extends object>(current: () => SeededOrg<Org, Made> | undefined, what: string): SeededOrg<Org, Made> {
  return new Proxy({} as SeededOrg<Org, Made>, {
    get(_target, key) {
      const made = current();
      // A symbol or `then` is a probe (printing, awaiting), not a test reading a field.
      if (made === undefined && (typeof key === 'symbol' || key === 'then')) return undefined;
      if (made === undefined) throw new Error(`${what}: read ${String(key)} inside a test (the org is started by the file's hooks)`);
      return made[key as keyof SeededOrg<Org, Made>];
    },
  });
}

/**
 * Hooks that start and seed an org before, and close it after (the org that was started, if any). A
 * before hook that timed out (its org still starting) leaves its org to no test: once it comes, it is
 * closed, never handed to the test running then.
 */
function useOrgBetween<Org extends ClosableOrg, Made extends object>(
  hooks: { before: typeof beforeEach; after: typeof afterEach },
  start: () => Promise<Org>,
  seed: (org: Org) => Made | Promise<Made>,
  what: string,
): SeededOrg<Org, Made> {
  /** The running test's (or file's) org, once started, and whether its after hook ran already. */
  let current: { made?: SeededOrg<Org, Made>; ended: boolean } | undefined;
  hooks.before(async () => {
    const own: { made?: SeededOrg<Org, Made>; ended: boolean } = { ended: false };
    current = own;
    const made = await startSeededOrg(start, seed);
    if (own.ended) return made.org.close();
    own.made = made;
  });
  hooks.after(async () => {
    const own = current;
    current = undefined;
    if (own === undefined) return;
    own.ended = true;
    await own.made?.org.close();
  });
  return viewOf(() => current?.made, what);
}

/**
 * An org of each test's own: started and seeded before each test of the calling file or block
 * (`beforeEach`), closed after it (`afterEach`). Read the fields inside tests. For tests that run at
 * once (`it.concurrent`), each needs its own: {@link startOrgForTest}.
 *
 * @example
 * ```ts
 * const env = useOrgPerTest(() => startEmulator(), (org) => ({ token: org.createApiToken().token }), 'useApiTokenOrg');
 * it('reads users', async () => {
 *   expect((await fetch(`${env.org.url}/api/v1/users`, { headers: { authorization: `SSWS ${env.token}` } })).status).toBe(200);
 * });
 * ```
 */
export function useOrgPerTest<Org extends ClosableOrg, Made extends object>(start: () => Promise<Org>, seed: (org: Org) => Made | Promise<Made>, what = 'useOrgPerTest'): SeededOrg<Org, Made> {
  return useOrgBetween({ before: beforeEach, after: afterEach }, start, seed, what);
}

/**
 * One org for the tests of the calling file or block: started and seeded before them (`beforeAll`),
 * closed after them (`afterAll`). Read the fields inside tests.
 *
 * @example
 * ```ts
 * const env = useOrgPerFile(() => startEmulator(), (org) => ({ spa: org.createSignInApp({ type: 'spa', redirectUris: [redirect] }) }), 'useSignInApps');
 * ```
 */
export function useOrgPerFile<Org extends ClosableOrg, Made extends object>(start: () => Promise<Org>, seed: (org: Org) => Made | Promise<Made>, what = 'useOrgPerFile'): SeededOrg<Org, Made> {
  return useOrgBetween({ before: beforeAll, after: afterAll }, start, seed, what);
}

/**
 * An org of the calling test's own, started and seeded now and closed when the test ends (the test
 * context's `onTestFinished`; an org that comes after the test ended, closed then, and this rejects): for tests that run at once (`it.concurrent`), where the hooks of
 * {@link useOrgPerTest} would give every running test the one started last.
 *
 * @example
 * ```ts
 * it.concurrent('waits out its own fault', async (test) => {
 *   const { org } = await startOrgForTest(test, () => startEmulator(), () => ({}));
 * });
 * ```
 */
export async function startOrgForTest<Org extends ClosableOrg, Made extends object>(
  test: Pick<TestContext, 'onTestFinished'>,
  start: () => Promise<Org>,
  seed: (org: Org) => Made | Promise<Made>,
): Promise<SeededOrg<Org, Made>> {
  // Registered before the start: a test that ends first (its timeout) still has its org closed, once it comes.
  const own: { org?: Org; ended: boolean } = { ended: false };
  test.onTestFinished(async () => {
    own.ended = true;
    await own.org?.close();
  });
  const made = await startSeededOrg(start, seed);
  if (own.ended) {
    await made.org.close();
    throw new Error('startOrgForTest: the test ended before its org started (it timed out?); the org is closed.');
  }
  own.org = made.org;
  return made;
}

/**
 * A test fixture (for vitest's `it.extend`) giving each test an org of its own, started and seeded
 * when the test asks for it and closed when the test ends: for tests that run at once
 * (`describe.concurrent`). It is {@link startOrgForTest}: the close is registered before the start,
 * as vitest counts a fixture's set-up in its test's timeout and, for a test that ended (timed out)
 * before `use`, never lets a late `use` return; an org that comes after its test ended is closed then.
 *
 * @example
 * ```ts
 * const itWithOrg = it.extend<{ org: SeededOrg<OktaEmulator, { token: string }> }>({
 *   org: orgFixture(() => startEmulator(), (org) => ({ token: org.createApiToken().token })),
 * });
 * ```
 */
export function orgFixture<Org extends ClosableOrg, Made extends object>(
  start: () => Promise<Org>,
  seed: (org: Org) => Made | Promise<Made>,
): (context: Pick<TestContext, 'onTestFinished'>, use: (made: SeededOrg<Org, Made>) => Promise<void>) => Promise<void> {
  // vitest reads a fixture's dependencies from this pattern: only its own `onTestFinished`.
  return async ({ onTestFinished }, use) => {
    await use(await startOrgForTest({ onTestFinished }, start, seed));
  };
}
