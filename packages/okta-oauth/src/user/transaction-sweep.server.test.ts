/**
 * The sweep of sign-in transactions (`transaction-list.ts`, `transaction-sweep.ts`) against the
 * emulator, with storages of the test's own and an injected clock: a removal that fails never
 * fails the new sign-in; two tabs starting at once both stay listed (Web Locks) or, in a Web
 * Storage, are found by key; transactions a version before the list stored under their raw state
 * are swept, a bounded number of keys per sign-in.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { until } from '@org/okta-test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OktaStorage, StorageSetOptions } from '../token-cache/storage.js';
import { createSessionStorage, createWebStorage } from './storage.js';
import { redirectUri, transactionKeyOf, transactionListOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import { fakeWebStorage, legacyKeyOf, listed, maxAgeMs, newState, stored, tabs as tabsOf } from './test-helpers/web-storage.js';

const env = useSignInOrg();
const tabs = (storages: OktaStorage[], events?: OktaLogEvent[], timeoutMs?: number) => tabsOf(env.org, storages, events, timeoutMs);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a removal of an expired transaction that fails', () => {
  it.each([
    ['throws', 'error', () => { throw new Error('disk on fire'); }],
    ['rejects', 'error', () => Promise.reject(new Error('disk on fire'))],
    ['never settles', 'timeout', () => new Promise<void>(() => undefined)],
  ])('(%s) is logged, never fails the new sign-in, and is made again by the next one', async (_, outcome, failure) => {
    const { map } = fakeWebStorage();
    let failing = true;
    const storage: OktaStorage = {
      get: (key) => map.get(key),
      set: (key, value) => void map.set(key, value),
      remove: (key) => (failing && key.includes(':transaction:') ? failure() : void map.delete(key)),
    };
    const events: OktaLogEvent[] = [];
    const { clock, clients: [client], clientId } = tabs([storage], events, 3000);
    const t0 = clock.now;
    const old = (await client!.startSignIn()).transaction.state;
    clock.now = t0 + maxAgeMs + 1;
    const next = (await client!.startSignIn()).transaction.state;
    expect(events.filter(({ type }) => type === 'token-store')).toEqual([{ type: 'token-store', operation: 'delete', outcome }]);
    expect(map.has(transactionKeyOf(clientId, old))).toBe(true);
    expect(listed(map, clientId)).toEqual([t0, t0 + maxAgeMs + 1]);
    failing = false;
    clock.now = t0 + maxAgeMs + 2;
    await client!.startSignIn();
    expect(map.has(transactionKeyOf(clientId, old))).toBe(false);
    expect(map.has(transactionKeyOf(clientId, next))).toBe(true);
    expect(listed(map, clientId)).toEqual([t0 + maxAgeMs + 1, t0 + maxAgeMs + 2]);
  });
});

describe('the sweep’s one timeoutMs', () => {
  it('is measured on a monotonic clock: a wall clock set back an hour during a removal does not give the next one an hour', async () => {
    const { map } = fakeWebStorage();
    let removals = 0;
    const storage: OktaStorage = {
      get: (key) => map.get(key),
      set: (key, value) => void map.set(key, value),
      remove: (key) => {
        if (!key.includes(':transaction:')) return void map.delete(key);
        removals += 1;
        if (removals > 1) return new Promise<void>(() => undefined);
        // An NTP step (or a user) sets the wall clock back an hour while the first removal runs.
        const now = Date.now();
        vi.spyOn(Date, 'now').mockImplementation(() => now - 3_600_000);
        map.delete(key);
      },
    };
    const events: OktaLogEvent[] = [];
    const { clock, clients: [client], clientId } = tabs([storage], events, 1000);
    const t0 = clock.now;
    await client!.startSignIn();
    clock.now = t0 + 1;
    const second = (await client!.startSignIn()).transaction.state;
    clock.now = t0 + maxAgeMs + 2;
    try {
      // Both listed transactions are past their age: the first removal succeeds, the second never settles.
      await client!.startSignIn();
    } finally {
      vi.restoreAllMocks();
    }
    expect(removals).toBe(2);
    expect(events.filter(({ type }) => type === 'token-store')).toEqual([{ type: 'token-store', operation: 'delete', outcome: 'timeout' }]);
    expect(map.has(transactionKeyOf(clientId, second))).toBe(true);
  });
});

describe('two tabs starting a sign-in at once', () => {
  /** Two tabs' storages over one map, whose reads of the list answer what the list held when read, once both tabs are at it (reading it, or waiting for its lock). */
  function sharedList(waitingForLock: () => boolean) {
    const map = new Map<string, string>();
    let reading = 0;
    let bothThere = false;
    const tab = (): OktaStorage => ({
      get: async (key) => {
        const value = map.get(key);
        if (key.endsWith(':transactions')) {
          reading++;
          bothThere ||= await until(() => reading >= 2 || waitingForLock(), 'both tabs at the list');
        }
        return value;
      },
      set: (key, value) => void map.set(key, value),
      remove: (key) => void map.delete(key),
    });
    return { map, tab };
  }

  it('under Web Locks both stay listed, and both are removed once past their age', async () => {
    const locks = stubWebLocks();
    const { map, tab } = sharedList(() => locks.waiting.length > 0);
    const { clock, clients: [a, b], clientId } = tabs([tab(), tab()]);
    const t0 = clock.now;
    const states = (await Promise.all([a!.startSignIn(), b!.startSignIn()])).map(({ transaction }) => transaction.state);
    expect(listed(map, clientId)).toEqual([t0, t0]);
    clock.now = t0 + maxAgeMs + 1;
    await a!.startSignIn();
    for (const state of states) expect(map.has(transactionKeyOf(clientId, state))).toBe(false);
  });

  it('a tab holding the list’s lock past timeoutMs (stopped in the debugger) does not stop another tab’s sign-in', async () => {
    const locks = stubWebLocks();
    const map = new Map<string, string>();
    const storage: OktaStorage = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
    const { clock, clients: [client], clientId } = tabs([storage], [], 3000);
    const release = locks.hold(`okta-oauth:${new URL(env.org.url).origin}:${clientId}:transactions`);
    const { transaction } = await client!.startSignIn();
    expect(map.has(transactionKeyOf(clientId, transaction.state))).toBe(true);
    expect(listed(map, clientId)).toEqual([clock.now]);
    release();
  });

  it('in sessionStorage (one list per tab) another tab holding its lock does not hold this tab’s sign-in', async () => {
    const locks = stubWebLocks();
    const { map, storage } = fakeWebStorage();
    vi.stubGlobal('sessionStorage', storage);
    // timeoutMs past the test's own timeout: a wait for the other tab fails the test.
    const { clients: [client], clientId } = tabs([createSessionStorage()], [], 60_000);
    const release = locks.hold(`okta-oauth:${new URL(env.org.url).origin}:${clientId}:transactions`);
    const { transaction } = await client!.startSignIn();
    expect(map.has(transactionKeyOf(clientId, transaction.state))).toBe(true);
    expect(listed(map, clientId)).toHaveLength(1);
    release();
  });

  it('an aborted sign-in waiting for the list’s lock rejects with its signal’s reason, not after timeoutMs', async () => {
    const locks = stubWebLocks();
    const map = new Map<string, string>();
    const storage: OktaStorage = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
    // timeoutMs past the test's own timeout: a wait that ignores the signal fails the test.
    const { clients: [client], clientId } = tabs([storage], [], 60_000);
    const release = locks.hold(`okta-oauth:${new URL(env.org.url).origin}:${clientId}:transactions`);
    await until(() => locks.waiting.length === 0, 'the other tab holding the lock');
    const controller = new AbortController();
    const started = client!.startSignIn({ signal: controller.signal });
    await until(() => locks.waiting.length > 0, 'the sign-in waiting for the lock');
    const reason = new Error('the user left the page');
    controller.abort(reason);
    await expect(started).rejects.toBe(reason);
    expect(locks.waiting).toEqual([]);
    expect(map.size).toBe(0);
    release();
  });

  it('an aborted callback waiting for the list’s lock withdraws its request at once, not after timeoutMs', async () => {
    const locks = stubWebLocks();
    const map = new Map<string, string>();
    const storage: OktaStorage = { get: (key) => map.get(key), set: (key, value) => void map.set(key, value), remove: (key) => void map.delete(key) };
    // timeoutMs past the test's own timeout: a wait that ignores the signal fails the test.
    const { clock, clients: [client], clientId } = tabs([storage], [], 60_000);
    const { transaction } = await client!.startSignIn();
    const release = locks.hold(`okta-oauth:${new URL(env.org.url).origin}:${clientId}:transactions`);
    await until(() => locks.waiting.length === 0, 'the other tab holding the lock');
    const controller = new AbortController();
    const finished = client!.finishSignIn(`${redirectUri}?code=unused&state=${transaction.state}&iss=${env.org.url}`, undefined, { signal: controller.signal });
    await until(() => locks.waiting.length > 0, 'the callback waiting for the lock');
    const reason = new Error('the user left the page');
    controller.abort(reason);
    // The callback's flight (callback-flights.ts): its one caller gone, the flight's own signal ends the wait.
    await expect(finished).rejects.toMatchObject({ code: 'ABORTED' });
    await until(() => locks.waiting.length === 0, 'the lock request withdrawn');
    // The used transaction is gone (removed before the wait); its entry is left for a later sweep (a removal of nothing).
    expect([map.has(transactionKeyOf(clientId, transaction.state)), listed(map, clientId)]).toEqual([false, [clock.now]]);
    release();
  });
});

describe('a transaction as stored', () => {
  it('expires transactionMaxAgeSeconds and clockSkewSeconds after it started, where the storage has TTLs (expiresAt)', async () => {
    const sets: [string, StorageSetOptions | undefined][] = [];
    const map = new Map<string, string>();
    const storage: OktaStorage = { get: (key) => map.get(key), set: (key, value, options) => void (sets.push([key, options]), map.set(key, value)), remove: (key) => void map.delete(key) };
    const { clock, clients: [client], clientId } = tabs([storage]);
    const { transaction } = await client!.startSignIn();
    // clockSkewSeconds: 120 by default.
    const expiresAt = clock.now + maxAgeMs + 120_000;
    expect(sets).toEqual([
      [transactionListOf(clientId), { expiresAt }],
      [transactionKeyOf(clientId, transaction.state), { expiresAt }],
    ]);
  });
});

describe('transactions no list names, in a Web Storage', () => {
  it.each([
    ['stored by a version before the list, under its raw state', legacyKeyOf],
    ['whose entry in the list was lost, under its SHA-256', transactionKeyOf],
  ])('one %s is removed once past its age; a younger one, another client’s and the app’s keys stay', async (_, keyOf) => {
    const { map, storage } = fakeWebStorage();
    const { clock, clients: [client], clientId } = tabs([createWebStorage(storage)]);
    const t0 = clock.now;
    const [old, young, others] = [newState(), newState(), newState()];
    map.set('app:theme', 'dark');
    map.set(keyOf(clientId, old), stored(old, t0));
    map.set(keyOf(clientId, young), stored(young, t0 + 600_000));
    map.set(keyOf('0oaOtherClient', others), stored(others, t0));
    clock.now = t0 + maxAgeMs + 1;
    await client!.startSignIn();
    expect(map.has(keyOf(clientId, old))).toBe(false);
    expect([...map.keys()]).toEqual(expect.arrayContaining(['app:theme', keyOf(clientId, young), keyOf('0oaOtherClient', others)]));
  });

  it.each(['length', 'key'])('a Web Storage whose %s throws is not swept, and the sign-in goes on', async (broken) => {
    const { map, storage } = fakeWebStorage();
    const hostile = Object.defineProperty({ ...storage }, broken, { get: () => { throw new Error('storage gone'); } });
    const { clients: [client], clientId } = tabs([createWebStorage(hostile)]);
    const { transaction } = await client!.startSignIn();
    expect(map.has(transactionKeyOf(clientId, transaction.state))).toBe(true);
  });

  it('are swept a bounded number per sign-in (100 keys looked at, 5 read), each sign-in going on where the last stopped', async () => {
    const { map, seen, storage } = fakeWebStorage();
    const { clock, clients: [client], clientId } = tabs([createWebStorage(storage)]);
    const t0 = clock.now;
    const legacy: string[] = [];
    for (let i = 0; i < 250; i++) {
      map.set(`app:${i}`, String(i));
      if (i % 20 === 0) {
        const state = newState();
        legacy.push(legacyKeyOf(clientId, state));
        map.set(legacyKeyOf(clientId, state), stored(state, t0));
      }
    }
    clock.now = t0 + maxAgeMs + 1;
    const left = () => legacy.filter((key) => map.has(key)).length;
    const removedPerSignIn: number[] = [];
    while (left() > 0 && removedPerSignIn.length < 10) {
      const [before, looked] = [left(), seen.keys];
      await client!.startSignIn();
      expect(seen.keys - looked).toBeLessThanOrEqual(100);
      removedPerSignIn.push(before - left());
    }
    expect(left()).toBe(0);
    expect(Math.max(...removedPerSignIn)).toBeLessThanOrEqual(5);
    expect(removedPerSignIn.length).toBeGreaterThan(2);
  });

  it('reads at most 5 unlisted transactions per sign-in, however many sit within the 100 keys it looks at', async () => {
    // Dense, so the 5 is what stops the sweep (the test above spaces them so the 100 keys stop it first).
    const { map, storage } = fakeWebStorage();
    const { clock, clients: [client], clientId } = tabs([createWebStorage(storage)]);
    const t0 = clock.now;
    const legacy = Array.from({ length: 12 }, () => {
      const state = newState();
      map.set(legacyKeyOf(clientId, state), stored(state, t0));
      return legacyKeyOf(clientId, state);
    });
    clock.now = t0 + maxAgeMs + 1;
    const left = () => legacy.filter((key) => map.has(key)).length;
    await client!.startSignIn();
    expect(left()).toBe(7);
    await client!.startSignIn();
    expect(left()).toBe(2);
  });
});
