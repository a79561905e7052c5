/**
 * A storage that keeps the whole contract checkOktaStorage runs (every optional method, an "encrypting"
 * store's unreadable entries, handles on one backing store as processes on one Redis), and the
 * overrides that break one rule each, for the table of broken stores.
 */
import type { StorageUnderCheck } from '../types.js';

type Flight = Parameters<NonNullable<StorageUnderCheck['singleFlight']>>;

/** The store behind every handle: sealed texts (`sealed:` + value; anything else is unreadable), flights, removals counted per key. */
export interface Backing {
  readonly texts: Map<string, string>;
  readonly flights: Map<string, Promise<string | undefined>>;
  readonly removals: Map<string, number>;
}

export const newBacking = (): Backing => ({ texts: new Map(), flights: new Map(), removals: new Map() });

const seal = (value: string): string => `sealed:${value}`;
const open = (text: string | undefined): string | undefined => (text?.startsWith('sealed:') === true ? text.slice(7) : undefined);

/** A network store's answer: a promise, settled after the step. */
export const answer = <T>(value: T): Promise<T> => Promise.resolve(value);

/** Rejects when `signal` aborts; never settles without one. */
const abortOf = (signal: AbortSignal | undefined): Promise<never> =>
  new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true }));

export interface Handle extends StorageUnderCheck {
  readonly backing: Backing;
  read(key: string): string | undefined;
  write(key: string, value: string): void;
  drop(key: string): void;
}

/** A handle on `backing` (a fresh store without one): every method one synchronous step, answered as a promise. */
export function referenceStorage(backing: Backing = newBacking()): Handle {
  const { texts, flights, removals } = backing;
  const read = (key: string): string | undefined => open(texts.get(key));
  const write = (key: string, value: string): void => void texts.set(key, seal(value));
  const drop = (key: string): void => {
    texts.delete(key);
    removals.set(key, (removals.get(key) ?? 0) + 1);
  };
  const handle: Handle = {
    backing,
    read,
    write,
    drop,
    get: (key) => answer(read(key)),
    set: (key, value) => answer(write(key, value)),
    remove: (key) => answer(drop(key)),
    removeIfEqual: (key, value) => answer(texts.has(key) && read(key) === value && (drop(key), true)),
    removeIfUnreadable: (key) => answer(texts.has(key) && read(key) === undefined && (drop(key), true)),
    replaceIfEqual: (key, expected, value) => answer(texts.has(key) && read(key) === expected && (write(key, value), true)),
    timeoutMs: 1000,
    fleetWaitMs: 5000,
    async singleFlight(...[key, obtain, { fresh, stored, signal }]: Flight) {
      const usable = (value: string | undefined) => (value !== undefined && (fresh?.(value) ?? true) ? value : undefined);
      for (let running = flights.get(key); running !== undefined; running = flights.get(key)) {
        await Promise.race([running.catch(() => undefined), abortOf(signal)]);
        const ready = usable(read(key));
        if (ready !== undefined) return ready;
        if (flights.get(key) === running) await Promise.resolve();
      }
      if (stored === true && !texts.has(key)) return undefined;
      const ready = usable(read(key));
      if (ready !== undefined) return ready;
      const removedBefore = removals.get(key) ?? 0;
      const flight = (async () => {
        const { value } = await obtain();
        if (stored === true && (removals.get(key) ?? 0) !== removedBefore) return undefined;
        write(key, value);
        return value;
      })();
      flights.set(key, flight);
      try {
        return await flight;
      } finally {
        if (flights.get(key) === flight) flights.delete(key);
      }
    },
  };
  return handle;
}

/** A storage's factory and options for checkOktaStorage: handles on one backing store, unreadable entries written raw. */
export function referenceCase(make: (backing: Backing) => Handle = referenceStorage) {
  return {
    create: () => make(newBacking()),
    options: {
      secondHandle: (first: Handle) => make(first.backing),
      writeUnreadable: (first: Handle, key: string) => void first.backing.texts.set(key, 'sealed under a key this store no longer holds'),
    },
  };
}
