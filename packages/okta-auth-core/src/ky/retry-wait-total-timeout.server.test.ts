/**
 * On a retry, the waits before it are bounded by what remains of the call's ky `totalTimeout`, not
 * by the whole of it, through both ky placements. The call's first attempt is held by the org until
 * most of its `totalTimeout` has run, then answered:
 * - with a 503 that ky retries, the one `maxInFlight` slot another client's by then: the retry's
 *   wait ends, at most half of what remained, in the slot's `TIMEOUT` naming ky's `totalTimeout`
 *   (before: it outlived what remained, and ky's own `TimeoutError` ended the call as a `TIMEOUT`
 *   that named no wait, at times with the retry still queued for the slot); the retry never
 *   reaches the org and leaves no waiter;
 * - with a 503, a coordinator asking the retry to wait past half of what remains: not taken, the
 *   retry sent (before: taken, and ky's `totalTimeout` ended the call during it);
 * - with a 429, its coordinator asking past half of what remains: not taken, the client waits the
 *   429 out itself and the retry is sent (before: taken, ky's `totalTimeout` ended the call).
 * Real HTTP (a scripted server on 127.0.0.1); time only passes, no time is asserted but that the
 * slot's wait is under half the whole `totalTimeout`.
 */
import { json, until, type ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import type { ServerResponse } from 'node:http';
import { describe, type TestContext } from 'vitest';

/** What a test gives the helpers below of its context: its `expect` and hooks (the tests run at once; a fixture's test takes its context destructured). */
type Test = Pick<TestContext, 'expect' | 'onTestFailed' | 'onTestFinished'>;
import { isOktaAuthError } from '../errors/errors.js';
import { createInFlightLimit, type InFlightLimit } from '../rate-limit/in-flight-limit.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { itWithScriptedServer as it } from '../test-helpers/scripted-server.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

/** The test's own org (the okta fixture) and its held answers: the first `holding` requests (the call's first attempt, then the other client's); any later is answered at once. */
interface HoldingOrg {
  readonly okta: ScriptedServer;
  readonly held: ServerResponse[];
}
function holdFirst(okta: ScriptedServer, holding: number): HoldingOrg {
  const held: ServerResponse[] = [];
  okta.handle((_req, res, index) => {
    if (index < holding) held.push(res);
    else json(res, 200, []);
  });
  return { okta, held };
}

const totalTimeout = 4_000;
const path = 'api/v1/users';

/**
 * Starts `call` (its totalTimeout 4 s) and holds its first attempt at the org, `meanwhile` set up,
 * until most of the totalTimeout (`late`) has run (the test's setup, not asserted); then answers it
 * (a 503, which ky retries). What the call ended with: its answer, or what it threw. `test`: the
 * running test's context, for `until` (the tests run at once).
 */
async function retriedLate(test: Test, { held }: HoldingOrg, call: () => Promise<unknown>, meanwhile?: () => Promise<void>, answer = (res: ServerResponse) => json(res, 503, { errorCode: 'E0000009' }), late = 0.625): Promise<unknown> {
  const begun = performance.now();
  const ended = call().then(
    (value) => value,
    (error: unknown) => error,
  );
  await until(() => held.length === 1, "the call's first attempt at the org", 20, test);
  await meanwhile?.();
  await new Promise((resolve) => setTimeout(resolve, totalTimeout * late - (performance.now() - begun)));
  answer(held[0]!);
  return ended;
}

type Call = (origin: string, limit: InFlightLimit) => Promise<unknown>;

/** Runs `call` to its retry's wait for the one slot, another client's by then (the first attempt's 503 gave it over); what it threw. */
async function retriedIntoAHeldSlot(test: Test, okta: ScriptedServer, call: Call): Promise<unknown> {
  const { expect } = test;
  const org = holdFirst(okta, 2);
  const { held } = org;
  const limit = createInFlightLimit(1);
  let other: Promise<Response> | undefined;
  const error = await retriedLate(
    test,
    org,
    () => call(okta.origin, limit),
    async () => {
      other = createOktaFetch({ credential: countingCredential(okta.origin), maxInFlight: limit, timeoutMs: 30_000 })(`/${path}`);
      // Awaited below; a failed assertion before then leaves no unhandled rejection.
      other.catch(() => undefined);
      await until(() => limit.waiting === 1, "the other client's call waiting for the slot", 20, test);
    },
  );
  expect(isOktaAuthError(error)).toBe(true);
  // The retry was not sent and waits no more; the other client's call, held by the org, still holds the slot.
  expect(okta.requests).toHaveLength(2);
  expect(limit.waiting).toBe(0);
  expect(limit.inFlight).toBe(1);
  json(held[1]!, 200, []);
  expect((await other)?.status).toBe(200);
  expect(limit.inFlight).toBe(0);
  return error;
}

const slotTimeout = /^GET [\w.:-]+\/api\/v1\/users waited (\d+) ms for a slot of its in-flight limit \(maxInFlight, 1 at once\) and was not sent: send fewer calls at once, or raise the limit or ky's totalTimeout\.$/;

/** The wait the slot's TIMEOUT reports: under half the whole totalTimeout (what remained of it bounded it). */
function waited({ expect }: Test, error: unknown): number {
  expect(error).toMatchObject({ code: 'TIMEOUT' });
  const match = slotTimeout.exec((error as Error).message);
  expect(match, (error as Error).message).not.toBeNull();
  const ms = Number(match?.[1]);
  expect(ms).toBeLessThan(totalTimeout / 2);
  return ms;
}

// Every test has its own org (the okta fixture), in-flight limit and coordinator: the six run at once.
describe.concurrent("a retry's wait for a slot is bounded by what remains of ky's totalTimeout", () => {
  it('oktaKyHooks on your own instance', async ({ okta, expect, onTestFailed, onTestFinished }) => {
    const test = { expect, onTestFailed, onTestFinished };
    const call: Call = (origin, limit) =>
      ky
        .create({ baseUrl: `${origin}/`, retry: { limit: 1, delay: () => 0 }, hooks: oktaKyHooks({ credential: countingCredential(origin), maxInFlight: limit, timeoutMs: 30_000 }) })
        .get(path, { totalTimeout });
    expect(waited(test, await retriedIntoAHeldSlot(test, okta, call))).toBeGreaterThan(0);
  });

  it('createOktaKy', async ({ okta, expect, onTestFailed, onTestFinished }) => {
    const test = { expect, onTestFailed, onTestFinished };
    const call: Call = (origin, limit) => createOktaKy({ credential: countingCredential(origin), maxInFlight: limit, timeoutMs: 30_000 }).get(path, { totalTimeout });
    expect(waited(test, await retriedIntoAHeldSlot(test, okta, call))).toBeGreaterThan(0);
  });
});

/** Coordinated rate limits whose coordinator asks no wait of the first attempt, and `ms` of every wait after it. */
function coordinator(ms: number): { asked: number[]; rateLimitCoordinator: CoordinatedRateLimits } {
  const asked: number[] = [];
  return { asked, rateLimitCoordinator: coordinateRateLimits({ reserve: () => (asked.push(asked.length), asked.length === 1 ? 0 : ms), observe: () => undefined }) };
}

type CoordinatedCall = (origin: string, rateLimitCoordinator: CoordinatedRateLimits) => Promise<unknown>;
const coordinatedRows: [string, CoordinatedCall][] = [
  [
    'oktaKyHooks on your own instance',
    (origin, rateLimitCoordinator) =>
      ky.create({ baseUrl: `${origin}/`, retry: { limit: 1, delay: () => 0 }, hooks: oktaKyHooks({ credential: countingCredential(origin), rateLimitCoordinator, timeoutMs: 30_000 }) }).get(path, { totalTimeout }).json(),
  ],
  ['createOktaKy', (origin, rateLimitCoordinator) => createOktaKy({ credential: countingCredential(origin), rateLimitCoordinator, timeoutMs: 30_000 }).get(path, { totalTimeout }).json()],
];

/**
 * A 503 once half the totalTimeout has run, whose coordinator asks the retry to wait 2 s: within
 * half the whole totalTimeout (taken, before: ky's totalTimeout then ended the call during the wait,
 * the retry never sent), past half of what remains (not taken: before an attempt, Okta decides).
 * The retry is sent, and answered, with what remains (2 s at most) to spare.
 */
describe.concurrent("a retry's wait for the rate-limit coordinator is bounded by what remains of ky's totalTimeout", () => {
  it.for(coordinatedRows)('%s', async ([, call], { okta, expect, onTestFailed, onTestFinished }) => {
    const test = { expect, onTestFailed, onTestFinished };
    const { asked, rateLimitCoordinator } = coordinator(2_000);
    expect(await retriedLate(test, holdFirst(okta, 1), () => call(okta.origin, rateLimitCoordinator), undefined, undefined, 0.5)).toEqual([]);
    expect(okta.requests).toHaveLength(2);
    expect(asked).toHaveLength(2);
  });
});

/**
 * A 429 (its reset at its `Date`: the client's own wait 1 s) once 1.2 s of the totalTimeout has run,
 * whose coordinator asks 3.5 s before the retry: past what remains (2.8 s at most) but within the
 * retry budget (taken, before, and ky's totalTimeout ended the call during it), past half of what
 * remains (not taken); the client waits the 429 out itself and the retry is sent, and answered.
 */
describe.concurrent("the coordinated wait after a 429 is bounded by what remains of ky's totalTimeout", () => {
  const late429 = (res: ServerResponse) => {
    const second = Math.floor(Date.now() / 1000);
    json(res, 429, { errorCode: 'E0000047' }, { date: new Date(second * 1000).toUTCString(), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(second) });
  };
  it.for(coordinatedRows)('%s', async ([, call], { okta, expect, onTestFailed, onTestFinished }) => {
    const test = { expect, onTestFailed, onTestFinished };
    const { asked, rateLimitCoordinator } = coordinator(3_500);
    expect(await retriedLate(test, holdFirst(okta, 1), () => call(okta.origin, rateLimitCoordinator), undefined, late429, 0.3)).toEqual([]);
    expect(okta.requests).toHaveLength(2);
    // Before the first attempt, after its 429 (not taken), before the retry (not taken).
    expect(asked).toHaveLength(3);
  });
});
