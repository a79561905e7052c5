/**
 * The one Web Locks stand-in of the tests that run in Node.js (the Chromium tests use the
 * browser's own): `navigator.locks.request(name[, { signal }], callback)` as the spec gives it.
 * One holder per name, first come first served; a request whose `signal` fires while it waits is
 * withdrawn and rejects with the signal's reason (`refusal` instead: a manager answering its own
 * error); a granted request ignores its signal.
 * @see https://w3c.github.io/web-locks/#api-lock-manager-request
 */
import { vi } from 'vitest';
import { gate } from './late-storage.js';

type Request<T> = [() => Promise<T>] | [{ signal?: AbortSignal | undefined }, () => Promise<T>];

export function webLocks(refusal?: unknown) {
  const tails = new Map<string, Promise<unknown>>();
  /** The names of the requests still waiting for their lock, in order. */
  const waiting: string[] = [];
  /** Every name requested so far (a test's "other tab" takes the credential's own lock by it). */
  const names = new Set<string>();
  const withdrawal = gate();
  const request = <T>(name: string, ...args: Request<T>): Promise<T> => {
    const [options, callback] = args.length === 1 ? [{}, args[0]] : args;
    const { signal } = options;
    const granted = tails.get(name) ?? Promise.resolve();
    names.add(name);
    waiting.push(name);
    const run = new Promise<T>((resolve, reject) => {
      let pending = true;
      const leave = () => {
        pending = false;
        waiting.splice(waiting.indexOf(name), 1);
      };
      signal?.addEventListener('abort', () => {
        if (!pending) return;
        leave();
        withdrawal.open();
        reject((refusal ?? signal.reason) as Error);
      });
      void granted.then(() => {
        if (!pending) return;
        leave();
        callback().then(resolve, reject);
      });
    });
    tails.set(name, granted.then(() => run).catch(() => undefined));
    return run;
  };
  /** Takes the lock `name` as another tab would, until the returned function is called. */
  const hold = (name: string): (() => void) => {
    const release = gate();
    void request(name, () => release.opened);
    return release.open;
  };
  return { request, hold, waiting, names, withdrawn: withdrawal.opened };
}

/** {@link webLocks} as `navigator.locks` (undone by `vi.unstubAllGlobals()`). */
export function stubWebLocks(refusal?: unknown): ReturnType<typeof webLocks> {
  const locks = webLocks(refusal);
  vi.stubGlobal('navigator', { locks: { request: locks.request } });
  return locks;
}
