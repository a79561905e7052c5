/**
 * `settleWithin`'s end (abort.ts): a call that settles first ends the bounded wait without building
 * the `ABORTED` error its wait would reject with, which nobody sees (one per token store call,
 * rate-limit coordinator call and redis command: an `OktaAuthError` and a `DOMException`, each with
 * its stack); a caller's abort still ends it with one. Isolated: core's one typing of transport
 * failures is wrapped (`vi.mock`) to count the errors it builds.
 */
import { describe, expect, it, vi } from 'vitest';
import type * as failure from '../errors/failure.js';
import { abortableSleep, settleWithin } from './abort.js';

const built = vi.hoisted(() => ({ errors: 0 }));

vi.mock('../errors/failure.js', async (importOriginal) => {
  const actual = await importOriginal<typeof failure>();
  const transportFailure: typeof actual.transportFailure = (...args) => {
    built.errors++;
    return actual.transportFailure(...args);
  };
  return { ...actual, transportFailure };
});

const never = () => new Promise<never>(() => undefined);
/** Lets what the end of a race queued (an abort's listeners, a rejection) run its course. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('settleWithin, once the race is over', () => {
  it('builds no error when the call settles first (a value or its own error), with a caller signal or without', async () => {
    built.errors = 0;
    const shared = new AbortController();
    for (const signal of [undefined, shared.signal]) {
      expect(await settleWithin(() => 7, { signal, timeoutMs: 1000 })).toEqual({ ok: true, value: 7 });
      expect(await settleWithin(() => Promise.resolve('stored'), { signal, timeoutMs: 1000 })).toEqual({ ok: true, value: 'stored' });
      const own = new Error('redis down');
      expect(await settleWithin(() => Promise.reject(own), { signal, timeoutMs: 1000 })).toEqual({ ok: false, reason: 'error', error: own });
    }
    expect(await settleWithin(never, { timeoutMs: 5 })).toEqual({ ok: false, reason: 'timeout' });
    await settle();
    expect(built.errors).toBe(0);
    // The caller's signal is left as it was.
    expect(shared.signal.aborted).toBe(false);
  });

  it("still ends with ABORTED, the caller's reason as cause, when the caller's signal fires first", async () => {
    built.errors = 0;
    const controller = new AbortController();
    const settling = settleWithin(never, { signal: controller.signal, timeoutMs: 1000 });
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(settling).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
    await settle();
    expect(built.errors).toBe(1);
  });

  // rev160: the quiet end's reason was abortableSleep, a value @org/okta-auth-core/internal exports: a caller's signal
  // aborted with it left the sleep, and the wait on user code that never settles, pending for good.
  it('ends with ABORTED whatever value the caller aborts with, abortableSleep itself included', async () => {
    for (const reason of [abortableSleep, settleWithin, {}, undefined]) {
      const sleeping = new AbortController();
      const sleep = abortableSleep(60_000, sleeping.signal);
      sleeping.abort(reason);
      await expect(sleep).rejects.toMatchObject({ code: 'ABORTED' });
      const waiting = new AbortController();
      const settling = settleWithin(never, { signal: waiting.signal, timeoutMs: 60_000 });
      waiting.abort(reason);
      await expect(settling).rejects.toMatchObject({ code: 'ABORTED' });
    }
  });
});
