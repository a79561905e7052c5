/**
 * A Map standing for a Durable Object's `state.storage` (its key-value API), for tests in Node.js:
 * the entries', and a namespace of one object over it (test/fleet.server.test.ts runs the object on a real workerd).
 */
import type { DurableObjectStorageLike } from '../object-storage.js';
import type { DurableObjectNamespaceLike } from '../options.js';
import { OktaTokenStoreObject } from '../token-store-object.js';

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

/** A namespace of one object in this process; `sent` holds every request body, `answer` may stand in for the object. */
export function objectNamespace(answer?: (body: string) => Promise<Response>) {
  const { map, storage } = memoryStorage();
  const object = new OktaTokenStoreObject({ storage });
  const sent: string[] = [];
  const namespace: DurableObjectNamespaceLike = {
    idFromName: (name) => name,
    get: () => ({
      fetch: (url, init) => {
        sent.push(String(init?.body));
        return answer?.(String(init?.body)) ?? object.fetch(new Request(url, init));
      },
    }),
  };
  return { namespace, sent, map };
}

