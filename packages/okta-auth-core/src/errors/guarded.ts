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
