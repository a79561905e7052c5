/**
 * The emulator's one bound for a map keyed by what requests name (a path, a grant type): sets
 * `key` as the most recently used entry and, past `max` entries, drops the least recently used
 * (a `Map` keeps insertion order). Used by the rate limiter's windows and the request counters.
 */
export function keepRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): V {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
  return value;
}
