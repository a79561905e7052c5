import { vi } from 'vitest';
import { gate } from './late-storage.js';

/**
 * Web Locks as a browser gives them, for Node.js 20 (which has no `navigator.locks`): one holder at
 * a time (one queue for every name: a test's "other tab" may hold any name), first come first
 * served, both forms of `request` (`(name, callback)` and `(name, { signal }, callback)`, which the
 * credential's bounded waits use), and a request whose `signal` fires while it waits is withdrawn
 * (rejected with the signal's reason). `withdrawn` settles at the first withdrawal.
 */
export function browserLocks() {
  let tail: Promise<unknown> = Promise.resolve();
  const withdrawal = gate();
  return {
    withdrawn: withdrawal.opened,
    request<T>(_name: string, ...args: [() => Promise<T>] | [{ signal?: AbortSignal }, () => Promise<T>]): Promise<T> {
      const [options, callback] = args.length === 1 ? [{}, args[0]] : args;
      const { signal } = options;
      const granted = tail;
      const run = new Promise<T>((resolve, reject) => {
        let waiting = true;
        signal?.addEventListener('abort', () => {
          if (!waiting) return;
          waiting = false;
          withdrawal.open();
          reject(signal.reason as Error);
        });
        void granted.then(() => {
          if (!waiting) return;
          waiting = false;
          callback().then(resolve, reject);
        });
      });
      tail = granted.then(() => run).catch(() => undefined);
      return run;
    },
  };
}

/** Stubs `navigator.locks` with {@link browserLocks} (`vi.unstubAllGlobals()` undoes it) and returns them. */
export function stubWebLocks(): ReturnType<typeof browserLocks> {
  const locks = browserLocks();
  vi.stubGlobal('navigator', { locks });
  return locks;
}
