/**
 * What the token cache offers the user credential (and any credential): a starting entry, the
 * renewal floor, entries that cannot be renewed, keeping a live token when a renewal fails, an
 * exclusive section around each load (Web Locks), an `onObtained` hook whose error fails only
 * that flight, and `clear()` (sign-out) winning over a flight under way.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { renewalMarginMs } from './renewal.js';
import { TokenCache, type CacheStore } from './token-cache.js';
import { holdEntry } from './held-tokens.js';
import { createMemoryTokenStore, type TokenStoreEntry } from './token-store.js';

const hour = 3_600_000;
const entry = (n: number, expiresAt: number, lifetimeMs = hour): TokenStoreEntry => ({ accessToken: `token-${n}`, tokenType: 'Bearer', expiresAt, lifetimeMs });

function clocked(options: Partial<ConstructorParameters<typeof TokenCache<TokenStoreEntry>>[0]> = {}) {
  const clock = { now: 0 };
  let n = 0;
  const cache = new TokenCache<TokenStoreEntry>({
    store: createMemoryTokenStore(),
    key: 'k',
    now: () => clock.now,
    initial: entry(0, hour),
    obtain: () => Promise.resolve(entry(++n, clock.now + hour)),
    ...options,
  });
  return { cache, clock, obtained: () => n };
}

describe('TokenCache hooks', () => {
  const unhandled = useUnhandledRejections();

  it('starts from the initial entry and renews it by the one margin rule with the given floor', async () => {
    const floor = 600_000;
    const { cache, clock, obtained } = clocked({ renewalFloorMs: floor });
    clock.now = hour - renewalMarginMs(hour, floor) - 1;
    expect((await cache.get()).accessToken).toBe('token-0');
    clock.now += 2;
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(obtained()).toBe(1);
  });

  it('uses an entry that cannot be renewed until it expires', async () => {
    const { cache, clock, obtained } = clocked({ renewable: (e) => e.accessToken !== 'token-0' });
    clock.now = hour - 1;
    expect((await cache.get()).accessToken).toBe('token-0');
    clock.now = hour;
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(obtained()).toBe(1);
  });

  it('keeps a live token when a renewal fails with an accepted error, and fails an expired one', async () => {
    const outage = new Error('503');
    let calls = 0;
    const { cache, clock } = clocked({ keepOnFailure: (e) => e === outage, obtain: () => (calls++, Promise.reject(outage)) });
    clock.now = hour - 1000;
    expect((await cache.get()).accessToken).toBe('token-0');
    expect((await cache.get()).accessToken).toBe('token-0'); // paused: no second attempt at once
    expect(calls).toBe(1);
    clock.now = hour;
    await expect(cache.get()).rejects.toBe(outage);
  });

  it('fails the flight with the onObtained error but keeps the new entry for later calls', async () => {
    const thrown = new Error('vault down');
    let seen: string | undefined;
    const { cache, clock } = clocked({
      onObtained: (e) => {
        seen = e.accessToken;
        return Promise.reject(thrown);
      },
    });
    clock.now = hour;
    await expect(cache.get()).rejects.toBe(thrown);
    expect(seen).toBe('token-1');
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(cache.peek()?.accessToken).toBe('token-1');
  });

  it('hands out an entry its onObtained holds only once its confirmation resolves: a caller meanwhile waits, a failed one fails every call until one resolves (pending138)', async () => {
    // As the user fleet's: one write at a time, made again after a failure.
    const outcomes: (() => Promise<void>)[] = [];
    let running: Promise<void> | undefined;
    const confirm = () =>
      (running ??= (outcomes.shift() ?? (() => Promise.resolve()))().catch((error: unknown) => {
        running = undefined;
        throw error;
      }));
    let writing: (() => void) | undefined;
    outcomes.push(() => new Promise<void>((resolve) => (writing = resolve)).then(() => Promise.reject(new Error('store down'))));
    outcomes.push(() => Promise.reject(new Error('still down')));
    const { cache, clock, obtained } = clocked({
      onObtained: (e) => {
        holdEntry(cache, e, confirm);
        return confirm();
      },
    });
    clock.now = hour;
    const flight = cache.get();
    flight.catch(() => undefined);
    await vi.waitFor(() => expect(writing).toBeDefined());
    // Before: a call while the flight's onObtained ran got the entry at once.
    const during = cache.get();
    during.catch(() => undefined);
    writing!();
    await expect(flight).rejects.toThrow('store down');
    await expect(during).rejects.toThrow('store down');
    expect(cache.peek()?.accessToken).toBe('token-1');
    // Before: handed out, unconfirmed.
    await expect(cache.get()).rejects.toThrow('still down');
    expect((await cache.get()).accessToken).toBe('token-1');
    expect(obtained()).toBe(1);
    // Confirmed: not asked again.
    outcomes.push(() => Promise.reject(new Error('asked again')));
    expect((await cache.get()).accessToken).toBe('token-1');
  });

  it('a caller whose signal had fired gets ABORTED and leaves no unhandled rejection of the confirmation it started (held140)', async () => {
    const { cache, clock } = clocked({
      onObtained: (e) => {
        holdEntry(cache, e, () => Promise.reject(new Error('store down')));
        return Promise.reject(new Error('store down'));
      },
    });
    clock.now = hour;
    await expect(cache.get()).rejects.toThrow('store down');
    await expect(cache.get(AbortSignal.abort())).rejects.toMatchObject({ code: 'ABORTED' });
    // Before: the confirmation's rejection reached no handler (Node.js ends a process on one by default).
    expect(await unhandled.settled()).toEqual([]);
  });

  it('runs each load inside exclusive, so a second cache on a shared store reads the first one’s token', async () => {
    const map = new Map<string, TokenStoreEntry>();
    const view = (): CacheStore<TokenStoreEntry> => ({
      get: (key) => Promise.resolve(map.get(key)),
      set: (key, e) => Promise.resolve(void map.set(key, e)),
      delete: (key) => Promise.resolve(void map.delete(key)),
    });
    let held = Promise.resolve();
    let sections = 0;
    const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
      sections++;
      const next = held.then(run);
      held = next.then(
        () => undefined,
        () => undefined,
      );
      return next;
    };
    const first = clocked({ store: view(), exclusive, initial: undefined });
    const second = clocked({ store: view(), exclusive, initial: undefined }); // its own view: no in-process flight shared
    const [a, b] = await Promise.all([first.cache.get(), second.cache.get()]);
    expect(b.accessToken).toBe(a.accessToken);
    expect(first.obtained() + second.obtained()).toBe(1);
    expect(sections).toBe(2);
  });

  it('keeps nothing a flight obtains after clear(), and its caller asks again (as a call after clear() does)', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let n = 0;
    const { cache, clock } = clocked({ obtain: async () => (await gate, entry(++n, clock.now + hour)) });
    clock.now = hour;
    const renewing = cache.get();
    cache.clear();
    release();
    // Had token-1 been kept, the caller's second ask would have been handed it from memory.
    expect((await renewing).accessToken).toBe('token-2');
    expect(cache.peek()?.accessToken).toBe('token-2');
  });

  it('hands out nothing it read from the store when clear() came during the read', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ok = () => Promise.resolve();
    const store: CacheStore<TokenStoreEntry> = { get: async () => (await gate, entry(5, hour * 3)), set: ok, delete: ok };
    const signedOut = new Error('no tokens: sign in again');
    const { cache, clock } = clocked({ store, obtain: (previous) => (previous === undefined ? Promise.reject(signedOut) : Promise.resolve(entry(1, hour * 2))) });
    clock.now = hour;
    const renewing = cache.get();
    cache.clear();
    release();
    await expect(renewing).rejects.toBe(signedOut);
    expect(cache.peek()).toBeUndefined();
  });

  it('gives a refused entry to obtain as previous and never hands it out again', async () => {
    const previous: (string | undefined)[] = [];
    const { cache } = clocked({ obtain: (p) => (previous.push(p?.accessToken), Promise.resolve(entry(9, hour * 2))) });
    await cache.drop('token-0');
    expect((await cache.get()).accessToken).toBe('token-9');
    expect(previous).toEqual(['token-0']);
  });
});
