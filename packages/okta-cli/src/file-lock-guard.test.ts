/**
 * A take-over's guard (`<lock>.takeover`) that is no file okta-auth made (ra155): a folder, or a link
 * (one to nothing, or to a file), beside a stale lock. Before, the run waited 5 s and said the lock "is
 * held by another okta-auth (process N)", naming a process that no longer runs and the wrong file; now
 * it names the guard and says to remove it, and neither the guard nor what a link points at is touched.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, expect, it } from 'vitest';
import { CliError } from './exit-codes.js';
import { ownerLine, withFileLock } from './file-lock.js';
import { useLockPlace } from './test-helpers/lock-place.js';

const place = useLockPlace();
beforeEach(() => {
  // A stale lock: it names a process of this machine that no longer runs (above pid_max).
  writeFileSync(place.lock, ownerLine(99_999_999), { flag: 'wx', mode: 0o600 });
});

/** The message of the configuration error `withFileLock` throws. */
function refusal(): string {
  try {
    withFileLock(place.file, () => 'changed');
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  throw new Error('the change ran');
}

const guardMessage = (guard: string) => `${guard} is not a file okta-auth made (a folder or a link): remove it, then try again.`;

it('a folder at <lock>.takeover: the error names it and says to remove it, not a process holding the lock', () => {
  const guard = `${place.lock}.takeover`;
  mkdirSync(guard);
  expect(refusal()).toBe(guardMessage(guard));
  expect(lstatSync(guard).isDirectory()).toBe(true);
  expect(readFileSync(place.lock, 'utf8')).toBe(ownerLine(99_999_999));
});

it('a link at <lock>.takeover, to nothing or to a file: the error names it; the file it points at is left alone', () => {
  const guard = `${place.lock}.takeover`;
  symlinkSync(join(place.box.dir, 'nowhere'), guard);
  expect(refusal()).toBe(guardMessage(guard));
  const target = join(place.box.dir, 'target');
  writeFileSync(target, 'theirs');
  const other = join(place.box.xdg, 'tokens', 'q.json');
  writeFileSync(`${other}.lock`, ownerLine(99_999_999), { flag: 'wx', mode: 0o600 });
  symlinkSync(target, `${other}.lock.takeover`);
  let message: string | undefined;
  try {
    withFileLock(other, () => 'changed');
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toBe(guardMessage(`${other}.lock.takeover`));
  expect(readFileSync(target, 'utf8')).toBe('theirs');
  expect(existsSync(`${other}.lock.takeover`)).toBe(true);
});
