/**
 * Freezes a tree read from JSON (no cycles) and every object and array in it, without recursion: a
 * 1 MiB answer (the most the reader takes) can nest 500,000 levels, one stack frame each would
 * overflow. One visit per value, so the work is bounded by the body's size as the reader bounds it.
 * Claims handed to the application are shared (a cache, another caller): a nested `address` or
 * custom claim one caller changes would change what the next one reads.
 * @internal
 */
export function deepFreeze<T>(value: T): T {
  // Every value of a frozen object or array is queued; only objects and arrays are frozen and opened.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'object' && next !== null) for (const item of Object.values(Object.freeze(next))) pending.push(item);
  }
  return value;
}
