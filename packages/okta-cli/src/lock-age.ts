import type { Stats } from 'node:fs';

/**
 * The age past which a lock is a stopped process's (30 s): internal, shortened by tests only.
 * @example
 * ```ts
 * lockAge.staleMs = 600;
 * ```
 * @see https://man7.org/linux/man-pages/man2/utimensat.2.html
 */
export const lockAge = { staleMs: 30_000 };

/**
 * How far ahead of this run's clock a lock (or take-over guard) may be dated and still be a holder's
 * (60 s: the clock `okta-auth doctor` fails against Okta's). okta-auth dates its locks by its own
 * clock, when it creates one and at each touch, so a lock dated further ahead was planted, or left
 * by a process whose clock was that far off: its date says nothing, and it is stale at once, unless
 * its owner is a running process of this machine and PID namespace (the machine's clock set back
 * since it dated it: NTP, a VM resume, `date -s`), which is waited for as any running owner is.
 */
const maxLockAheadMs = 60_000;

/**
 * What one wait for a lock has seen of each path it looked at (the lock, its take-over guard): the
 * file as it was (device, inode, size, `mtime`, `ctime`) and when this run first saw it so, on its
 * monotonic clock.
 * @example
 * ```ts
 * const seen: Sightings = new Map();
 * ```
 * @see https://nodejs.org/api/perf_hooks.html#performancenow
 */
export type Sightings = Map<string, { readonly file: string; readonly since: number }>;

/**
 * Whether `stat` of `path` is past the stale age: dated more than {@link lockAge} ago, dated more than
 * {@link maxLockAheadMs} ahead with an owner that is not known to run (`ownerRuns`: its owner line
 * names a running process of this machine and PID namespace), or seen unchanged by this wait (`seen`) for longer than the stale age
 * on its own monotonic clock, whatever its date. A date can lie (a lock dated in the future, planted
 * or written through an NFS server whose clock runs ahead, was fresh for as long as it said); a
 * holder's heartbeat is not a date: each sets a new time, which changes `mtime` and `ctime` (the
 * kernel's, never set by a caller), and starts the count again. So a date within 60 s ahead keeps an
 * untouched lock fresh 90 s at most, and a wait of 30 s or more takes it over whatever its date says
 * (a running owner's lock dated further ahead too: a hung holder stops touching it).
 * @example
 * ```ts
 * isOld(lock, lstatSync(lock), seen, false); // false at the first look at a lock dated now
 * ```
 * @see https://man7.org/linux/man-pages/man7/inode.7.html
 */
export function isOld(path: string, stat: Stats, seen: Sightings, ownerRuns: boolean): boolean {
  const file = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const now = performance.now();
  const first = seen.get(path);
  if (first?.file !== file) seen.set(path, { file, since: now });
  const unchangedMs = first?.file === file ? now - first.since : 0;
  const aheadMs = stat.mtimeMs - Date.now();
  return -aheadMs > lockAge.staleMs || (aheadMs > maxLockAheadMs && !ownerRuns) || unchangedMs > lockAge.staleMs;
}
