/**
 * A lock dated in the future (planted, or written through an NFS server whose clock runs ahead):
 * by its date alone it was never stale (its age below zero for an hour), so every change waited its
 * whole bound and failed naming it. Now a lock or take-over guard dated more than 60 s ahead is stale
 * at once (okta-auth dates its own locks by its clock, at their creation too), and any lock is also
 * as old as this wait has seen it unchanged on its own monotonic clock: a holder's heartbeat (a new
 * time, so a new `mtime` and `ctime`) starts that count again, a date does not. The synchronous waits
 * run on a clock the test moves (`Date` and `performance.now` moved by each 20 ms sleep of the
 * wait); the renewal's wait on a timer runs in real time.
 */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { CliError } from './exit-codes.js';
import { lockAge, ownerLine, withFileLock, withFileLockAsync } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';

const place = useLockPlace();
afterEach(() => {
  lockAge.staleMs = 30_000;
});

const hour = 3_600_000;
/** A live holder no one can ask: another machine's, over a shared home folder. */
const elsewhere = '99999999 another-host\n';

/** Writes `path` holding `text`, dated `aheadMs` from now (an hour ahead: planted, or an NFS server's clock). */
function dated(path: string, text: string, aheadMs: number): void {
  writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
  const at = new Date(Date.now() + aheadMs);
  utimesSync(path, at, at);
}

/**
 * The synchronous wait's sleeps (`Atomics.wait`, 20 ms) return at once and move `Date` and
 * `performance.now` on by what they asked for; `beat` runs after each, at the moved time slept so far.
 * `Date` starts at a whole second, `offsetMs` from the real clock (the file system's clock).
 */
function movedClock(beat?: (slept: number) => void, offsetMs = 0): { readonly slept: number } {
  vi.useFakeTimers({ toFake: ['Date'], now: Math.floor((Date.now() + offsetMs) / 1000) * 1000 });
  // A whole millisecond: `start + 3000 - start` is then exactly 3000 (a fraction made it 3000.0000000005 now and then, and the take-over came a look early).
  const start = Math.floor(performance.now());
  let slept = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => start + slept);
  vi.spyOn(Atomics, 'wait').mockImplementation((_array: unknown, _index: number, _value: unknown, timeout?: number) => {
    if (timeout === undefined || slept > 60_000) throw new Error(`the lock wait went on past a minute (or without a timeout: ${String(timeout)})`);
    slept += timeout;
    vi.setSystemTime(Date.now() + timeout);
    beat?.(slept);
    return 'timed-out';
  });
  return {
    get slept() {
      return slept;
    },
  };
}

/** What `withFileLock` on `file` ends in: what the change read in the lock, or the `CliError`'s message. */
function outcome(): string {
  try {
    return withFileLock(place.file, () => readFileSync(place.lock, 'utf8'));
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
}

const heldMessage = (pid?: number) =>
  `${place.lock} is held by another okta-auth${pid === undefined ? '' : ` (process ${pid})`}: try again once it has ended, or delete the lock if no okta-auth is running.`;

it('a lock dated more than 60 s ahead (an hour: planted, or a clock that far off) is stale at once: taken over with no wait', () => {
  for (const aheadMs of [hour, 61_000]) {
    const clock = movedClock();
    dated(place.lock, elsewhere, aheadMs);
    // Before, "is held by another okta-auth: …" after the whole 5 s wait: its date kept it fresh.
    expect(outcome()).toBe(ownerLine());
    expect(clock.slept).toBe(0);
    expect(readdirSync(place.dir)).toEqual([]);
    vi.useRealTimers();
    vi.restoreAllMocks();
  }
});

it('a lock dated 59 s ahead is still a possible holder: waited for the whole 5 s under the 30 s stale age, and left', () => {
  const clock = movedClock();
  dated(place.lock, elsewhere, 59_000);
  expect(outcome()).toBe(heldMessage());
  expect(clock.slept).toBe(5000);
  expect(readFileSync(place.lock, 'utf8')).toBe(elsewhere);
});

it('a take-over guard dated an hour ahead is removed at once, and the stale lock beside it taken over', () => {
  const clock = movedClock();
  // A lock left a minute ago (stale by its date), and a guard beside it dated ahead: before, the guard kept every run out.
  dated(place.lock, elsewhere, -60_000);
  dated(`${place.lock}.takeover`, elsewhere, hour);
  expect(outcome()).toBe(ownerLine());
  // The look that removed the guard waits once, as for any guard it removes.
  expect(clock.slept).toBe(20);
  expect(readdirSync(place.dir)).toEqual([]);
});

it('a lock dated ahead within 60 s, left unchanged, is taken over once this run has seen it unchanged for the stale age', () => {
  // Shortened below the 5 s wait, so that the synchronous wait reaches it.
  lockAge.staleMs = 3000;
  const clock = movedClock();
  dated(place.lock, elsewhere, 50_000);
  // Before, "is held by another okta-auth: …" after the whole 5 s wait.
  expect(outcome()).toBe(ownerLine());
  expect(clock.slept).toBeGreaterThan(3000);
  expect(clock.slept).toBeLessThanOrEqual(3040);
  expect(readdirSync(place.dir)).toEqual([]);
});

it('a lock dated ahead whose holder keeps touching it (a heartbeat: another time ahead each time) is waited for, never taken over', () => {
  lockAge.staleMs = 3000;
  let beats = 0;
  // A heartbeat every third of the stale age, as a renewal's holder on a machine whose clock runs 50 s ahead.
  const clock = movedClock((slept) => {
    if (slept % 1000 !== 0) return;
    beats++;
    const at = new Date(Date.now() + 50_000);
    utimesSync(place.lock, at, at);
  });
  dated(place.lock, elsewhere, 50_000);
  expect(outcome()).toBe(heldMessage());
  expect(clock.slept).toBe(5000);
  expect(beats).toBe(5);
  expect(readFileSync(place.lock, 'utf8')).toBe(elsewhere);
});

it("a lock this run creates is dated by its own clock, not the file system's (an hour ahead): another run waits for it, never takes it as dated ahead", () => {
  // This process's clock an hour behind the file system's (an NFS server's clock an hour ahead).
  const clock = movedClock(undefined, -hour);
  const seen = withFileLock(place.file, () => {
    const aheadMs = statSync(place.lock).mtimeMs - Date.now();
    let other: string;
    try {
      other = withFileLock(place.file, () => 'two in');
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      other = error.message;
    }
    return { aheadMs, other };
  });
  // Before, the lock bore the file system's time, an hour ahead.
  expect(Math.abs(seen.aheadMs)).toBeLessThan(1);
  expect(seen.other).toBe(heldMessage(process.pid));
  expect(clock.slept).toBe(5000);
  expect(readdirSync(place.dir)).toEqual([]);
});

it('a renewal (the wait on a timer, real time) takes over a lock dated ahead within 60 s after the stale age, well within its bound', async () => {
  lockAge.staleMs = 400;
  dated(place.lock, elsewhere, 50_000);
  // A bound of 5 s of looks: before, the renewal waited it all, then failed naming the lock.
  const renewed = withFileLockAsync(place.file, () => Promise.resolve(readFileSync(place.lock, 'utf8')), undefined, 5000);
  await expect(renewed).resolves.toBe(ownerLine());
  expect(existsSync(place.lock)).toBe(false);
  expect(readdirSync(place.dir)).toEqual([]);
});

// lockback156 (ra156): the machine's clock set back (NTP, a VM resume, `date -s`) after a live holder dated its lock.
it('a lock dated 90 s ahead whose owner is a running process of this machine (the clock set back since it dated it) is waited for, not taken', () => {
  const clock = movedClock();
  // process.ppid: a running process of this machine and PID namespace, whose lock this run may ask about.
  dated(place.lock, ownerLine(process.ppid), 90_000);
  // Before, taken over at once (slept 0): "dated more than 60 s ahead" went before asking whether its owner runs.
  expect(outcome()).toBe(heldMessage(process.ppid));
  expect(clock.slept).toBe(5000);
  expect(readFileSync(place.lock, 'utf8')).toBe(ownerLine(process.ppid));
});

it('a lock dated an hour ahead naming a process of this machine that no longer runs is still taken over at once', () => {
  const clock = movedClock();
  // A process id no process has: above the kernel's pid_max (4194304 at most).
  dated(place.lock, ownerLine(99999999), hour);
  expect(outcome()).toBe(ownerLine());
  expect(clock.slept).toBe(0);
  expect(readdirSync(place.dir)).toEqual([]);
});

it("a running owner's lock dated 90 s ahead and left unchanged (a hung holder) is taken over once this run has seen it unchanged for the stale age", () => {
  lockAge.staleMs = 3000;
  const clock = movedClock();
  dated(place.lock, ownerLine(process.ppid), 90_000);
  // Before, taken over at once (slept 0).
  expect(outcome()).toBe(ownerLine());
  expect(clock.slept).toBeGreaterThan(3000);
  expect(clock.slept).toBeLessThanOrEqual(3040);
  expect(readdirSync(place.dir)).toEqual([]);
});

it("a running owner's take-over guard dated 90 s ahead is not removed: the stale lock beside it waits for that take-over", () => {
  const clock = movedClock();
  dated(place.lock, elsewhere, -60_000);
  dated(`${place.lock}.takeover`, ownerLine(process.ppid), 90_000);
  // Before, the guard was removed at once and the lock taken over while its running owner took it over too.
  expect(outcome()).toBe(heldMessage());
  expect(clock.slept).toBe(5000);
  expect(readFileSync(`${place.lock}.takeover`, 'utf8')).toBe(ownerLine(process.ppid));
});
