import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { rejected } from './outcome.js';

/**
 * Reads a response body while a full garbage collection runs every 20 ms, and returns what the
 * read threw (or `undefined`). undici follows the signal of a `Request` it was given through a
 * weak reference: a test of a body timeout must show it survives a collection. `afterFirst` runs
 * once, right after the first collection (a test firing the attempt's timer there: `attempt-timers.ts`).
 */
export async function readWhileCollecting(response: Response, afterFirst?: () => void): Promise<unknown> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let then = afterFirst;
  const collecting = setInterval(() => {
    gc();
    then?.();
    then = undefined;
  }, 20);
  try {
    return await rejected(() => response.text());
  } finally {
    clearInterval(collecting);
  }
}
