import { maxKeys, randomWriteId } from './protocol.js';

/**
 * The part of a Durable Object's `state.storage` (its key-value API, on both the SQLite and the
 * key-value storage backend) the object uses. Typed here so the package needs no
 * `@cloudflare/workers-types`.
 * @example
 * ```ts
 * declare const state: { storage: DurableObjectStorageLike };
 * await state.storage.put({ key: { any: 'structured-cloneable value' } });
 * ```
 * @see https://developers.cloudflare.com/durable-objects/api/storage-api/
 */
export interface DurableObjectStorageLike {
  /** The value under `key`, `undefined` when none. */
  get(key: string): Promise<unknown>;
  /** Writes every entry, in one atomic write. */
  put(entries: Record<string, unknown>): Promise<void>;
  /** Deletes `key`; answers whether it was there. */
  delete(key: string): Promise<boolean>;
  /** The entries of `prefix` in key order, after `startAfter`, at most `limit`. */
  list(options: { readonly prefix: string; readonly startAfter?: string; readonly limit: number }): Promise<Map<string, unknown>>;
  /** When the alarm fires (epoch ms), `null` when none is set. */
  getAlarm(): Promise<number | null>;
  /** Sets the alarm (the object's `alarm()` runs then). */
  setAlarm(scheduledTime: number): Promise<void>;
}

/** One stored value: the value, when it expires (epoch ms), and the id of the write that stored it. @internal */
export interface Entry {
  readonly v: string;
  readonly e: number;
  readonly n: string;
}

/** An entry's storage key (the wire key is a SHA-256 already). */
const entryKey = (key: string): string => `e:${key}`;
const countKey = 'm:count';
/** How often the alarm sweeps entries nobody read again after they expired. */
const sweepEveryMs = 15 * 60_000;
/** Most entries one alarm looks at (the next page is its own alarm, a second later). */
const sweepPage = 256;

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.v === 'string' && typeof entry.e === 'number' && typeof entry.n === 'string';
}

/** Thrown when a new key would pass {@link maxKeys}: answered 507. @internal */
export class StoreFull extends Error {}

/**
 * The object's entries in its storage, with their count (for {@link maxKeys}) and the alarm that
 * sweeps expired ones. Every method awaits nothing but storage calls, so an operation made of
 * them stays one step of the object (its input gate holds other requests meanwhile). @internal
 */
export class Entries {
  readonly #storage: DurableObjectStorageLike;
  #count: number | undefined;
  #alarmSet = false;
  #sweptAfter: string | undefined;

  constructor(storage: DurableObjectStorageLike) {
    this.#storage = storage;
  }

  /** The live entry under `key`; an expired one is deleted. */
  async read(key: string): Promise<Entry | undefined> {
    const entry = await this.#storage.get(entryKey(key));
    if (entry === undefined) return undefined;
    if (isEntry(entry) && entry.e > Date.now()) return entry;
    await this.remove(key);
    return undefined;
  }

  /** Stores `value` until `expiresAt` (removes the key when that is past), as a new write. */
  async write(key: string, value: string, expiresAt: number): Promise<void> {
    if (expiresAt <= Date.now()) {
      await this.remove(key);
      return;
    }
    const entry: Entry = { v: value, e: expiresAt, n: randomWriteId() };
    if ((await this.#storage.get(entryKey(key))) !== undefined) await this.#storage.put({ [entryKey(key)]: entry });
    else {
      // Full: expired entries may hold the count until the alarm's next turn, so one page of the sweep goes first.
      if ((await this.#counted()) >= maxKeys) await this.#sweepPage();
      const count = await this.#counted();
      if (count >= maxKeys) throw new StoreFull();
      await this.#storage.put({ [entryKey(key)]: entry, [countKey]: count + 1 });
      this.#count = count + 1;
    }
    if (!this.#alarmSet) {
      if ((await this.#storage.getAlarm()) === null) await this.#storage.setAlarm(Date.now() + sweepEveryMs);
      this.#alarmSet = true;
    }
  }

  /** Deletes `key`; answers whether it held an entry. */
  async remove(key: string): Promise<boolean> {
    if (!(await this.#storage.delete(entryKey(key)))) return false;
    const count = Math.max((await this.#counted()) - 1, 0);
    await this.#storage.put({ [countKey]: count });
    this.#count = count;
    return true;
  }

  /** The alarm's turn: one page of the sweep; the next alarm a second later (more to see) or in {@link sweepEveryMs} (entries left). */
  async sweep(): Promise<void> {
    this.#alarmSet = false;
    await this.#sweepPage();
    if (this.#sweptAfter !== undefined) await this.#storage.setAlarm(Date.now() + 1000);
    else if ((await this.#counted()) > 0) await this.#storage.setAlarm(Date.now() + sweepEveryMs);
    this.#alarmSet = (await this.#storage.getAlarm()) !== null;
  }

  /**
   * The one sweep: expired (or unreadable) entries of one page ({@link sweepPage}) deleted, from where
   * the last page ended, or from the start after the last one. The alarm runs it, and a write of a new
   * key into a full object before refusing it.
   */
  async #sweepPage(): Promise<void> {
    const page = await this.#storage.list({ prefix: 'e:', limit: sweepPage, ...(this.#sweptAfter === undefined ? {} : { startAfter: this.#sweptAfter }) });
    for (const [stored, entry] of page) {
      if (!isEntry(entry) || entry.e <= Date.now()) await this.remove(stored.slice(2));
    }
    this.#sweptAfter = page.size === sweepPage ? [...page.keys()].at(-1) : undefined;
  }

  async #counted(): Promise<number> {
    if (this.#count === undefined) {
      const stored = await this.#storage.get(countKey);
      this.#count = typeof stored === 'number' && Number.isSafeInteger(stored) && stored >= 0 ? stored : 0;
    }
    return this.#count;
  }
}
