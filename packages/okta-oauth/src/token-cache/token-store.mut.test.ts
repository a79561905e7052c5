/**
 * The memory token store at its edges (mutation testing, twenty-eighth round): `maxEntries`' checks
 * and default, the oldest write dropped first (a rewrite counts as new), an entry gone at its
 * `expiresAt` exactly (on a fake clock), and a method called on something that is not a store.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { createMemoryTokenStore, MemoryTokenStore, type TokenStoreEntry } from './token-store.js';

const now = Date.UTC(2026, 0, 1);
const entry = (accessToken: string, expiresAt = now + 60_000): TokenStoreEntry => ({ accessToken, tokenType: 'Bearer', expiresAt, lifetimeMs: 60_000 });

beforeEach(() => {
  vi.useFakeTimers({ now, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createMemoryTokenStore', () => {
  it.each<[string, unknown]>([['0', 0], ['a fraction', 1.5], ['NaN', Number.NaN], ['a string', '5'], ['negative', -1], ['Infinity', Number.POSITIVE_INFINITY], ['past a million', 1_000_001], ['1e12', 1e12]])(
    'refuses maxEntries %s',
    (_, maxEntries) => {
      let caught: unknown;
      try {
        createMemoryTokenStore({ maxEntries: maxEntries as number });
      } catch (error) {
        caught = error;
      }
      expect(isOktaOAuthError(caught) && `${caught.code}: ${caught.message}`).toBe('INVALID_CONFIG: The maxEntries option must be a whole number from 1 to 1000000 (tokens createMemoryTokenStore keeps in memory).');
    },
  );

  it('holds 1,000 entries by default, then drops the oldest write', async () => {
    const store = createMemoryTokenStore();
    for (let i = 0; i < 1000; i++) await store.set(`k${i}`, entry(`t${i}`));
    expect(JSON.parse(JSON.stringify(store))).toEqual({ entries: 1000 });
    await store.set('k1000', entry('t1000'));
    expect(JSON.parse(JSON.stringify(store))).toEqual({ entries: 1000 });
    expect(await store.get('k0')).toBeUndefined();
    expect((await store.get('k1'))?.accessToken).toBe('t1');
  });

  it('with maxEntries 1 keeps the last write; a rewrite of a key makes it the newest', async () => {
    const one = createMemoryTokenStore({ maxEntries: 1 });
    await one.set('a', entry('ta'));
    expect((await one.get('a'))?.accessToken).toBe('ta');
    await one.set('b', entry('tb'));
    expect([await one.get('a'), (await one.get('b'))?.accessToken]).toEqual([undefined, 'tb']);

    const two = createMemoryTokenStore({ maxEntries: 2 });
    await two.set('a', entry('ta'));
    await two.set('b', entry('tb'));
    await two.set('a', entry('ta2'));
    await two.set('c', entry('tc'));
    expect([(await two.get('a'))?.accessToken, await two.get('b'), (await two.get('c'))?.accessToken]).toEqual(['ta2', undefined, 'tc']);
  });
});

describe('MemoryTokenStore', () => {
  it('answers an entry until its expiresAt, and none from then on (forgetting it)', async () => {
    const store = createMemoryTokenStore();
    await store.set('k', entry('t', now + 1));
    expect((await store.get('k'))?.accessToken).toBe('t');
    vi.setSystemTime(now + 1);
    expect(await store.get('k')).toBeUndefined();
    expect(JSON.parse(JSON.stringify(store))).toEqual({ entries: 0 });
  });

  it('forgets a deleted key only', async () => {
    const store = createMemoryTokenStore();
    await store.set('a', entry('ta'));
    await store.set('b', entry('tb'));
    await store.delete('a');
    expect([await store.get('a'), (await store.get('b'))?.accessToken]).toEqual([undefined, 'tb']);
  });

  it('refuses to be called on another object, with what to do', () => {
    const fake = Object.create(MemoryTokenStore.prototype) as MemoryTokenStore;
    expect(() => fake.get('k')).toThrow(new TypeError('This object is not a token store: make one with createMemoryTokenStore().'));
    expect(() => fake.toJSON()).toThrow(TypeError);
  });
});
