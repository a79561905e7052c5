/**
 * Whose a lock is (ra151): a process id means something only in its PID namespace, and containers of
 * one pod share the machine name but not their namespaces (nor, perhaps, their config volume). The
 * lock names its owner's namespace; a lock of another namespace, or one naming none (an older
 * okta-auth's), cannot be asked about its process and goes by age: a live holder there is waited for.
 */
import { existsSync, readFileSync, readlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { expect, it, vi } from 'vitest';
import { CliError } from './exit-codes.js';
import { ownerLine, withFileLock } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';
import { movedSleeps } from './test-helpers/moved-sleeps.js';

const place = useLockPlace();

const linux = existsSync('/proc/self/ns/pid');

it.runIf(linux)('names its process, machine and PID namespace in the lock', () => {
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(`${process.pid} ${hostname()} ${readlinkSync('/proc/self/ns/pid')}\n`);
  expect(ownerLine()).toBe(`${process.pid} ${hostname()} ${readlinkSync('/proc/self/ns/pid')}\n`);
});

it.runIf(linux)('a fresh lock of this machine name whose process does not run here, of another PID namespace or naming none, is waited for, never taken over', () => {
  // A process id no process of this namespace has (above pid_max): a live holder in another container.
  for (const owner of [`99999999 ${hostname()} pid:[1]\n`, `99999999 ${hostname()}\n`]) {
    const clock = movedSleeps();
    writeFileSync(place.lock, owner, { flag: 'wx', mode: 0o600 });
    utimesSync(place.lock, clock.lockTime, clock.lockTime);
    let message: string | undefined;
    try {
      withFileLock(place.file, () => 'changed');
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      message = error.message;
    }
    expect(message).toBe(`${place.lock} is held by another okta-auth: try again once it has ended, or delete the lock if no okta-auth is running.`);
    expect(clock.slept).toBe(5000);
    expect(readFileSync(place.lock, 'utf8')).toBe(owner);
    vi.useRealTimers();
    vi.restoreAllMocks();
    unlinkSync(place.lock);
  }
});

it('a fresh lock of this namespace naming a process that no longer runs is taken over at once', () => {
  const clock = movedSleeps();
  writeFileSync(place.lock, ownerLine(99999999), { flag: 'wx', mode: 0o600 });
  utimesSync(place.lock, clock.lockTime, clock.lockTime);
  expect(withFileLock(place.file, () => readFileSync(place.lock, 'utf8'))).toBe(ownerLine());
  expect(clock.slept).toBe(0);
});
