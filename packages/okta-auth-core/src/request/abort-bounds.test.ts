/**
 * What `abort.ts` promises (its TSDoc), beyond `abort.test.ts`: every wait ends when its signal
 * fires, also when it had fired already; every listener and timer it adds is gone once the wait
 * is over (a caller's signal is shared by many calls); a signal's reason tells `TIMEOUT` from
 * `ABORTED`; an attempt's timer never keeps a process alive and lets its Request go. Timers are
 * vitest's fake ones where a test counts them (no wall-clock waits); listeners are counted with
 * `abortListeners` (`getEventListeners`). Mutation testing (nineteenth session) found no test of these.
 */
import { abortListeners as listeners, useUnhandledRejections } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { abortError, abortableSleep, AttemptTimer, boundUserCode, followCall, settleWithin, waitFor } from './abort.js';

const never = () => new Promise<never>(() => undefined);
const timedOut = () => new DOMException('timeoutMs', 'TimeoutError');

afterEach(() => {
  vi.useRealTimers();
});

describe('abortError', () => {
  it("is TIMEOUT with the reason as cause for an attempt timer's reason, else ABORTED with the caller's reason", () => {
    const reason = timedOut();
    expect(abortError(AbortSignal.abort(reason))).toMatchObject({ code: 'TIMEOUT', cause: reason });
    const mine = new Error('user left');
    expect(abortError(AbortSignal.abort(mine))).toMatchObject({ code: 'ABORTED', cause: mine });
    // A reason that is no object (null, a string named like the error) is the caller's.
    for (const other of [null, 'TimeoutError', 0]) expect(abortError(AbortSignal.abort(other))).toMatchObject({ code: 'ABORTED' });
    // The caller's deadline (AbortSignal.timeout's TimeoutError, or one named so) is the caller's too (page152).
    const deadline = new DOMException('signal timed out', 'TimeoutError');
    for (const other of [deadline, { name: 'TimeoutError' }, { name: 'AbortError', message: 'timeoutMs' }]) expect(abortError(AbortSignal.abort(other))).toMatchObject({ code: 'ABORTED', cause: other });
  });
});

describe('waitFor', () => {
  const unhandled = useUnhandledRejections();

  it("ends a waiter's wait when its signal fires (or had fired), the shared work still running, and removes its listener", async () => {
    const controller = new AbortController();
    const waiting = waitFor(never(), controller.signal);
    expect(listeners(controller.signal)).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(waitFor(never(), AbortSignal.abort(timedOut()))).rejects.toMatchObject({ code: 'TIMEOUT' });
    // Settled either way, the shared signal keeps no listener of the wait.
    const shared = new AbortController();
    expect(await waitFor(Promise.resolve(7), shared.signal)).toBe(7);
    await expect(waitFor(Promise.reject(new Error('vault down')), shared.signal)).rejects.toThrow('vault down');
    expect(listeners(shared.signal)).toBe(0);
  });
  it('a waiter whose signal had fired leaves the shared work\'s failure handled (no unhandled rejection), the others still hearing it', async () => {
    let fail: (error: Error) => void = () => undefined;
    const shared = new Promise<never>((_, reject) => (fail = reject));
    await expect(waitFor(shared, AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    fail(new Error('store down'));
    // A turn of the event loop before the other waiter comes: Node.js would have reported it by then.
    expect(await unhandled.settled()).toEqual([]);
    await expect(waitFor(shared, undefined)).rejects.toThrow('store down');
    expect(await unhandled.settled()).toEqual([]);
  });
});

describe('abortableSleep', () => {
  it('wakes after its time and leaves no listener; rejects at once on a signal that fired, leaving no timer', async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    let woke = false;
    const sleeping = abortableSleep(1000, controller.signal).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(woke).toBe(true);
    expect(listeners(controller.signal)).toBe(0);
    // Fired already, and fired during the sleep: no timer left behind either way.
    await expect(abortableSleep(1000, AbortSignal.abort(timedOut()))).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(vi.getTimerCount()).toBe(0);
    const later = new AbortController();
    const pending = abortableSleep(1000, later.signal);
    expect(vi.getTimerCount()).toBe(1);
    later.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes a number past what setTimeout can wait (2^31 ms) as about 24.8 days, never as "at once"', async () => {
    // setTimeout runs a longer delay after 1 ms (Node.js: TimeoutOverflowWarning). Real timers: one
    // of 20 ms fires after any of 1 ms (timers fire in deadline order), so the 20 ms is a lower bound.
    const controller = new AbortController();
    let woke = false;
    const sleeping = abortableSleep(2 ** 32, controller.signal).then(() => (woke = true));
    const timer = new AttemptTimer(undefined, 2 ** 32);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woke).toBe(false);
    expect(timer.signal.aborted).toBe(false);
    timer.clear();
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('settleWithin and boundUserCode', () => {
  it("leave no timer once the code settled, and end a hung call when the caller's signal fires", async () => {
    vi.useFakeTimers();
    const controller = new AbortController();
    expect(await settleWithin(() => Promise.resolve('v'), { signal: controller.signal, timeoutMs: 60_000 })).toEqual({ ok: true, value: 'v' });
    expect(vi.getTimerCount()).toBe(0);
    const hung = settleWithin(never, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort();
    await expect(hung).rejects.toMatchObject({ code: 'ABORTED' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("name the user code when the caller's attempt timeout ends the wait; a caller's abort stays ABORTED", async () => {
    const attempt = new AbortController();
    const pending = boundUserCode('The token store get', never, { signal: attempt.signal, timeoutMs: 60_000 });
    const reason = timedOut();
    attempt.abort(reason);
    await expect(pending).rejects.toMatchObject({ code: 'TIMEOUT', message: "The token store get did not settle within the request's timeout (timeoutMs): it was abandoned.", cause: reason });
    const caller = new AbortController();
    const aborted = boundUserCode('The token store get', never, { signal: caller.signal, timeoutMs: 60_000 });
    caller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('AttemptTimer', () => {
  it('never keeps a process alive, and fires at timeoutMs with a TimeoutError reason, letting its Request go', async () => {
    const real = new AttemptTimer(undefined, 60_000);
    expect((real.timer as NodeJS.Timeout).hasRef()).toBe(false);
    real.clear();
    vi.useFakeTimers();
    const timer = new AttemptTimer(undefined, 1000);
    timer.request = new Request('https://acme.okta.com/api/v1/users');
    await vi.advanceTimersByTimeAsync(999);
    expect(timer.signal.aborted).toBe(false);
    expect(timer.request).toBeDefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(timer.signal.aborted).toBe(true);
    expect((timer.signal.reason as Error).name).toBe('TimeoutError');
    expect(timer.request).toBeUndefined();
  });

  it('cleared, never fires and lets its Request go', async () => {
    vi.useFakeTimers();
    const timer = new AttemptTimer(undefined, 1000);
    timer.request = new Request('https://acme.okta.com/api/v1/users');
    timer.clear();
    expect(timer.request).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(timer.signal.aborted).toBe(false);
  });

  it("follows the caller's signal; within ends user code that ignores it, with the caller's reason", async () => {
    vi.useFakeTimers();
    const caller = new AbortController();
    const timer = new AttemptTimer(caller.signal, 1000);
    const working = timer.within(never());
    const mine = new Error('user left');
    caller.abort(mine);
    expect(timer.signal.reason).toBe(mine);
    // The credential ignores the signal: the attempt's timer ends the wait with the caller's reason.
    await Promise.all([expect(working).rejects.toBe(mine), vi.advanceTimersByTimeAsync(1000)]);
    const quick = new AttemptTimer(undefined, 1000);
    expect(await quick.within(Promise.resolve('headers'))).toBe('headers');
    await Promise.all([expect(quick.within(never())).rejects.toMatchObject({ name: 'TimeoutError' }), vi.advanceTimersByTimeAsync(1000)]);
  });
});

describe('followCall', () => {
  it("aborts the attempt with the call's reason, also when the call's signal had fired already", () => {
    const reason = new Error('ky timeout');
    const timer = new AttemptTimer(undefined, 60_000);
    followCall(timer, AbortSignal.abort(reason));
    expect(timer.signal.aborted).toBe(true);
    expect(timer.signal.reason).toBe(reason);
    timer.clear();
    const call = new AbortController();
    const later = new AttemptTimer(undefined, 60_000);
    followCall(later, call.signal);
    expect(later.signal.aborted).toBe(false);
    call.abort(reason);
    expect(later.signal.reason).toBe(reason);
    later.clear();
  });
});
