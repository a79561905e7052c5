/**
 * What the thirty-fourth mutation round found no test reading in `file-lock.ts`
 * (docs/security-history.md): a take-over guard left by an okta-auth that died is removed, one a
 * running okta-auth holds is waited for; a lock whose text is not exactly `<pid> <host>\n` names
 * no process, so it goes by age and is never taken over at once. The thirty-fifth round: a lock that
 * cannot be created, a fresh lock of a running process (this user's, or another's: `EPERM`), and a
 * lock another took while the change ran, left at release. The forty-eighth: a lock another took over
 * and let go while the change ran (the change's result, no error), one another put in its place with
 * the same time (left: its inode is another), a take-over guard that is a folder (never removed), and
 * the descriptor of each lock created, closed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it, vi } from 'vitest';
import { CliError } from './exit-codes.js';
import { ownerLine, withFileLock } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';
import { movedSleeps } from './test-helpers/moved-sleeps.js';

const place = useLockPlace();

/** Writes `path` holding `text`, `ageMs` old. */
function left(path: string, text: string, ageMs: number): void {
  writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
  const time = new Date(Date.now() - ageMs);
  utimesSync(path, time, time);
}

/** What `withFileLock` on `file` ends in: the change's answer, or the `CliError`'s message. */
function outcome(): string {
  try {
    return withFileLock(place.file, () => 'changed');
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
}

const heldMessage = () => `${place.lock} is held by another okta-auth: try again once it has ended, or delete the lock if no okta-auth is running.`;

it('a take-over guard left by an okta-auth that died (older than 30 s) is removed, and the stale lock then taken over', () => {
  const clock = movedSleeps();
  left(place.lock, 'dead', 60_000);
  left(place.guard, ownerLine(99999999), 60_000);
  expect(outcome()).toBe('changed');
  expect(clock.slept).toBe(20);
  expect(readdirSync(place.dir)).toEqual([]);
});

it('a take-over guard of a running okta-auth is waited for as a held lock, and left', () => {
  const clock = movedSleeps();
  left(place.lock, 'dead', 60_000);
  left(place.guard, ownerLine(process.ppid), 0);
  expect(outcome()).toBe(heldMessage());
  expect(clock.slept).toBe(5000);
  expect(readdirSync(place.dir).sort()).toEqual(['p.json.lock', 'p.json.lock.takeover']);
  expect(readFileSync(place.guard, 'utf8')).toBe(ownerLine(process.ppid));
});

it('a fresh lock whose text only contains a process id and this host names no process: waited for, not taken over', () => {
  for (const text of [`x${ownerLine(99999999)}`, `${ownerLine(99999999)}more\n`, ownerLine(99999999).slice(0, -1)]) {
    const clock = movedSleeps();
    left(place.lock, text, 0);
    expect(outcome(), JSON.stringify(text)).toBe(heldMessage());
    expect(clock.slept).toBe(5000);
    expect(readFileSync(place.lock, 'utf8')).toBe(text);
    unlinkSync(place.lock);
    vi.useRealTimers();
    vi.restoreAllMocks();
  }
});

// The thirty-fifth round: what the thirty-fourth left unread.

it('a lock that cannot be created (its folder is not there) is a configuration error naming it and the code, tried once', () => {
  const nowhere = join(place.dir, 'gone', 'p.json');
  expect(() => withFileLock(nowhere, () => 'changed')).toThrow(
    expect.objectContaining({ message: `${nowhere}.lock cannot be created (ENOENT): set XDG_CONFIG_HOME to a folder you can write (the token files go under it).` }),
  );
});

it('a fresh lock of a running okta-auth of this machine is waited for, never taken over', () => {
  const clock = movedSleeps();
  left(place.lock, ownerLine(process.ppid), 0);
  expect(outcome()).toBe(`${place.lock} is held by another okta-auth (process ${process.ppid}): try again once it has ended, or delete the lock if no okta-auth is running.`);
  expect(clock.slept).toBe(5000);
  expect(readFileSync(place.lock, 'utf8')).toBe(ownerLine(process.ppid));
});

it("a fresh lock of another user's running process (kill answers EPERM) is waited for, never taken over", () => {
  const clock = movedSleeps();
  const asked: number[] = [];
  vi.spyOn(process, 'kill').mockImplementation((pid: number) => {
    asked.push(pid);
    throw Object.assign(new Error('kill EPERM'), { code: 'EPERM' });
  });
  left(place.lock, ownerLine(4242), 0);
  expect(outcome()).toBe(`${place.lock} is held by another okta-auth (process 4242): try again once it has ended, or delete the lock if no okta-auth is running.`);
  expect(clock.slept).toBe(5000);
  expect(asked).toContain(4242);
  expect(readFileSync(place.lock, 'utf8')).toBe(ownerLine(4242));
});

it("leaves the lock another okta-auth took while the change ran (this one stopped past 30 s): it is not this one's to remove", () => {
  const other = ownerLine(process.ppid);
  expect(
    withFileLock(place.file, () => {
      unlinkSync(place.lock);
      left(place.lock, other, 60_000);
      return 'changed';
    }),
  ).toBe('changed');
  expect(readFileSync(place.lock, 'utf8')).toBe(other);
});

// The forty-eighth round: what the thirty-fifth left unread.

it('a lock another okta-auth took over and let go while the change ran is no error: the change stands, its result returned', () => {
  // Before (the release's stat throwing for a lock that is gone), a LockLeftError "(ENOENT): delete it." for no lock at all.
  expect(
    withFileLock(place.file, () => {
      unlinkSync(place.lock);
      return 'changed';
    }),
  ).toBe('changed');
  expect(readdirSync(place.dir)).toEqual([]);
});

it("leaves the lock another put in this one's place with the same time: another file (inode) is not this one's", () => {
  const other = ownerLine(process.ppid);
  expect(
    withFileLock(place.file, () => {
      // Written beside it and renamed over it, so the two are never one inode; the time, this lock's own to the
      // nanosecond (`touch -r`: utimes takes seconds as a double, which loses the file system's nanoseconds).
      const mine = statSync(place.lock);
      writeFileSync(`${place.lock}.new`, other, { mode: 0o600 });
      execFileSync('touch', ['-r', place.lock, `${place.lock}.new`]);
      renameSync(`${place.lock}.new`, place.lock);
      expect(statSync(place.lock).mtimeMs).toBe(mine.mtimeMs);
      return 'changed';
    }),
  ).toBe('changed');
  expect(readFileSync(place.lock, 'utf8')).toBe(other);
});

it('a take-over guard that is a folder is never removed: named at once, as the file to remove, and left (lockwait156)', () => {
  const clock = movedSleeps();
  left(place.lock, 'dead', 60_000);
  mkdirSync(place.guard);
  const past = new Date(Date.now() - 60_000);
  utimesSync(place.guard, past, past);
  // Before: waited 5 s, then said the lock was held by another okta-auth.
  expect(outcome()).toBe(`${place.guard} is not a file okta-auth made (a folder or a link): remove it, then try again.`);
  expect(clock.slept).toBe(0);
  expect(readdirSync(place.dir).sort()).toEqual(['p.json.lock', 'p.json.lock.takeover']);
});

// Linux's list of this process's open descriptors; elsewhere the test has nothing to count.
it.runIf(existsSync('/proc/self/fd'))('closes the descriptor of each lock it creates', () => {
  const open = () => readdirSync('/proc/self/fd').length;
  const before = open();
  for (let i = 0; i < 20; i++) withFileLock(place.file, () => undefined);
  expect(open()).toBe(before);
});
