import { closeSync, fstatSync, futimesSync, lstatSync, openSync, readlinkSync, rmSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError, configError, ExitCode } from './exit-codes.js';
import { readSmallFile } from './files.js';
import { isOld, lockAge, type Sightings } from './lock-age.js';

/** How long a change waits for another okta-auth's lock. */
const lockWaitMs = 5000;

export { lockAge } from './lock-age.js';

/** This process's PID namespace (`pid:[4026531836]`), where Linux shows it; elsewhere none. */
function pidNamespace(): string {
  try {
    return ` ${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return '';
  }
}

/** Where this process's ids mean something: its machine and PID namespace. */
let place: string | undefined;

/**
 * What a lock (and a take-over guard) holds: its owner's process id, machine and PID namespace
 * (containers of one pod share the machine name, not their process ids).
 * @example
 * ```ts
 * ownerLine(); // '4242 laptop pid:[4026531836]\n'
 * ```
 * @see https://man7.org/linux/man-pages/man7/pid_namespaces.7.html
 */
export const ownerLine = (pid = process.pid): string => `${pid} ${(place ??= `${hostname()}${pidNamespace()}`)}\n`;

/**
 * The process a lock names, or `undefined` (empty: just created, not yet written; another format:
 * an older okta-auth's, which named no PID namespace).
 */
function ownerOf(path: string): number | undefined {
  let text: string | undefined;
  try {
    text = readSmallFile(path, 512, 'a lock of okta-auth');
  } catch {
    return undefined;
  }
  const pid = /^\d{1,10}(?= )/.exec(text ?? '')?.[0];
  // Another machine's or PID namespace's process (a home folder shared over NFS, a container of the same pod) cannot be asked: its lock goes by age.
  return pid !== undefined && text === ownerLine(Number(pid)) ? Number(pid) : undefined;
}

/** Sets the time of the lock (or guard) open at `fd` to now, by this process's clock (an NFS server's may run ahead: `isOld`). */
function touch(fd: number): void {
  const at = new Date();
  futimesSync(fd, at, at);
}

/** Whether a process of this machine runs with that id (`EPERM`: another user's, running). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock left by a process that died: it names a process of this machine that no longer runs
 * (killed with SIGKILL, crashed, the machine restarted), recovered at once; or it has not been
 * touched for 30 s, whoever its owner (another machine's, an older okta-auth's, one stopped), by its
 * date or by this wait's own clock, or it is dated over 60 s ahead and names no running owner ({@link isOld}:
 * a date in the future keeps it fresh no longer): a holder whose change waits on something keeps its lock fresh ({@link keepFresh}).
 */
function isStale(path: string, stat: Stats, seen: Sightings): boolean {
  const pid = ownerOf(path);
  const runs = pid !== undefined && pid > 0 && running(pid);
  return isOld(path, stat, seen, runs) || (pid !== undefined && pid > 0 && !runs);
}

/**
 * Removes `lock`, judged stale when it was `seen`, holding `<lock>.takeover` (created `O_EXCL`, so
 * of the processes that judged it stale one at a time acts; a guard is judged stale as a lock is, by
 * this wait's `sightings` too): the lock is removed only if it is
 * still that file (same inode) and still stale; one another process took meanwhile is left
 * alone. Nothing is moved aside: a process killed in a take-over leaves at most its guard, itself
 * recovered as a lock is. Before, the lock was renamed aside and a fresh one put back by a rename,
 * which replaced the lock a third process had taken meanwhile (two in), and a process killed
 * between the two left a `.stale` file for good.
 * Answers `undefined` to try again at once, `held` to wait (another is taking it over), or the code
 * of a failure trying again does not mend (a folder made read-only: `EACCES`, `EROFS`); `guard` for
 * a guard that is no file (a folder, a link: named at once).
 */
function takeOver(lock: string, seen: Stats, sightings: Sightings): string | undefined {
  const guard = `${lock}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') return code ?? 'error';
    // Not followed: a folder or a link (to nothing: `wx` finds it there) is no guard of okta-auth's, and never goes by itself.
    const other = lstatSync(guard, { throwIfNoEntry: false });
    if (other !== undefined && !other.isFile()) return 'guard';
    if (other !== undefined && isStale(guard, other, sightings)) rmSync(guard, { force: true });
    return 'held';
  }
  try {
    writeSync(fd, ownerLine());
    touch(fd);
    const now = statSync(lock, { throwIfNoEntry: false });
    if (now?.ino !== seen.ino || now.dev !== seen.dev || !isStale(lock, now, sightings)) return undefined;
    unlinkSync(lock);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? undefined : (code ?? 'error');
  } finally {
    closeSync(fd);
    rmSync(guard, { force: true });
  }
}

/** What the error of a lock another okta-auth keeps holding tells to do, unless the caller says (`heldAdvice`). */
const retryAdvice = 'try again once it has ended, or delete the lock if no okta-auth is running';

/**
 * The change was made, but its lock could not be removed after it (`EPERM`, `EBUSY`): `result` is
 * what the change returned, and the message names the lock to delete (the next change would find
 * it, its owner gone, and fail to remove it too).
 */
export class LockLeftError extends CliError {
  override name = 'LockLeftError';
  readonly result: unknown;
  constructor(lock: string, code: string, result: unknown) {
    super(ExitCode.CONFIG, `${lock} could not be removed after the change (${code}): delete it.`);
    this.result = result;
  }
}

/** Removes this process's `lock` (`mine`) unless another took it over: the code of a failure, else `undefined`. */
function release(lock: string, mine: Stats): string | undefined {
  try {
    const now = lstatSync(lock, { throwIfNoEntry: false });
    if (now?.ino === mine.ino && now.dev === mine.dev && now.mtimeMs === mine.mtimeMs) rmSync(lock, { force: true });
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

/** Creates `lock` (`O_EXCL`) holding this process's id, dated by its clock: its stat, or `undefined` when another holds it. */
function create(lock: string): Stats | undefined {
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    throw configError(`${lock} cannot be created (${code ?? 'error'}): set XDG_CONFIG_HOME to a folder you can write (the token files go under it).`);
  }
  try {
    writeSync(fd, ownerLine());
    touch(fd);
    return fstatSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes `lock` for this process: yields each time it must wait 20 ms for another process's lock
 * (the caller's way to wait: synchronous or not), and returns the lock's stat once taken. Waits
 * `waitMs` (5 s) at most, then throws the configuration error naming the lock, its process and `heldAdvice`.
 */
function* take(lock: string, heldAdvice: string, waitMs = lockWaitMs): Generator<undefined, Stats> {
  let mine: Stats | undefined;
  const sightings: Sightings = new Map();
  for (let waited = 0; (mine = create(lock)) === undefined; waited += 20) {
    // Not followed: a link (one to nothing made every look "gone" and the wait endless) is no lock of okta-auth's.
    const seen = lstatSync(lock, { throwIfNoEntry: false });
    if (seen !== undefined && !seen.isFile()) throw configError(`${lock} is not a file: delete it.`);
    const stuck = seen === undefined ? undefined : isStale(lock, seen, sightings) ? takeOver(lock, seen, sightings) : 'held';
    // Gone or removed: try again at once.
    if (stuck === undefined) continue;
    if (waited >= waitMs || stuck === 'guard') {
      const pid = stuck === 'held' ? ownerOf(lock) : undefined;
      throw configError(
        stuck === 'held'
          ? `${lock} is held by another okta-auth${pid === undefined ? '' : ` (process ${pid})`}: ${heldAdvice}.`
          : stuck === 'guard'
          ? `${lock}.takeover is not a file okta-auth made (a folder or a link): remove it, then try again.`
          : `${lock} was left by an okta-auth that stopped, and cannot be removed (${stuck}): delete it.`,
      );
    }
    yield;
  }
  return mine;
}

/** Releases `mine` after a change that returned `result`: `result`, or the {@link LockLeftError} of a lock that cannot be removed. */
function released<T>(lock: string, mine: Stats, result: T): T {
  const left = release(lock, mine);
  if (left !== undefined) throw new LockLeftError(lock, left, result);
  return result;
}

/**
 * Runs `change` (a read, a comparison and a write of `path`) holding `<path>.lock`, created with
 * `O_EXCL` and naming this process: two okta-auth processes never interleave their read and write
 * (a sign-out's compare-and-remove, or two writes of different keys, one lost). Readers need no
 * lock (a write is a rename). Another process's lock is waited for up to 5 s, then a configuration
 * error names it and its process; one left by a process that died ({@link isStale}) is taken over
 * ({@link takeOver}). A stale lock that cannot be removed is waited for as a held one, then named
 * as a configuration error. The lock is removed at the end only if it is still this process's: a
 * process stopped past 30 s (Ctrl-Z, a sleeping laptop) whose lock was taken over leaves the new holder's.
 * A lock that cannot be removed after a change that was made is a {@link LockLeftError} carrying its
 * result (the change stands); after a change that threw, that change's error is thrown.
 * `heldAdvice` replaces what a held lock's error tells to do (logout: its tokens are no longer in the file).
 */
export function withFileLock<T>(path: string, change: () => T, heldAdvice = retryAdvice): T {
  const lock = `${path}.lock`;
  const taking = take(lock, heldAdvice);
  let step: IteratorResult<undefined, Stats>;
  // A synchronous wait of 20 ms: the storage's calls are synchronous.
  while (!(step = taking.next()).done) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  const mine = step.value;
  let result: T;
  try {
    result = change();
  } catch (error) {
    release(lock, mine);
    throw error;
  }
  return released(lock, mine, result);
}

/**
 * Keeps this process's lock fresh while an async change runs: every third of the stale age its
 * time is set to now, so no other okta-auth takes a live holder's lock over (a renewal slower than
 * 30 s: Okta slow, a proxy, 429 retries), while a holder that died or stopped stops touching it and
 * its lock goes stale as before. A lock that is no longer `mine` (another's, after a take-over) is
 * left alone. Answers the stop, called once the change settled (no timer is left).
 */
function keepFresh(lock: string, mine: { stat: Stats }): () => void {
  const beat = (): void => {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'r');
      const now = fstatSync(fd);
      if (now.ino !== mine.stat.ino || now.dev !== mine.stat.dev || now.mtimeMs !== mine.stat.mtimeMs) return;
      touch(fd);
      mine.stat = fstatSync(fd);
    } catch {
      // Gone or not readable: the release says what is wrong.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
  const timer = setInterval(beat, lockAge.staleMs / 3);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}

/**
 * {@link withFileLock} for a change that waits on something (a token renewal: the lock held from the
 * read to the write, across the request to Okta), waiting for the lock without blocking the event
 * loop; `signal` stops the wait for it (not the change), and so does `waitMs` (5 s unless given: a
 * renewal's, its run's `--timeout` plus `--max-wait`, waits on while another's renewal keeps its lock
 * fresh, taking it over once stale). The lock is kept fresh while the change
 * runs ({@link keepFresh}): however long it takes, it is never taken over as a stopped process's.
 * @example
 * ```ts
 * const tokens = await withFileLockAsync('/home/me/.config/okta-auth/tokens/default.json', async () => 'renewed');
 * ```
 * @see https://man7.org/linux/man-pages/man2/open.2.html
 */
export async function withFileLockAsync<T>(path: string, change: () => Promise<T>, signal?: AbortSignal, waitMs?: number): Promise<T> {
  const lock = `${path}.lock`;
  // Its signal fired already (no caller waits for the renewal): no lock taken, no change run.
  signal?.throwIfAborted();
  const taking = take(lock, retryAdvice, waitMs);
  let step: IteratorResult<undefined, Stats>;
  while (!(step = taking.next()).done) await sleep(20, undefined, { signal });
  const mine = { stat: step.value };
  const stop = keepFresh(lock, mine);
  let result: T;
  try {
    result = await change();
  } catch (error) {
    stop();
    release(lock, mine.stat);
    throw error;
  }
  stop();
  return released(lock, mine.stat, result);
}
