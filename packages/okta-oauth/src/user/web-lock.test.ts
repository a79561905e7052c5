import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockSettleMs, underWebLock } from './web-lock.js';

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
