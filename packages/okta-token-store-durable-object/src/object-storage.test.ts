/**
 * The object's entries over a Map standing for `state.storage` (its key-value API): expiry honoured
 * on read, the count bounded by maxKeys, the alarm's sweep of expired entries a page at a time.
 * The object itself runs on a real workerd in test/fleet.server.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Entries, StoreFull } from './object-storage.js';
import { memoryStorage } from './test-helpers/memory-storage.js';
import { maxKeys } from './protocol.js';

const key = (n: number) => String(n).padStart(43, 'k');

afterEach(() => {
  vi.useRealTimers();
});

describe('Entries', () => {
  it('answers nothing for an expired entry and deletes it; keeps the count', async () => {
    const { map, storage, alarm } = memoryStorage();
    const entries = new Entries(storage);
    await entries.write(key(1), 'one', Date.now() + 60_000);
    await entries.write(key(2), 'two', Date.now() + 1);
    expect(alarm()).not.toBeNull();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 });
    expect(await entries.read(key(2))).toBeUndefined();
    expect((await entries.read(key(1)))?.v).toBe('one');
    expect(map.get('m:count')).toBe(1);
    expect(map.has(`e:${key(2)}`)).toBe(false);
    // A write already expired removes the key.
    await entries.write(key(1), 'gone', Date.now() - 1);
    expect(map.get('m:count')).toBe(0);
    expect(await entries.remove(key(1))).toBe(false);
  });

  it(`refuses a new key past ${maxKeys} entries; a key it holds is still written`, async () => {
    const { map, storage } = memoryStorage();
    map.set('m:count', maxKeys);
    map.set(`e:${key(1)}`, { v: 'one', e: Date.now() + 60_000, n: 'w' });
    const entries = new Entries(storage);
    await expect(entries.write(key(2), 'two', Date.now() + 60_000)).rejects.toBeInstanceOf(StoreFull);
    await entries.write(key(1), 'one again', Date.now() + 60_000);
    expect((await entries.read(key(1)))?.v).toBe('one again');
  });

  it(`a new key at ${maxKeys} entries, expired ones among them: a page of the sweep first, then written; refused only while that page freed none`, async () => {
    const { map, storage } = memoryStorage();
    const now = Date.now();
    for (let n = 0; n < maxKeys; n++) map.set(`e:${key(n)}`, { v: 'v', e: now - 1, n: 'w' });
    map.set('m:count', maxKeys);
    const entries = new Entries(storage);
    await entries.write(key(maxKeys), 'new', now + 60_000);
    expect((await entries.read(key(maxKeys)))?.v).toBe('new');
    // One page (256) swept, not the whole object: bounded work for one request.
    expect(map.get('m:count')).toBe(maxKeys - 256 + 1);
    expect([...map.keys()].filter((k) => k.startsWith('e:'))).toHaveLength(maxKeys - 256 + 1);
    // Every entry live: the page frees none, and the write is refused.
    const full = memoryStorage();
    for (let n = 0; n < maxKeys; n++) full.map.set(`e:${key(n)}`, { v: 'v', e: now + 60_000, n: 'w' });
    full.map.set('m:count', maxKeys);
    await expect(new Entries(full.storage).write(key(maxKeys), 'new', now + 60_000)).rejects.toBeInstanceOf(StoreFull);
    expect(full.map.get('m:count')).toBe(maxKeys);
  });

  it('the alarm sweeps expired entries a page (256) at a time, then comes back while entries are left', async () => {
    const { map, storage, alarm } = memoryStorage();
    const entries = new Entries(storage);
    for (let n = 0; n < 300; n++) await entries.write(key(n), 'v', Date.now() + (n % 2 === 0 ? 1 : 3_600_000));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 1000 });
    await entries.sweep();
    expect(alarm()).toBe(Date.now() + 1000); // a page full: the rest a second later
    await entries.sweep();
    expect([...map.keys()].filter((k) => k.startsWith('e:'))).toHaveLength(150);
    expect(map.get('m:count')).toBe(150);
    expect(alarm()).toBe(Date.now() + 15 * 60_000);
  });
});
