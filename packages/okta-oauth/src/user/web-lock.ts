import { OktaAuthError } from '@org/okta-auth-core';
import { abortableSleep, AttemptTimer, randomId } from '@org/okta-auth-core/internal';
import type { OktaStorage } from '../token-cache/storage.js';
import { isTabStorage } from './storage.js';

interface LockManager {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
  request<T>(name: string, options: { signal: AbortSignal }, callback: () => Promise<T>): Promise<T>;
}

/**
 * How long the tab that renewed keeps the lock after writing the tokens, so the tab that waited
 * reads them rather than its stale copy: Chromium hands a `localStorage` write to other tabs'
 * processes asynchronously, and the two-tab test saw a tab that took the lock 26 ms after the
 * write still read the old tokens (and spend the refresh token again). 250 ms held on an idle
 * machine; 1 s leaves room for a loaded one. The renewing tab's caller does not wait for it,
 * and a miss costs one more refresh grant, not a failure (Okta accepts the previous refresh
 * token during its rotation grace period).
 */
export const lockSettleMs = 1000;

/** The suffix of this page's own lock names, for what lives in `sessionStorage`. */
let pageLock: string | undefined;

/**
 * The lock over `storage`'s entries of `name`, and whether it is the page's own: in `sessionStorage`
 * (`isTabStorage`: one copy per tab) a name of this page alone, so another tab never waits for it
 * (the sign-in transactions' list, a credential's renewals); else `name`, shared by the origin's tabs.
 * @internal
 */
export function lockOver(name: string, storage: OktaStorage | undefined): { readonly name: string; readonly perTab: boolean } {
  const perTab = storage !== undefined && isTabStorage(storage);
  return { name: perTab ? `${name}:${(pageLock ??= randomId(12))}` : name, perTab };
}

/**
 * Runs `run` under the browser's Web Lock `name` (one holder across the origin's tabs and
 * workers), where there is one; elsewhere (Node.js, Deno, workers without it) just runs it.
 * Settles with `run`'s outcome at once; after a success, releases the lock `settleMs` ({@link lockSettleMs}) later.
 * `signal` withdraws the request while it waits for the lock (then rejects with its reason), also
 * from a lock manager that ignores it (a polyfill): after one turn for the manager's own answer,
 * the wait ends, and a lock granted later is let go at once without running `run`. A manager whose
 * `request` settles without calling back is INVALID_CONFIG, not a wait for ever.
 * @see https://w3c.github.io/web-locks/
 * @internal
 */
export function underWebLock<T>(name: string, run: () => Promise<T>, signal?: AbortSignal, settleMs = lockSettleMs): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks === undefined) return run();
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    let started = false;
    const held = async () => {
      if (signal?.aborted === true) return;
      started = true;
      const running = run();
      resolve(running);
      // After a renewal (not a failure): keep the lock while the write reaches the other tabs.
      await running.then(
        () => abortableSleep(settleMs),
        () => undefined,
      );
    };
    (signal === undefined ? locks.request(name, held) : locks.request(name, { signal }, held)).then(() => {
      if (!started && signal?.aborted !== true) reject(new OktaAuthError('INVALID_CONFIG', 'navigator.locks.request() settled without running its callback: this navigator.locks does not follow the Web Locks API (a polyfill?). Remove or fix it.'));
    }, reject);
    const giveUp = () => {
      if (!started) reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', () => setTimeout(giveUp, 0), { once: true });
  });
}

/**
 * {@link underWebLock}, waiting at most `waitMs` for the lock: the one bounded wait of a user
 * credential's renewals (twice `timeoutMs` and {@link lockSettleMs}) and of its late write's rewrite
 * (`token-writes.ts`, `timeoutMs`). The lock's holder (another
 * tab's renewal) lets go once its token request, storage write and {@link lockSettleMs} are over,
 * each bounded by its `timeoutMs`; one that never lets go (a tab stopped in the debugger or on an
 * `alert()` mid-renewal, a script holding the lock) would otherwise hold every other tab's
 * requests for ever. The request is then withdrawn and
 * this rejects with core's `TIMEOUT`; the next request asks for the lock again. Also the wait of
 * the sign-in transactions' list (`transaction-list.ts`, `timeoutMs`), which makes the change without it then.
 * `signal` (the caller's) withdraws the request while it waits, and this rejects with its reason.
 * @internal
 */
export function underWebLockWithin<T>(name: string, run: () => Promise<T>, waitMs: number, settleMs = lockSettleMs, signal?: AbortSignal): Promise<T> {
  const timer = new AttemptTimer(signal, waitMs);
  return underWebLock(
    name,
    () => {
      timer.clear();
      return run();
    },
    timer.signal,
    settleMs,
  ).catch((error: unknown) => {
    timer.clear();
    // The caller's abort (`signal`) rejects with its own reason.
    if (signal?.aborted === true || !timer.signal.aborted || error !== timer.signal.reason) throw error;
    throw new OktaAuthError('TIMEOUT', `Another tab or worker of this origin held the token renewal lock for more than ${waitMs} ms (the credential's timeoutMs bounds it): a tab stopped in the debugger or on an alert() mid-renewal, or a script holding the lock. Close or resume it; the next request asks again.`);
  });
}
