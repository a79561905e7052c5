/**
 * A Map standing for a Durable Object's `state.storage` (its key-value API), for tests in Node.js:
 * the entries' (test/fleet.server.test.ts runs the object on a real workerd).
 */
import type { DurableObjectStorageLike } from '../object-storage.js';

export function memoryStorage() {
  const map = new Map<string, unknown>();
  let alarm: number | null = null;
  const storage: DurableObjectStorageLike = {
    get: (key) => Promise.resolve(map.get(key)),
    put: (entries) => Promise.resolve(Object.entries(entries).forEach(([key, value]) => map.set(key, value))),
    delete: (key) => Promise.resolve(map.delete(key)),
    list: ({ prefix, startAfter, limit }) =>
      Promise.resolve(new Map([...map].filter(([key]) => key.startsWith(prefix) && (startAfter === undefined || key > startAfter)).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, limit))),
    getAlarm: () => Promise.resolve(alarm),
    setAlarm: (time) => Promise.resolve(void (alarm = time)),
  };
  return { map, storage, alarm: () => alarm };
}
