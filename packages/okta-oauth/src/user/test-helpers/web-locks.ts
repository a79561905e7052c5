/**
 * A Web Locks stand-in for the user credential's tests in Node.js, which has no `navigator.locks`.
 * @internal
 */
import { gate } from './late-storage.js';

/**
 * Web Locks as a browser gives them: one holder at a time, first come first served, and a request
 * whose `signal` fires while it waits is withdrawn (rejected with the signal's reason), both forms
 * of `request` (with and without options) taken. One queue for every lock name, so a test stands
 * in for another tab's renewal with a request of any name. `withdrawn` settles at the first withdrawal.
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
