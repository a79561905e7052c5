import { describe, expect, it, vi } from 'vitest';
import { abortableSleep, AttemptTimer, boundUserCode, settleWithin, waitFor } from './abort.js';

const never = () => new Promise<never>(() => undefined);
/** An attempt's signal ({@link AttemptTimer}'s) that fires after `ms`: its own timeout, not the caller's. */
const attemptSignal = (ms: number) => new AttemptTimer(undefined, ms).signal;

describe('boundUserCode', () => {
  it('gives a typed TIMEOUT naming the user code when it never settles', async () => {
    await expect(boundUserCode('onTokens', never, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^onTokens did not settle within 20 ms/) });
  });

  it('ends the TIMEOUT at "abandoned." when given no fix, for its own timeout and for the attempt\'s', async () => {
    await expect(boundUserCode('onTokens', never, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'TIMEOUT', message: 'onTokens did not settle within 20 ms (timeoutMs): it was abandoned.' });
    await expect(boundUserCode('onTokens', never, { signal: attemptSignal(20), timeoutMs: 60_000, fix: undefined })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: "onTokens did not settle within the request's timeout (timeoutMs): it was abandoned.",
    });
  });

  it('ends the TIMEOUT with what to do when given it, for its own timeout and for the attempt\'s', async () => {
    const fix = 'Make it settle.';
    await expect(boundUserCode('onTokens', never, { timeoutMs: 20, fix })).rejects.toMatchObject({ code: 'TIMEOUT', message: 'onTokens did not settle within 20 ms (timeoutMs): it was abandoned. Make it settle.' });
    const signal = attemptSignal(20);
    await expect(boundUserCode('onTokens', never, { signal, timeoutMs: 60_000, fix })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: "onTokens did not settle within the request's timeout (timeoutMs): it was abandoned. Make it settle.",
    });
  });

  it("gives ABORTED, its reason as cause, for the caller's deadline (AbortSignal.timeout: not the request's timeoutMs)", async () => {
    const signal = AbortSignal.timeout(20);
    const error = await boundUserCode('onTokens', never, { signal, timeoutMs: 60_000 }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'ABORTED', message: 'The operation was aborted by the caller.' });
    expect((error as Error).cause).toBe(signal.reason);
    await expect(abortableSleep(60_000, AbortSignal.timeout(20))).rejects.toMatchObject({ code: 'ABORTED', message: 'The operation was aborted by the caller.' });
  });

  it("gives ABORTED when the caller's signal fires first, and the user code's own error as itself", async () => {
    const controller = new AbortController();
    const pending = boundUserCode('onTokens', never, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    const own = new Error('disk full');
    await expect(boundUserCode('onTokens', () => Promise.reject(own), { timeoutMs: 1000 })).rejects.toBe(own);
    await expect(
      boundUserCode('onTokens', () => {
        throw own;
      }, { timeoutMs: 1000 }),
    ).rejects.toBe(own);
    expect(await boundUserCode('onTokens', () => 7, { timeoutMs: 1000 })).toBe(7);
  });

  it('passes a thrown value that is not an Error through as itself, not wrapped', async () => {
    const thrown = { reason: 'quota' };
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- user code may reject with anything
    await expect(boundUserCode('a token store', () => Promise.reject(thrown), { timeoutMs: 1000 })).rejects.toBe(thrown);
    await expect(
      boundUserCode('a token store', () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- user code may throw anything
        throw 'disk full';
      }, { timeoutMs: 1000 }),
    ).rejects.toBe('disk full');
  });
});

describe('waitFor', () => {
  it("hands each waiter the shared work's own rejection, whatever it is", async () => {
    const thrown = { reason: 'quota' };
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- user code may reject with anything
    const shared = Promise.reject(thrown);
    await expect(waitFor(shared, new AbortController().signal)).rejects.toBe(thrown);
    await expect(waitFor(shared, undefined)).rejects.toBe(thrown);
  });
});

describe('abortableSleep', () => {
  it('never turns a wait beyond what setTimeout holds (2^31 ms) into none', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(2 ** 40, controller.signal).then(() => 'woke', () => 'aborted');
    const first = await Promise.race([sleeping, new Promise((resolve) => setTimeout(() => resolve('still sleeping'), 50))]);
    controller.abort();
    expect(first).toBe('still sleeping');
    expect(await sleeping).toBe('aborted');
  });
});

describe('settleWithin', () => {
  it('stops its timer as soon as the call settles, and never calls the code once the signal has fired', async () => {
    const armed = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      expect(await settleWithin(() => 7, { timeoutMs: 54_321 })).toEqual({ ok: true, value: 7 });
      const timer: unknown = armed.mock.results[armed.mock.calls.findIndex((call) => call[1] === 54_321)]?.value;
      expect(timer).toBeDefined();
      expect(cleared.mock.calls.map((call) => call[0] as unknown)).toContain(timer);
    } finally {
      armed.mockRestore();
      cleared.mockRestore();
    }
    const controller = new AbortController();
    controller.abort();
    let called = false;
    const run = (): void => {
      called = true;
    };
    await expect(settleWithin(run, { signal: controller.signal, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(called).toBe(false);
  });

  it('tells a timeout from the code\'s own error', async () => {
    expect(await settleWithin(never, { timeoutMs: 10 })).toEqual({ ok: false, reason: 'timeout' });
    const own = new Error('redis down');
    expect(await settleWithin(() => Promise.reject(own), { timeoutMs: 1000 })).toEqual({ ok: false, reason: 'error', error: own });
  });
});
