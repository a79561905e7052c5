/**
 * Freezes a tree read from JSON (no cycles) and every object and array in it, without recursion: a
 * 1 MiB answer (the most the reader takes) can nest 500,000 levels, one stack frame each would
 * overflow. One visit per object or array, so the work is bounded by the body's size as the reader bounds it.
 * Claims handed to the application are shared (a cache, another caller): a nested `address` or
 * custom claim one caller changes would change what the next one reads.
 * @internal
 */
export function deepFreeze<T>(value: T): T {
  const pending: object[] = typeof value === 'object' && value !== null ? [value] : [];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    Object.freeze(next);
    for (const item of Object.values(next) as unknown[]) {
      if (typeof item === 'object' && item !== null) pending.push(item);
    }
  }
  return value;
}
