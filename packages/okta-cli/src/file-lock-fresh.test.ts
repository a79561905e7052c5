/**
 * `withFileLockAsync` keeps its lock fresh while the change runs (every third of the stale age), so
 * a live holder's lock never reaches the stale age, stops when the change settles (no timer left),
 * and never touches a lock another run took over meanwhile. Timers and `Date` are fake.
 */
import { statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { beforeEach, expect, it, vi } from 'vitest';
import { withFileLockAsync } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';

const place = useLockPlace();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: Math.floor(Date.now() / 1000) * 1000 });
});

/** A change that ends when the test says. */
function pending(): { readonly change: () => Promise<string>; readonly end: () => void } {
  let end = (): void => undefined;
  const done = new Promise<string>((resolve) => (end = () => resolve('renewed')));
  return { change: () => done, end };
}

it('touches its lock every 10 s while the change runs, so it is never 30 s old; stops once the change settled', async () => {
  const { change, end } = pending();
  const held = withFileLockAsync(place.file, change);
  const [start, created] = [Date.now(), statSync(place.lock).mtimeMs];
  vi.advanceTimersByTime(9_999);
  expect(statSync(place.lock).mtimeMs).toBe(created);
  vi.advanceTimersByTime(1);
  expect(statSync(place.lock).mtimeMs).toBe(start + 10_000);
  vi.advanceTimersByTime(35_000);
  expect(Date.now() - statSync(place.lock).mtimeMs).toBeLessThan(10_000);
  end();
  await expect(held).resolves.toBe('renewed');
  expect(statSync(place.lock, { throwIfNoEntry: false })).toBeUndefined();
  expect(vi.getTimerCount()).toBe(0);
});

it('stops when the change throws too', async () => {
  await expect(withFileLockAsync(place.file, () => Promise.reject(new Error('Okta said no')))).rejects.toThrow('Okta said no');
  expect(vi.getTimerCount()).toBe(0);
  expect(statSync(place.lock, { throwIfNoEntry: false })).toBeUndefined();
});

it('leaves alone a lock another run took over meanwhile (after a stop past 30 s), and at the end', async () => {
  const { change, end } = pending();
  const held = withFileLockAsync(place.file, change);
  unlinkSync(place.lock);
  writeFileSync(place.lock, '1 elsewhere\n', { flag: 'wx', mode: 0o600 });
  const theirs = new Date(Date.now() - 5_000);
  utimesSync(place.lock, theirs, theirs);
  vi.advanceTimersByTime(20_000);
  expect(statSync(place.lock).mtimeMs).toBe(theirs.getTime());
  end();
  await expect(held).resolves.toBe('renewed');
  expect(statSync(place.lock).mtimeMs).toBe(theirs.getTime());
});
