/**
 * The queue of `createInFlightLimit` on its own (core README, "Concurrency"): FIFO, a waiter that
 * gives up leaves at once and takes nothing, a wait past its bound is `TIMEOUT`, a slot is given
 * back once however often it is released, and at the latest after `holdMs`. Fake timers: nothing
 * waits for real time.
 */
import { failure } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createInFlightLimit, type SlotWaitOptions } from './in-flight-limit.js';

const options = (more: Partial<SlotWaitOptions> = {}): SlotWaitOptions => ({ maxWaitMs: 60_000, holdMs: 600_000, signal: undefined, what: () => 'GET https://acme.okta.com/api/v1/users', ...more });
const take = async (limit: ReturnType<typeof createInFlightLimit>, more?: Partial<SlotWaitOptions>): Promise<() => void> => await limit.acquire(options(more));

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createInFlightLimit', () => {
  it.each([0, -1, 1.5, 1001, Number.NaN, Number.POSITIVE_INFINITY, '2', null, undefined])('refuses %s as its max (INVALID_CONFIG), in the one wording of a count', (max) => {
    const error = failure.sync(() => createInFlightLimit(max as number), isOktaAuthError);
    expect([error.code, error.message]).toEqual([
      'INVALID_CONFIG',
      'createInFlightLimit(max) must be a whole number from 1 to 1000 (Okta allows 75 requests in flight per org, 35 on Integrator Free).',
    ]);
  });

  it('takes 1000, its largest max', () => {
    expect(createInFlightLimit(1000).max).toBe(1000);
  });

  it("leaves no listener on the caller's signal once a waiter is served or times out (a long-lived signal would gather them)", async () => {
    const limit = createInFlightLimit(1);
    const signal = new AbortController().signal;
    const removed = vi.spyOn(signal, 'removeEventListener');
    const first = await take(limit);
    const served = take(limit, { signal });
    first();
    (await served)();
    const holder = await take(limit);
    const timedOut = failure(take(limit, { signal, maxWaitMs: 500 }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(500);
    expect((await timedOut).code).toBe('TIMEOUT');
    holder();
    expect(removed.mock.calls.map(([type]) => type)).toEqual(['abort', 'abort']);
  });

  it('gives a free slot at once (no promise) and counts it', () => {
    const limit = createInFlightLimit(2);
    const release = limit.acquire(options());
    expect(typeof release).toBe('function');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
  });

  it('serves waiters first come, first served, one per slot given back', async () => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => take(limit).then((release) => (order.push(n), release)));
    expect([limit.inFlight, limit.waiting]).toEqual([1, 3]);
    first();
    const second = await waiters[0]!;
    expect(order).toEqual([1]);
    expect([limit.inFlight, limit.waiting]).toEqual([1, 2]);
    second();
    (await waiters[1]!)();
    (await waiters[2]!)();
    expect(order).toEqual([1, 2, 3]);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('never serves a newcomer before a waiter', async () => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const waiter = take(limit);
    first();
    // The slot went to the waiter: a newcomer waits behind it.
    const newcomer = take(limit);
    expect([limit.inFlight, limit.waiting]).toEqual([1, 1]);
    (await waiter)();
    (await newcomer)();
    expect(limit.inFlight).toBe(0);
  });

  it('gives a slot back once, however often it is released', async () => {
    const limit = createInFlightLimit(2);
    const a = await take(limit);
    await take(limit);
    a();
    a();
    expect(limit.inFlight).toBe(1);
  });

  it('gives a slot back after holdMs, whatever its holder does', async () => {
    const limit = createInFlightLimit(1);
    await take(limit, { holdMs: 1_000 });
    const waiter = take(limit);
    await vi.advanceTimersByTimeAsync(1_000);
    (await waiter)();
    expect(limit.inFlight).toBe(0);
  });

  it('takes an aborted waiter out of the queue at once, with no slot', async () => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const controller = new AbortController();
    const aborted = take(limit, { signal: controller.signal });
    const behind = take(limit);
    expect(limit.waiting).toBe(2);
    controller.abort();
    const error = await failure(aborted, isOktaAuthError);
    expect(error.code).toBe('ABORTED');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 1]);
    first();
    (await behind)();
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  // The queue is an array read from a head index, tidied when most of it is served or gone: linear by
  // construction (a Set's first entry after deletions cost n²/2 steps). This test asserts what is served and in
  // which order, not how fast: the speed was measured once (400,000 waiters: 1.4 s against 15 s or more; rev77).
  it('serves a long queue in order, whoever gave up on the way, and holds nothing after', async () => {
    // Real timers (each waiter's, never reached): the fake ones cost more than the queue does.
    vi.useRealTimers();
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const count = 20_000;
    // The first thousand give up while they wait (each attempt has its own signal): holes in the queue, skipped once.
    const controllers: AbortController[] = [];
    let served = 0;
    let order = true;
    const waiters = Array.from({ length: count }, (_, n) =>
      Promise.resolve(limit.acquire(options(n < 1000 ? { signal: (controllers[n] = new AbortController()).signal } : {}))).then(
        (release) => {
          order &&= served++ === n - 1000;
          release();
        },
        () => undefined,
      ),
    );
    for (const controller of controllers) controller.abort();
    expect(limit.waiting).toBe(count - 1000);
    first();
    await Promise.all(waiters);
    expect([served, order, limit.inFlight, limit.waiting]).toEqual([count - 1000, true, 0, 0]);
  });

  it('refuses at once a signal that fired already', async () => {
    const limit = createInFlightLimit(1);
    const error = await failure(Promise.resolve(limit.acquire(options({ signal: AbortSignal.abort() }))), isOktaAuthError);
    expect(error.code).toBe('ABORTED');
    expect(limit.inFlight).toBe(0);
  });

  it('ends a wait past maxWaitMs with TIMEOUT naming the attempt and the limit, and leaves the queue', async () => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const waiting = failure(take(limit, { maxWaitMs: 500 }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(500);
    const error = await waiting;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(
      'GET https://acme.okta.com/api/v1/users waited 500 ms for a slot of its in-flight limit (maxInFlight, 1 at once) and was not sent: send fewer calls at once, or raise the limit or maxWaitMs.',
    );
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    first();
    expect(limit.inFlight).toBe(0);
  });

  it.each([
    ['before the waiter came (its timer first)', true],
    ["after the waiter came (the wait's timer first)", false],
  ])('settles a wait whose slot is given back at the very millisecond its bound ends once, as a slot or TIMEOUT, leaking none: given back %s', async (_, first) => {
    const limit = createInFlightLimit(1);
    const held = await take(limit);
    const giveBack = (): void => void setTimeout(held, 500);
    if (first) giveBack();
    const waiting = Promise.resolve(limit.acquire(options({ maxWaitMs: 500 }))).then(
      (release) => release,
      (error: unknown) => error as Error,
    );
    if (!first) giveBack();
    await vi.advanceTimersByTimeAsync(500);
    const outcome = await waiting;
    // Timers of one millisecond run in the order they were set: the one set first decides.
    if (first) {
      expect([typeof outcome, limit.inFlight, limit.waiting]).toEqual(['function', 1, 0]);
      (outcome as () => void)();
    } else expect(outcome).toMatchObject({ code: 'TIMEOUT' });
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
    expect(typeof (await take(limit))).toBe('function');
  });

  it('ends a wait of 0 ms (a bound spent) with TIMEOUT saying so, at the next timer turn, and leaves the queue', async () => {
    const limit = createInFlightLimit(1);
    const held = await take(limit);
    const waiting = failure(take(limit, { maxWaitMs: 0, boundBy: 'timeoutMs' }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).message).toBe('GET https://acme.okta.com/api/v1/users waited 0 ms for a slot of its in-flight limit (maxInFlight, 1 at once) and was not sent: send fewer calls at once, or raise the limit or timeoutMs.');
    expect([limit.inFlight, limit.waiting]).toEqual([1, 0]);
    held();
  });

  it.each(['timeoutMs', 'retry.maxWaitMs'])("names as its advice what the driver says bounds the wait (boundBy: %s), and nothing else", async (boundBy) => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const waiting = failure(take(limit, { maxWaitMs: 500, boundBy }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(500);
    expect((await waiting).message).toBe(`GET https://acme.okta.com/api/v1/users waited 500 ms for a slot of its in-flight limit (maxInFlight, 1 at once) and was not sent: send fewer calls at once, or raise the limit or ${boundBy}.`);
    first();
  });
});

describe("acquire called by the user's own code (a public method)", () => {
  it.each<[string, Partial<SlotWaitOptions>]>([
    ['maxWaitMs NaN', { maxWaitMs: Number.NaN }],
    ['maxWaitMs Infinity', { maxWaitMs: Number.POSITIVE_INFINITY }],
    ['maxWaitMs -1', { maxWaitMs: -1 }],
    ['holdMs NaN', { holdMs: Number.NaN }],
    ['holdMs 0', { holdMs: 0 }],
  ])('refuses %s (INVALID_CONFIG, naming it), taking no slot', async (_, more) => {
    const limit = createInFlightLimit(1);
    const error = await failure(Promise.resolve().then(() => take(limit, more)), isOktaAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toContain(Object.keys(more)[0]);
    expect([limit.inFlight, limit.waiting]).toEqual([0, 0]);
  });

  it('names only a setting the drivers name in its TIMEOUT advice: any other boundBy (a newline, a secret) reads as maxWaitMs', async () => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const waiting = failure(take(limit, { maxWaitMs: 500, boundBy: 'timeoutMs\nSSWS 00secret' }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(500);
    expect((await waiting).message).toMatch(/raise the limit or maxWaitMs\.$/);
    first();
  });

  // A regular expression's test reads its argument as a string: a value that is not one (a TypeScript type a JS caller need not keep) is not one the drivers name.
  const flip = (): { toString(): string } => {
    let calls = 0;
    return { toString: () => (calls++ === 0 ? 'timeoutMs' : 'SSWS 00secret') };
  };
  it.each<[string, () => unknown]>([
    ['a String object', () => new String('timeoutMs')],
    ['an array', () => ['timeoutMs']],
    ['an object naming a setting once, then a secret', flip],
    ['a Symbol (no string at all)', () => Symbol('timeoutMs')],
  ])('reads a boundBy that is not a string (%s) as maxWaitMs, and still times the wait out', async (_, boundBy) => {
    const limit = createInFlightLimit(1);
    const first = await take(limit);
    const waiting = failure(take(limit, { maxWaitMs: 500, boundBy: boundBy() as string }), isOktaAuthError);
    await vi.advanceTimersByTimeAsync(500);
    const error = await waiting;
    expect([error.code, error.message]).toEqual(['TIMEOUT', expect.stringMatching(/raise the limit or maxWaitMs\.$/)]);
    expect(limit.waiting).toBe(0);
    first();
  });
});
