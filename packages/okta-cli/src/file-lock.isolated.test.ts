/**
 * `withFileLock`'s take-over of a stale lock and its release, at the interleavings two okta-auth
 * processes can reach: the other process's steps run inside this one's file-system calls (a
 * `statSync` of the lock is where a process judges it stale), so each order is exact, not timed.
 */
import type * as nodeFs from 'node:fs';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { CliError } from './exit-codes.js';
import { LockLeftError, ownerLine, withFileLock } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';
import { movedSleeps } from './test-helpers/moved-sleeps.js';

const hooks = vi.hoisted(() => ({
  afterStat: undefined as ((path: string) => void) | undefined,
  beforeRename: undefined as ((from: string) => void) | undefined,
  beforeUnlink: undefined as ((path: string) => void) | undefined,
  beforeRm: undefined as ((path: string) => void) | undefined,
  beforeOpen: undefined as ((path: string) => void) | undefined,
}));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const statSync = ((path: string, options?: object) => {
    const stat = fs.statSync(path, options);
    hooks.afterStat?.(path);
    return stat;
  }) as typeof fs.statSync;
  const lstatSync = ((path: string, options?: object) => {
    const stat = fs.lstatSync(path, options);
    hooks.afterStat?.(path);
    return stat;
  }) as typeof fs.lstatSync;
  const renameSync = ((from: string, to: string) => {
    hooks.beforeRename?.(from);
    fs.renameSync(from, to);
  }) as typeof fs.renameSync;
  const unlinkSync = ((path: string) => {
    hooks.beforeUnlink?.(path);
    fs.unlinkSync(path);
  }) as typeof fs.unlinkSync;
  const rmSync = ((path: string, options?: object) => {
    hooks.beforeRm?.(path);
    fs.rmSync(path, options);
  }) as typeof fs.rmSync;
  const openSync = ((path: string, ...rest: [never]) => {
    hooks.beforeOpen?.(path);
    return fs.openSync(path, ...rest);
  }) as typeof fs.openSync;
  return { ...fs, statSync, lstatSync, renameSync, unlinkSync, rmSync, openSync, default: { ...fs, statSync, lstatSync, renameSync, unlinkSync, rmSync, openSync } };
});

const place = useLockPlace();
afterEach(() => {
  hooks.afterStat = undefined;
  hooks.beforeRename = undefined;
  hooks.beforeUnlink = undefined;
  hooks.beforeRm = undefined;
  hooks.beforeOpen = undefined;
});

/** A lock left by a process that died a minute ago. */
function staleLock(): void {
  writeFileSync(place.lock, 'dead', { flag: 'wx', mode: 0o600 });
  const past = new Date(Date.now() - 60_000);
  utimesSync(place.lock, past, past);
}

it('of two processes that judge a lock stale, the second waits for the first to let go', () => {
  staleLock();
  let otherHolds = false;
  let stats = 0;
  hooks.afterStat = (path) => {
    if (path !== place.lock) return;
    stats++;
    if (stats === 1) {
      // Just after this process found the lock stale, the other one (which found it stale too) takes it over.
      unlinkSync(place.lock);
      writeFileSync(place.lock, 'other', { flag: 'wx', mode: 0o600 });
      otherHolds = true;
    } else if (stats === 3) {
      // Then it is done, and lets go.
      unlinkSync(place.lock);
      otherHolds = false;
    }
  };
  const held = withFileLock(place.file, () => otherHolds);
  expect(held, 'the other process still held the lock when this one went in').toBe(false);
  expect(existsSync(place.lock)).toBe(false);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});

it('leaves the lock of a process that took its own over (held past 30 s) at the end', () => {
  withFileLock(place.file, () => {
    // Stopped past 30 s (Ctrl-Z, a sleeping laptop): another process took the lock over.
    unlinkSync(place.lock);
    writeFileSync(place.lock, 'other', { flag: 'wx', mode: 0o600 });
  });
  expect(readFileSync(place.lock, 'utf8')).toBe('other');
});

it('takes a stale lock over and removes its own at the end', () => {
  staleLock();
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(ownerLine());
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});

it('a lock it cannot remove after a change that was made is a LockLeftError carrying the result, naming the lock to delete', () => {
  hooks.beforeRm = (path) => {
    if (path === place.lock) throw Object.assign(new Error(`EPERM: operation not permitted, unlink '${path}'`), { code: 'EPERM' });
  };
  let error: unknown;
  try {
    withFileLock(place.file, () => {
      writeFileSync(place.file, 'written');
      return 'the result';
    });
  } catch (caught) {
    error = caught;
  }
  // Before, the file system's own error replaced the result: the caller could not tell that the change was made.
  expect(error).toBeInstanceOf(LockLeftError);
  expect((error as LockLeftError).name).toBe('LockLeftError');
  expect((error as LockLeftError).message).toBe(`${place.lock} could not be removed after the change (EPERM): delete it.`);
  expect((error as LockLeftError).result).toBe('the result');
  expect((error as LockLeftError).exitCode).toBe(3);
  expect(readFileSync(place.file, 'utf8')).toBe('written');
  // After a change that threw, that change's error is what the caller gets.
  expect(() =>
    withFileLock(`${place.file}2`, () => {
      throw new Error('the change failed');
    }),
  ).toThrow('the change failed');
});

it("a held lock's error says the caller's advice when it gives one", () => {
  const clock = movedSleeps();
  writeFileSync(place.lock, ownerLine(process.ppid), { flag: 'wx', mode: 0o600 });
  utimesSync(place.lock, clock.lockTime, clock.lockTime);
  expect(() => withFileLock(place.file, () => undefined, 'the advice')).toThrow(`${place.lock} is held by another okta-auth (process ${process.ppid}): the advice.`);
});

/** `withFileLock` on `file` fails with a `CliError` saying `message`. */
function expectConfigError(message: string): void {
  let error: unknown;
  try {
    withFileLock(place.file, () => undefined);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).message).toBe(message);
}

it('names a lock path that is not a file (a folder) as a configuration error, stale or not', () => {
  mkdirSync(place.lock);
  const past = new Date(Date.now() - 60_000);
  utimesSync(place.lock, past, past);
  expectConfigError(`${place.lock} is not a file: delete it.`);
});

it('a stale lock it cannot remove (a folder made read-only: EACCES, EROFS) is a configuration error naming it after the 5 s wait, not an endless loop', () => {
  const clock = movedSleeps();
  staleLock();
  let removals = 0;
  hooks.beforeUnlink = (path) => {
    if (path !== place.lock) return;
    removals++;
    throw Object.assign(new Error(`EACCES: permission denied, unlink '${path}'`), { code: 'EACCES' });
  };
  // The loop's own stat of the lock is where an endless loop is stopped.
  hooks.afterStat = (path) => {
    if (path === place.lock && removals > 1000) throw new Error('the lock wait went on without end (over 1000 take-overs)');
  };
  expectConfigError(`${place.lock} was left by an okta-auth that stopped, and cannot be removed (EACCES): delete it.`);
  expect(clock.slept).toBe(5000);
  expect(readFileSync(place.lock, 'utf8')).toBe('dead');
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual(['p.json.lock']);
});

it('of three processes that judge a lock stale, the lock another took meanwhile is never moved nor removed (a third would get in)', () => {
  staleLock();
  let otherHolds = false;
  let touched = false;
  let stats = 0;
  hooks.beforeRename = (from) => {
    if (from === place.lock && otherHolds) touched = true;
  };
  hooks.beforeUnlink = (path) => {
    if (path === place.lock && otherHolds) touched = true;
  };
  hooks.afterStat = (path) => {
    if (path !== place.lock) return;
    stats++;
    if (stats === 1) {
      // This process found the lock stale; the second one, which did too, takes it over first.
      const unlink = hooks.beforeUnlink;
      hooks.beforeUnlink = undefined;
      unlinkSync(place.lock);
      hooks.beforeUnlink = unlink;
      writeFileSync(place.lock, 'other', { flag: 'wx', mode: 0o600 });
      otherHolds = true;
    } else if (stats === 4) {
      // Then it is done, and lets go.
      otherHolds = false;
      unlinkSync(place.lock);
    }
  };
  expect(withFileLock(place.file, () => otherHolds), 'the other process still held the lock when this one went in').toBe(false);
  // Before, the take-over renamed the other's lock aside and back: the path was free between (a third got in), and a rename back replaced the third's lock.
  expect(touched, "this process moved or removed the other's lock while it held it").toBe(false);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});

it('a fresh lock naming a process of this machine that no longer runs (killed with SIGKILL) is taken over at once, with no file left', () => {
  const clock = movedSleeps();
  // A process id no process has: above the kernel's pid_max (4194304 at most).
  writeFileSync(place.lock, ownerLine(99999999), { flag: 'wx', mode: 0o600 });
  utimesSync(place.lock, clock.lockTime, clock.lockTime);
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(ownerLine());
  expect(clock.slept).toBe(0);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
  // A running process's lock, or another machine's (not asked, by age only: written now, 5 s old at the end of the wait), is waited for.
  for (const owner of [ownerLine(process.ppid), `99999999 another-host\n`]) {
    const slept = clock.slept;
    writeFileSync(place.lock, owner, { flag: 'wx', mode: 0o600 });
    const written = new Date(Date.now());
    utimesSync(place.lock, written, written);
    expectConfigError(`${place.lock} is held by another okta-auth${owner.includes('another') ? '' : ` (process ${process.ppid})`}: try again once it has ended, or delete the lock if no okta-auth is running.`);
    expect(clock.slept - slept).toBe(5000);
    unlinkSync(place.lock);
  }
});

it("another running okta-auth's lock is waited for 5 s, then a configuration error names it and its process", () => {
  const clock = movedSleeps();
  writeFileSync(place.lock, ownerLine(process.ppid), { flag: 'wx', mode: 0o600 });
  utimesSync(place.lock, clock.lockTime, clock.lockTime);
  expectConfigError(`${place.lock} is held by another okta-auth (process ${process.ppid}): try again once it has ended, or delete the lock if no okta-auth is running.`);
  expect(clock.slept).toBe(5000);
  expect(readFileSync(place.lock, 'utf8')).toBe(ownerLine(process.ppid));
});

it("a lock whose owner cannot be asked (another machine's) is waited for until it is older than 30 s, then taken over", () => {
  const clock = movedSleeps();
  writeFileSync(place.lock, '99999999 another-host\n', { flag: 'wx', mode: 0o600 });
  // 29 s old: within the 5 s wait it passes 30 s.
  const written = new Date(clock.lockTime.getTime() - 29_000);
  utimesSync(place.lock, written, written);
  let ageAtTakeOver: number | undefined;
  hooks.beforeUnlink = (path) => {
    if (path === place.lock) ageAtTakeOver ??= Date.now() - written.getTime();
  };
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(ownerLine());
  // Past 30 s, and taken over at the first look past it (the looks are 20 ms apart on the moved clock).
  expect(ageAtTakeOver).toBeGreaterThan(30_000);
  expect(ageAtTakeOver).toBeLessThanOrEqual(30_020);
  expect(clock.slept).toBeGreaterThanOrEqual(1000);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});


// The forty-eighth mutation round: the steps where another process's file is gone, or cannot be made, between two calls.

it('a stale lock whose take-over guard cannot be created (a read-only folder: EROFS) is named as not removable after the wait, not as held', () => {
  const clock = movedSleeps();
  staleLock();
  const guard = `${place.lock}.takeover`;
  hooks.beforeOpen = (path) => {
    if (path === guard) throw Object.assign(new Error(`EROFS: read-only file system, open '${path}'`), { code: 'EROFS' });
  };
  // Before (an open that failed for any reason but EEXIST read as another's guard), "is held by another okta-auth: try again…".
  expectConfigError(`${place.lock} was left by an okta-auth that stopped, and cannot be removed (EROFS): delete it.`);
  expect(clock.slept).toBe(5000);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual(['p.json.lock']);
});

it('a stale lock another removed just before this one did (ENOENT) is tried again at once, without a wait', () => {
  const clock = movedSleeps();
  staleLock();
  hooks.beforeUnlink = (path) => {
    if (path !== place.lock) return;
    hooks.beforeUnlink = undefined;
    // The other process, which judged it stale too, took it over and let go first.
    unlinkSync(place.lock);
  };
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(ownerLine());
  expect(clock.slept).toBe(0);
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});

it('its lock, taken over and let go by another between its look and its removal, is no error', () => {
  hooks.beforeRm = (path) => {
    if (path !== place.lock) return;
    hooks.beforeRm = undefined;
    unlinkSync(place.lock);
  };
  expect(withFileLock(place.file, () => 'changed')).toBe('changed');
  expect(readdirSync(join(place.box.xdg, 'tokens'))).toEqual([]);
});
