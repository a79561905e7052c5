/**
 * What `read` returns, or `undefined` when it throws: the one guarded read of what user code threw or rejected
 * with (a custom `fetch`'s rejection), whose getters may throw and which may be a revoked Proxy (`instanceof` throws).
 * @example
 * import { guarded } from './guarded.js';
 * const { proxy, revoke } = Proxy.revocable(new TypeError('fetch failed'), {});
 * revoke();
 * const name = guarded(() => proxy.name); // undefined
 * @see https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Proxy/revocable
 */
export function guarded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Whether `value` is a promise of any realm, or another thenable: the one test of it, by its `then`, as
 * `await` tests it. `instanceof Promise` is not one: in Next.js's edge sandbox (and Vercel's
 * `edge-runtime`) a body's `arrayBuffer()` answers with the host realm's Promise.
 * @example
 * import { isThenable } from './guarded.js';
 * isThenable(new Request('https://acme.okta.com', { method: 'POST', body: 'a=1' }).arrayBuffer()); // true, whatever the realm
 * @see https://tc39.es/ecma262/#sec-promise-resolve-functions
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Whether `value` is a thenable ({@link isThenable}) refused where a value was due (a factory's `create` that is
 * async): a promise of any realm gets a handler of its rejection first (`Promise.prototype.then` takes another
 * realm's), so the refusal never leaves an unhandled rejection behind; another thenable is not called.
 * @example
 * import { refusedThenable } from './guarded.js';
 * refusedThenable(Promise.reject(new Error('vault down'))); // true, and no unhandled rejection
 * @see https://tc39.es/ecma262/#sec-promise.prototype.then
 */
export function refusedThenable(value: unknown): boolean {
  if (!isThenable(value)) return false;
  guarded(() => void Promise.prototype.then.call(value, undefined, () => undefined));
  return true;
}
