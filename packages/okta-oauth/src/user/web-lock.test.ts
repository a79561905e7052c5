import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOktaAuthError } from '@org/okta-auth-core';
import { stubWebLocks, webLocks } from './test-helpers/web-locks.js';
import { lockSettleMs, underWebLock, underWebLockWithin } from './web-lock.js';

/** A Web Locks stand-in that records when the lock is released. */
function fakeLocks() {
  const events: string[] = [];
  vi.stubGlobal('navigator', {
    locks: {
      async request<T>(name: string, callback: () => Promise<T>): Promise<T> {
        events.push(`acquire ${name}`);
        try {
          return await callback();
        } finally {
          events.push(`release ${name}`);
        }
      },
    },
  });
  return events;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('underWebLock', () => {
  it('gives the result at once and keeps the lock lockSettleMs longer after a success', async () => {
    vi.useFakeTimers();
    const events = fakeLocks();
    expect(await underWebLock('k', () => Promise.resolve('tokens'))).toBe('tokens');
    expect(events).toEqual(['acquire k']);
    await vi.advanceTimersByTimeAsync(lockSettleMs - 1);
    expect(events).toEqual(['acquire k']);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual(['acquire k', 'release k']);
  });

  it('passes a failure through as itself and releases the lock at once', async () => {
    const events = fakeLocks();
    const thrown = new Error('refused');
    await expect(underWebLock('k', () => Promise.reject(thrown))).rejects.toBe(thrown);
    await Promise.resolve();
    expect(events).toEqual(['acquire k', 'release k']);
  });

  it('just runs where there are no Web Locks', async () => {
    vi.stubGlobal('navigator', undefined);
    expect(await underWebLock('k', () => Promise.resolve(1))).toBe(1);
  });
});

describe('underWebLockWithin', () => {
  it('runs under the lock once it is free, and gives run’s result', async () => {
    const { hold } = stubWebLocks();
    const release = hold('k');
    let ran = false;
    const result = underWebLockWithin('k', () => ((ran = true), Promise.resolve('tokens')), 60_000);
    await Promise.resolve();
    expect(ran).toBe(false);
    release();
    expect(await result).toBe('tokens');
  });

  it('withdraws the request and rejects with TIMEOUT when the holder never lets go within waitMs', async () => {
    vi.useFakeTimers();
    const { hold, waiting } = stubWebLocks();
    hold('k');
    let ran = false;
    const result = underWebLockWithin('k', () => ((ran = true), Promise.resolve('tokens')), 7000).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(6999);
    expect(waiting).toEqual(['k']);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    expect((error as Error).message).toMatch(/^Another tab or worker of this origin held the token renewal lock for more than 7000 ms .*Close or resume it/);
    expect(waiting).toEqual([]);
    expect(ran).toBe(false);
  });

  it('passes run’s own failure through as itself, also after waitMs has gone by under the lock', async () => {
    vi.useFakeTimers();
    stubWebLocks();
    const thrown = new Error('refused');
    const result = underWebLockWithin('k', () => vi.advanceTimersByTimeAsync(5000).then(() => Promise.reject(thrown)), 1000);
    await expect(result).rejects.toBe(thrown);
  });

  it('passes a lock manager’s own refusal through as itself when the wait ends', async () => {
    vi.useFakeTimers();
    const refusal = new DOMException('The document is not fully active.', 'InvalidStateError');
    const { hold } = stubWebLocks(refusal);
    hold('k');
    const result = underWebLockWithin('k', () => Promise.resolve('tokens'), 1000).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await result).toBe(refusal);
  });

  it('ends the wait at waitMs with a lock manager that ignores the signal (a polyfill), and runs nothing when it grants the lock later', async () => {
    vi.useFakeTimers();
    const locks = webLocks();
    // request(name, { signal }, callback) taken as request(name, callback): the signal is never read.
    vi.stubGlobal('navigator', { locks: { request: (name: string, ...args: [() => Promise<unknown>]) => locks.request(name, args[args.length - 1] as () => Promise<unknown>) } });
    const release = locks.hold('k');
    let ran = false;
    const result = underWebLockWithin('k', () => ((ran = true), Promise.resolve('tokens')), 1000).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000); // waitMs
    await vi.advanceTimersByTimeAsync(1); // the turn left to the manager's own answer
    const error = await result;
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    // The holder lets go: the stale request is granted, lets go at once, and the next one gets the lock.
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toBe(false);
    expect(await underWebLockWithin('k', () => Promise.resolve('next'), 1000)).toBe('next');
  });

  it('is INVALID_CONFIG, not a wait for ever, when the lock manager settles without calling back', async () => {
    vi.stubGlobal('navigator', { locks: { request: () => Promise.resolve(undefined) } });
    const error = await underWebLockWithin('k', () => Promise.resolve('tokens'), 60_000).catch((thrown: unknown) => thrown);
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toMatch(/does not follow the Web Locks API .*Remove or fix it\.$/);
  });

  it('rejects with the reason of a signal that fired before, asking no lock', async () => {
    const { waiting } = stubWebLocks();
    const reason = new Error('gone');
    await expect(underWebLock('k', () => Promise.resolve(1), AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(waiting).toEqual([]);
  });
});
