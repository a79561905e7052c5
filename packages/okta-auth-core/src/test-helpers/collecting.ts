import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { rejected } from './outcome.js';

/** A full garbage collection, now (V8's `gc`, exposed in this process): undici's weak references let go. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Reads a response body while a full garbage collection runs every 20 ms, and returns what the
 * read threw (or `undefined`). undici follows the signal of a `Request` it was given through a
 * weak reference: a test of a body timeout must show it survives a collection. `afterFirst` runs
 * once, right after the first collection (a test firing the attempt's timer there: `attempt-timers.ts`).
 */
export async function readWhileCollecting(response: Response, afterFirst?: () => void): Promise<unknown> {
  let then = afterFirst;
  const collecting = setInterval(() => {
    collectGarbage();
    then?.();
    then = undefined;
  }, 20);
  try {
    return await rejected(() => response.text());
  } finally {
    clearInterval(collecting);
  }
}
