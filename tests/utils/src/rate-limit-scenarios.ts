import { expect } from 'vitest';

/**
 * One table of rate-limit budget scenarios, the rules every coordinator keeps
 * (`createRedisRateLimitCoordinator`'s Lua scripts; core's `RateLimitBuckets`, under
 * `createDurableObjectRateLimitCoordinator`'s object and `createMemoryRateLimitCoordinator`): each
 * package runs the same table against its own coordinator through a {@link RateLimitDriver}, so the
 * two implementations of one set of rules cannot drift apart unseen.
 * A scenario starts on a fresh bucket; times are ms from the scenario's start, on the bucket's clock.
 */

/** What one answer said, the reset as ms from now (negative: a reset already past on this clock). */
export interface ScenarioAnswer {
  readonly status: number;
  readonly limit?: number;
  readonly remaining?: number;
  readonly resetIn?: number;
}

/** What one reserve answers: a wait in ms, or a spent window (Okta said so; the wait past what the call has left). */
export type ScenarioReservation = number | { readonly wait: number; readonly resetIn: number };

/**
 * One step: reserve (the answers expected, one call each, each call with `maxWaitMs` left to wait, if given),
 * observe an answer, or move the bucket's clock on. `path`: the request's path under the bucket (`/api/v1/users/me`),
 * else none given (the scope's `bucket` and nothing more).
 */
export type RateLimitStep =
  | { readonly reserve: readonly ScenarioReservation[]; readonly maxWaitMs?: number; readonly path?: string }
  | { readonly observe: ScenarioAnswer; readonly path?: string }
  | { readonly advance: number };

/** A scenario: the coordinator's options and its steps. */
export interface RateLimitScenario {
  readonly name: string;
  readonly options: { readonly headroom: number; readonly windowMs: number; readonly spreadMs: number };
  readonly steps: readonly RateLimitStep[];
}

/**
 * How a package runs the table on its coordinator, on a fresh bucket for each scenario.
 * `driftMs` says how far the bucket's clock may have moved on its own since the scenario began
 * (0 where the test drives it: the Durable Object's `Date`; real ms where it cannot: Redis's `TIME`),
 * so a wait counted down from a reset may be that much shorter, never longer.
 */
export interface RateLimitDriver {
  /** `path`: the scope's `path` (none: a scope of the origin and bucket alone). */
  reserve(maxWaitMs?: number, path?: string): Promise<ScenarioReservation> | ScenarioReservation;
  observe(answer: ScenarioAnswer, path?: string): Promise<void> | void;
  advance(ms: number): Promise<void> | void;
  driftMs(): number;
}

/** The stores' cap on any duration (a year): a reset is never stored further either way. */
const year = 31_536_000_000;
const zeros = (n: number): number[] => Array.from({ length: n }, () => 0);
/**
 * A cold bucket's answer while its one probe is out and more than this is left of the probe's second: its other callers
 * wait for the probe's answer (or its second's end, when the next probe goes) 250 ms at a time, so a caller learns of the
 * answer within 250 ms of it (and core asks on while the waits are that long). Until probe164 a fixed 50 ms, which core's 8
 * rounds turned into about 440 ms: every waiting caller was then sent, the probe's answer still out.
 */
const probing = 250;
const base = { headroom: 0, windowMs: 60_000, spreadMs: 9000 } as const;
/** Values the header reader would never read from an answer: no whole number of at most 15 digits. */
const unread = [-1, 1.5, 2 ** 53, Number.NaN, Infinity];
const window10 = (remaining: number, resetIn: number): RateLimitStep => ({ observe: { status: 200, limit: 10, remaining, resetIn } });

/**
 * The scenarios. Defaults: headroom 0, a minute's window, waiters spread over 9 s; with a limit of
 * 10 the budget is 9 (one request always kept back), so each waiter resumes 1000 ms after the one before.
 * @example
 * ```ts
 * for (const scenario of rateLimitScenarios) await expectRateLimitScenario(scenario, driver);
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const rateLimitScenarios: readonly RateLimitScenario[] = [
  {
    name: "a cold bucket sends one probe a second until an answer says the limit: the other callers wait until the probe's answer or its second's end, 250 ms at a time",
    options: base,
    steps: [{ reserve: [0, probing, probing] }, { advance: 600 }, { reserve: [probing] }, { advance: 300 }, { reserve: [100, 100] }, { advance: 100 }, { reserve: [0, probing] }, { advance: 200 }, window10(9, 30_000), { reserve: [0] }],
  },
  { name: "a window's limit, remaining and reset observed: the budget is spent, then waiters wait for the reset, spread by arrival", options: base, steps: [window10(9, 30_000), { reserve: [...zeros(8), 30_000, 31_000, 32_000] }] },
  { name: 'spreadMs 0: every waiter at the reset', options: { ...base, spreadMs: 0 }, steps: [window10(9, 30_000), { reserve: [...zeros(8), 30_000, 30_000] }] },
  { name: 'headroom: a share of the limit left unused (0.2 of 10: a budget of 8, steps of 9000 / 8)', options: { ...base, headroom: 0.2 }, steps: [window10(10, 30_000), { reserve: [...zeros(8), 30_000, 31_125, 32_250] }] },
  { name: 'a 429 spends the window', options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 10, remaining: 0, resetIn: 30_000 } }, { reserve: [30_000, 31_000] }] },
  { name: "other clients' use (limit - remaining) is counted, never lowered by a later answer", options: base, steps: [window10(3, 30_000), window10(6, 30_000), { reserve: [0, 0, 30_000] }] },
  { name: 'a new window when the reset passes: a fresh budget, the next reset a window on', options: base, steps: [window10(0, 20_000), { reserve: [20_000] }, { advance: 20_000 }, { reserve: [...zeros(9), 60_000] }] },
  { name: 'a new window observed (a reset over 1.5 s later): start over from what Okta says', options: base, steps: [window10(0, 10_000), { reserve: [10_000] }, window10(7, 70_000), { reserve: [...zeros(6), 70_000] }] },
  { name: 'a reset within 1.5 s of the known one is the same window: its count kept', options: base, steps: [window10(0, 10_000), window10(4, 11_000), { reserve: [10_000, 11_000] }] },
  { name: 'a changed limit starts over from that answer', options: base, steps: [window10(0, 30_000), { observe: { status: 200, limit: 20, remaining: 15, resetIn: 30_000 } }, { reserve: [...zeros(14), 30_000] }] },
  {
    name: "a 429 with limit 0 (Okta's concurrent limit) pauses the bucket at least a second, waiters at the limit's pace; the window's count kept",
    options: base,
    steps: [window10(5, 30_000), { observe: { status: 429, limit: 0, remaining: 0, resetIn: 0 } }, { reserve: [1000, 2000] }, { advance: 1000 }, { reserve: [0, 0, 0, 0, 29_000] }],
  },
  { name: 'a limit of 1 keeps its one request back: every request waits, a whole spread apart', options: base, steps: [{ observe: { status: 200, limit: 1, remaining: 1, resetIn: 30_000 } }, { reserve: [30_000, 39_000] }] },
  { name: 'a concurrent-limit 429 during a pause may only lengthen it, its waiters still counted', options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 0, remaining: 0, resetIn: 0 } }, { reserve: [1000] }, { observe: { status: 429, limit: 0, remaining: 0, resetIn: 5000 } }, { observe: { status: 429, limit: 0, remaining: 0, resetIn: 2000 } }, { reserve: [6000] }] },
  { name: 'a concurrent-limit pause holds an unlimited bucket too', options: base, steps: [{ observe: { status: 200 } }, { observe: { status: 429, limit: 0, remaining: 0, resetIn: 3000 } }, { reserve: [3000, 3000] }, { advance: 3000 }, { reserve: [0, 0] }] },
  { name: 'a concurrent-limit pause lasts until the suggested reset', options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 0, remaining: 0, resetIn: 5000 } }, { reserve: [5000, 6000] }] },
  { name: 'a concurrent-limit pause lasts at most a window', options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 0, remaining: 0, resetIn: 600_000 } }, { reserve: [60_000] }] },
  { name: 'a concurrent-limit pause of a cold bucket: every waiter at its end, then one probe', options: base, steps: [{ observe: { status: 429, limit: 0, remaining: 0 } }, { reserve: [1000, 1000] }, { advance: 1000 }, { reserve: [0, probing] }] },
  { name: 'an answer without a limit: the bucket is unlimited until an answer says a limit', options: base, steps: [{ observe: { status: 200 } }, { reserve: zeros(12) }, window10(0, 30_000), { reserve: [30_000] }] },
  { name: 'a 429 without rate-limit headers is no unlimited bucket', options: base, steps: [{ observe: { status: 429 } }, { reserve: [0, probing] }] },
  { name: 'a bucket is forgotten three windows after its last answer (reserves do not keep it)', options: base, steps: [window10(0, 30_000), { advance: 179_000 }, { reserve: [...zeros(9), 31_000] }, { advance: 1000 }, { reserve: [0, probing] }] },
  { name: 'an unlimited bucket is forgotten a window after its answer', options: base, steps: [{ observe: { status: 200 } }, { advance: 59_000 }, { reserve: [0, 0] }, { advance: 1000 }, { reserve: [0, probing] }] },
  { name: 'clock skew: a reset already past on a cold bucket opens the next window from it', options: base, steps: [window10(2, -5000), { reserve: [...zeros(9), 55_000] }] },
  {
    // A year of 7 s windows leaves 6 s over: a year back, the next reset falls 1 s from now (2 s from two years back, had it been kept).
    name: 'a reset over a year past counts as a year past, as one over a year ahead counts as a year ahead (the stores\' cap on a duration)',
    options: { ...base, windowMs: 7000 },
    steps: [window10(2, -2 * year), { reserve: [...zeros(9), 1000] }, window10(0, 2 * year), { reserve: [year] }],
  },
  { name: "clock skew: an answer whose reset is past the known window's is a late one: ignored", options: base, steps: [window10(5, 30_000), window10(0, -5000), { reserve: [0, 0, 0, 0, 30_000] }] },  // What an answer said is read once, in core (`seenAnswer`), as the header reader reads a header: a value it
  // would not read (negative, fractional, past 15 digits, not a number) is one the answer did not say.
  ...unread.map((limit) => ({ name: `a limit of ${limit} is none: a 200 says the bucket is unlimited`, options: base, steps: [{ observe: { status: 200, limit, remaining: 0, resetIn: 30_000 } }, { reserve: zeros(12) }] })),
  ...unread.map((remaining) => ({ name: `a remaining of ${remaining} is none: no use counted`, options: base, steps: [{ observe: { status: 200, limit: 10, remaining, resetIn: 30_000 } }, { reserve: [...zeros(9), 30_000] }] })),
  { name: 'a 429 with a limit of -1 is a 429 without one, no concurrent-limit pause', options: base, steps: [{ observe: { status: 429, limit: -1, remaining: 0, resetIn: 30_000 } }, { reserve: [0, probing] }] },
  ...[0, 99, 600, 429.5, Number.NaN].map((status) => ({ name: `an answer with status ${status} says nothing: ignored`, options: base, steps: [window10(5, 30_000), { observe: { status, limit: 10, remaining: 0, resetIn: 30_000 } }, { reserve: [0, 0, 0, 0, 30_000] }] })),
  // A wait past what the call has left (`maxWaitMs`) is declined: it keeps no place in the queue, or every later wait grows.
  { name: 'a wait past what the call has left keeps no place in the queue', options: base, steps: [window10(9, 30_000), { reserve: zeros(8) }, { reserve: [30_000, 31_000, 31_000], maxWaitMs: 30_000 }, { reserve: [31_000, 32_000] }] },
  { name: "a concurrent-limit pause's wait past what the call has left keeps no place", options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 0, remaining: 0, resetIn: 0 } }, { reserve: [1000, 1000], maxWaitMs: 500 }, { reserve: [1000, 2000] }] },
  // Okta said the window is spent (remaining 0, a 429): a wait past what is left is a spent window (the call fails, nothing sent).
  { name: 'a window Okta said is spent (remaining 0): a wait past what is left is a spent window, no place kept', options: base, steps: [window10(0, 30_000), { reserve: [{ wait: 30_000, resetIn: 30_000 }, { wait: 30_000, resetIn: 30_000 }], maxWaitMs: 20_000 }, { reserve: [30_000, 31_000] }, { reserve: [{ wait: 32_000, resetIn: 30_000 }], maxWaitMs: 31_000 }] },
  { name: 'a 429 says the window is spent', options: base, steps: [window10(5, 30_000), { observe: { status: 429, limit: 10, remaining: 0, resetIn: 30_000 } }, { reserve: [{ wait: 30_000, resetIn: 30_000 }], maxWaitMs: 1000 }] },
  // A hostile org's 200 with none left and a reset a year ahead: no spent window (the call would fail locally for a year), the call is sent and Okta decides.
  // Within a window means 2 s over at most: Okta's reset and its Date are whole seconds, so a fresh window's reset reads up to 2 s past the window.
  { name: 'a spent window is one whose reset is within a window (2 s over at most): one further off is a wait past what is left, no spent window', options: base, steps: [window10(0, 62_000), { reserve: [{ wait: 62_000, resetIn: 62_000 }], maxWaitMs: 1000 }, window10(0, year), { reserve: [year], maxWaitMs: 1000 }] },
  // Okta limits endpoints the bucket (/api/v1/<first segment>) folds together: /api/v1/users/me spent says nothing of /api/v1/users/00u1's own limit.
  {
    name: "a spent window is the path's whose answer said so: another path of the bucket waits its turn, a wait past what is left no spent window",
    options: base,
    steps: [
      { observe: { status: 200, limit: 10, remaining: 0, resetIn: 30_000 }, path: '/api/v1/users/me' },
      { reserve: [30_000, 30_000], maxWaitMs: 1000, path: '/api/v1/users/00u1' },
      { reserve: [30_000], maxWaitMs: 1000 },
      { reserve: [{ wait: 30_000, resetIn: 30_000 }], maxWaitMs: 1000, path: '/api/v1/users/me' },
      { observe: { status: 429, limit: 10, remaining: 0, resetIn: 30_000 }, path: '/api/v1/users/00u1' },
      { reserve: [30_000], maxWaitMs: 1000, path: '/api/v1/users/me' },
      { reserve: [{ wait: 30_000, resetIn: 30_000 }], maxWaitMs: 1000, path: '/api/v1/users/00u1' },
      { reserve: [30_000, 31_000], path: '/api/v1/users/me' },
    ],
  },
  { name: 'a budget spent by reservations alone is no spent window (never a guess)', options: base, steps: [window10(9, 30_000), { reserve: zeros(8) }, { reserve: [30_000], maxWaitMs: 1000 }] },
  { name: 'a spent window ends with it: the next window, rolled on or observed, is not', options: base, steps: [window10(0, 20_000), { reserve: [{ wait: 20_000, resetIn: 20_000 }], maxWaitMs: 1000 }, { advance: 20_000 }, { reserve: zeros(9) }, { reserve: [60_000], maxWaitMs: 1000 }, window10(0, 70_000), window10(7, 140_000), { reserve: zeros(6) }, { reserve: [140_000], maxWaitMs: 1000 }] },
  { name: 'a late answer (its reset before the known window) says nothing of it being spent', options: base, steps: [window10(5, 30_000), window10(0, -5000), { reserve: zeros(4) }, { reserve: [30_000], maxWaitMs: 1000 }] },
  { name: 'a remaining above the limit counts no use', options: base, steps: [window10(15, 30_000), { reserve: [...zeros(9), 30_000] }] },
  { name: 'a limit of 0 on an answer that is no 429 is a window without budget: each waiter a whole spread after the one before', options: base, steps: [{ observe: { status: 200, limit: 0, remaining: 0, resetIn: 30_000 } }, { reserve: [30_000, 39_000] }] },
  { name: 'a concurrent-limit 429 with a remaining above its limit of 0 still pauses', options: base, steps: [{ observe: { status: 429, limit: 0, remaining: 3, resetIn: 5000 } }, { reserve: [5000, 5000] }] },
];

/**
 * The options every fleet coordinator refuses, each `INVALID_CONFIG` naming the option: each package
 * creates its coordinator with a row spread over its own required options (the Redis `client`, the
 * Durable Object `namespace`), so the two checks cannot drift apart unseen (the Redis coordinator took
 * a `headroom` of `' '`, `'0.5'` or `[0.5]`: `' '` was nil in its script, every `reserve` failed, and
 * requests went on uncoordinated with no config error).
 * @example
 * ```ts
 * it.each(rateLimitOptionRefusals)('%j', (options, name) => expect(() => create({ client, ...options })).toThrow(name));
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export const rateLimitOptionRefusals: readonly (readonly [options: Readonly<Record<string, unknown>>, name: string])[] = [
  ...[' ', '0.5', [0.5], Number.NaN, -0.1, 1, 1.5, Infinity, true].map((headroom) => [{ headroom }, 'The headroom option'] as const),
  ...[0, -1, -0.5, Number.NaN, Infinity, '60000', 31_536_000_001].map((windowMs) => [{ windowMs }, 'The windowMs option'] as const),
  ...[-1, Number.NaN, Infinity, '0', ' ', 31_536_000_001].map((spreadMs) => [{ spreadMs }, 'The spreadMs option'] as const),
];

/**
 * Runs one scenario on `driver` and expects every reserve's answer: `0` and the probes' 250 exactly,
 * a wait counted down from a reset or pause at most `driftMs()` shorter than the table's, never longer.
 * @example
 * ```ts
 * it.each(rateLimitScenarios.map((s) => [s.name, s] as const))('%s', (_, scenario) => expectRateLimitScenario(scenario, driverFor(scenario)));
 * ```
 * @see https://developer.okta.com/docs/reference/rl2-monitor/
 */
export async function expectRateLimitScenario(scenario: RateLimitScenario, driver: RateLimitDriver): Promise<void> {
  for (const [index, step] of scenario.steps.entries()) {
    if ('advance' in step) await driver.advance(step.advance);
    else if ('observe' in step) await driver.observe(step.observe, step.path);
    else {
      const shown: ScenarioReservation[] = [];
      for (const expected of step.reserve) {
        const got = await driver.reserve(step.maxWaitMs, step.path);
        // A counted-down wait shown as the table's when within the drift, so a failure shows only the waits that differ.
        const drift = driver.driftMs();
        const near = (wait: number, want: number | undefined) => (want !== undefined && want !== 0 && want !== probing && wait <= want && wait >= want - drift - 1 ? want : wait);
        const want = typeof expected === 'number' ? { wait: expected, resetIn: undefined } : expected;
        shown.push(typeof got === 'number' ? near(got, want.wait) : { wait: near(got.wait, want.wait), resetIn: near(got.resetIn, want.resetIn) });
      }
      expect(shown, `step ${index} of "${scenario.name}"`).toEqual(step.reserve);
    }
  }
}
