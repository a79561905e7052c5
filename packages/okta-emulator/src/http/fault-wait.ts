import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultSpec } from '../controls/faults.js';
import type { OrgContext } from '../state/context.js';

/**
 * Wait out a `latency` or `hold` fault (`hold` when `ctx` is given, else `latencyMs`); `false` when
 * the client went away (or the org closed) meanwhile, so a long wait never outlives its request.
 *
 * @example
 * ```ts
 * if (!(await waitFault(res, { path: '/api/v1/users', kind: 'latency', latencyMs: 200 }))) return;
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export async function waitFault(res: ServerResponse, fault: FaultSpec, ctx?: OrgContext): Promise<boolean> {
  const gone = new AbortController();
  const onClose = (): void => {
    gone.abort();
  };
  res.once('close', onClose);
  try {
    if (ctx !== undefined && fault.kind === 'hold') await ctx.faults.hold(fault, gone.signal);
    else await sleep(fault.latencyMs ?? 1000, undefined, { signal: gone.signal });
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
  return !gone.signal.aborted;
}

/**
 * A `slow-body` fault: the body in four parts, `latencyMs` (default 1000) apart, the first at once; stops when the client goes.
 *
 * @example
 * ```ts
 * await writeSlowly(res, Buffer.from('[]'), { path: '/api/v1/users', kind: 'slow-body', latencyMs: 500 });
 * ```
 * @see https://developer.okta.com/docs/reference/rl-best-practices/
 */
export async function writeSlowly(res: ServerResponse, body: Buffer, fault: FaultSpec): Promise<void> {
  const part = Math.max(1, Math.ceil(body.length / 4));
  for (let at = 0; at < body.length; at += part) {
    if (at > 0 && !(await waitFault(res, fault))) return;
    res.write(body.subarray(at, at + part));
  }
  res.end();
}
