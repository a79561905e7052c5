/**
 * One caller's signal shared by many calls that wait at once (an app's shutdown signal, sig165), over the emulator: a
 * 429's wait, a 503's backoff in both drivers and a rate-limit coordinator's wait each added a listener of their own to
 * it (`abortableSleep`), one per waiting call, where calls in flight share one (`anySignal`, anysig159): eleven waiting
 * calls had Node.js warn "Possible EventTarget memory leak detected", 8,000 waiting on a 429 held 5,042 listeners. Each
 * wait now follows the caller's signal through `anySignal` too, left when it ends; the signal's abort still ends every
 * waiting call at once, `ABORTED` with its reason as `cause`. `setTimeout` is faked (the HTTP exchange stays real), so
 * the waits hold until the abort, however loaded the machine (the fake clock never moves): what is counted is the waits
 * armed, never the time.
 */
import { setTimeout as pause } from 'node:timers/promises';
import type { FaultSpec } from '@org/okta-emulator';
import { abortListeners as listeners, dependants, useSignalWarnings } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { coordinateRateLimits } from '../rate-limit/rate-limit-coordinator.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaFetch } from './okta-fetch.js';

const ctx = useApiTokenOrg();
const path = 'api/v1/users/me';
/** Past the 10 listeners on one signal at which Node.js warns. */
const calls = 20;
/** The coordinator's wait: within the default retry.maxWaitMs (65 s). */
const coordinatorWaitMs = 20_000;

/** Node.js's leak warnings about a signal (past 10 listeners on one EventTarget), collected for this file. */
const warnedAbout = useSignalWarnings().about;

interface Row {
  /** The fault the emulator answers each call's first attempt with, if any. */
  readonly fault?: (() => Omit<FaultSpec, 'path' | 'count'>) | undefined;
  /** One call on the shared signal. */
  readonly call: (signal: AbortSignal) => Promise<unknown>;
  /** Whether a timer of this delay (armed with no argument: not an attempt's) is the wait each call takes. */
  readonly wait: (ms: number) => boolean;
  /** The listeners on the shared signal while the calls wait: core's one, and for createOktaKy the typed signal's one per signal. */
  readonly held: number;
  /** Those left after its abort: for createOktaKy, the typed signal's. */
  readonly left: number;
}

const tooMany = () => ({ kind: 'status' as const, status: 429, headers: { 'X-Rate-Limit-Reset': String(Math.floor(Date.now() / 1000) + 30) } });
const unavailable = () => ({ kind: 'status' as const, status: 503 });
// A timeoutMs of 10 minutes: a 429's wait may take at most half of it.
const okta = () => createOktaFetch({ credential: ctx.ssws(ctx.org.url), timeoutMs: 600_000 });
const oktaKy = () => createOktaKy({ credential: ctx.ssws(ctx.org.url), timeoutMs: 600_000 });

const rows: Record<string, Row> = {
  "createOktaFetch, a 429's wait": { fault: tooMany, call: (signal) => okta()(path, { signal }), wait: (ms) => ms >= 20_000, held: 1, left: 0 },
  "createOktaFetch, a 503's backoff": { fault: unavailable, call: (signal) => okta()(path, { signal }), wait: (ms) => ms === 300, held: 1, left: 0 },
  "createOktaKy, a 503's backoff": { fault: unavailable, call: (signal) => oktaKy().get(path, { signal }), wait: (ms) => ms === 300, held: 2, left: 1 },
  // ky's own wait (`ky.retry`'s delay), on the typed signal alone: none of the calls' on the caller's, before sig165 too.
  "createOktaKy, a 429's wait": { fault: tooMany, call: (signal) => oktaKy().get(path, { signal }), wait: (ms) => ms >= 20_000, held: 1, left: 1 },
  "createOktaFetch, a rate-limit coordinator's wait": {
    call: (signal) => {
      const rateLimitCoordinator = coordinateRateLimits({ reserve: () => coordinatorWaitMs, observe: () => undefined });
      return createOktaFetch({ credential: ctx.ssws(ctx.org.url), rateLimitCoordinator })(path, { signal });
    },
    wait: (ms) => ms === coordinatorWaitMs,
    held: 1,
    left: 0,
  },
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldClearNativeTimers: true });
});

afterEach(() => {
  // The spies first: they wrap the fake setTimeout, which restoring them after the real timers came back would put back.
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe.each(Object.keys(rows))("%s: many calls waiting on one caller's signal", (name) => {
  it(`${calls} calls add no listener of their own to it while they wait, nor a warning; its abort ends every one ABORTED at once`, async () => {
    const { fault, call, wait, held, left } = rows[name]!;
    if (fault) ctx.org.injectFault({ path: `/${path}`, count: calls, ...fault() });
    const arming = vi.spyOn(globalThis, 'setTimeout');
    const clearing = vi.spyOn(globalThis, 'clearTimeout');
    /** The waits armed and neither cleared nor fired (the fake clock never moves). */
    const waiting = () => {
      const cleared = new Set(clearing.mock.calls.map(([handle]) => handle as unknown));
      return arming.mock.calls.filter((args, i) => args.length < 3 && wait(args[1] ?? 0) && !cleared.has(arming.mock.results[i]?.value)).length;
    };
    const shutdown = new AbortController();
    const outcomes = Array.from({ length: calls }, () => call(shutdown.signal).then(() => 'settled', (error: unknown) => error));
    // Polled on a real timer, bounded by the test's timeout: vi.waitFor would move the fake clock by its interval at each check.
    while (waiting() < calls) await pause(20);
    expect(waiting()).toBe(calls);
    expect(listeners(shutdown.signal)).toBe(held);
    expect(dependants(shutdown.signal)).toBe(0);
    const reason = new Error('shutting down');
    shutdown.abort(reason);
    // Every wait ended with the abort, the clock never moved.
    for (const outcome of await Promise.all(outcomes)) expect(outcome).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(waiting()).toBe(0);
    expect(listeners(shutdown.signal)).toBe(left);
    // None for the caller's signal. ky adds a listener per call waiting (its race around `shouldRetry`, its delay) to the signal
    // it is given, createOktaKy's typed signal (one per caller's signal): Node.js warns for that one past 10, ky's own, left.
    expect(warnedAbout(shutdown.signal)).toEqual([]);
  });
});
