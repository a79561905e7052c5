/**
 * The list of a client's sign-in transactions (`transaction-list.ts`) with a context of the test's
 * own and fake timers: its Web Lock (by name, let go at once outside a page, a broken manager
 * refused), a storage call that stalls named in its TIMEOUT and not made twice, an edited list
 * read for its well-formed entries only, the bounds on removals and entries, and when the sweep
 * of a Web Storage runs.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OktaStorage } from '../token-cache/storage.js';
import type { ClientContext } from './context.js';
import { createWebStorage } from './storage.js';
import { clientId, contextOf, listIn, listKey, lockName, mapStorage, newId, t0 } from './test-helpers/transaction-context.js';
import { fakeWebStorage, legacyKeyOf, stored } from './test-helpers/web-storage.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import { dropTransaction, listTransaction } from './transaction-list.js';
import { transactionKey } from './transaction.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the list’s Web Lock', () => {
  it('is the client’s by name: a change waits while another tab holds it', async () => {
    const locks = stubWebLocks();
    const release = locks.hold(lockName);
    const { map, storage } = mapStorage();
    const id = newId();
    const listing = listTransaction(contextOf(storage), id, t0, undefined);
    await vi.waitFor(() => expect(locks.waiting).toEqual([lockName]));
    expect(map.has(listKey)).toBe(false);
    release();
    await listing;
    expect(listIn(map)).toEqual([[id, t0]]);
  });

  it('is let go once the change is made outside a page, and kept lockSettleMs longer in one (document)', async () => {
    vi.useFakeTimers();
    for (const page of [false, true]) {
      const locks = stubWebLocks();
      if (page) vi.stubGlobal('document', {});
      await listTransaction(contextOf(mapStorage().storage), newId(), t0, undefined);
      locks.hold(lockName);
      await vi.advanceTimersByTimeAsync(999);
      expect([page, locks.waiting]).toEqual([page, page ? [lockName] : []]);
      await vi.advanceTimersByTimeAsync(1);
      expect(locks.waiting).toEqual([]);
    }
  });

  it('from a manager that never calls back is INVALID_CONFIG, and nothing is listed without it', async () => {
    vi.stubGlobal('navigator', { locks: { request: () => Promise.resolve() } });
    const { map, storage } = mapStorage();
    const error: unknown = await listTransaction(contextOf(storage), newId(), t0, undefined).catch((e: unknown) => e);
    expect(isOktaAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect(map.has(listKey)).toBe(false);
  });
});

describe('a storage call of the list that never settles', () => {
  it.each([
    ['get', 'get()', (ctx: ClientContext) => listTransaction(ctx, newId(), t0, undefined)],
    ['set', 'set()', (ctx: ClientContext) => listTransaction(ctx, newId(), t0, undefined)],
    ['remove', 'remove()', (ctx: ClientContext) => dropTransaction(ctx, newId(), undefined)],
  ])('(%s) is TIMEOUT naming it, made once, the change not made again without the lock', async (name, named, change) => {
    vi.useFakeTimers();
    const { calls, storage } = mapStorage((call) => (call === name ? undefined : 0));
    const outcome = change(contextOf(storage)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(3000);
    const error = await outcome;
    expect(isOktaAuthError(error) && [error.code, error.message]).toEqual(['TIMEOUT', `The sign-in storage ${named} did not settle within 3000 ms (timeoutMs): it was abandoned.`]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(calls.filter((c) => c.startsWith(`${name} `))).toHaveLength(1);
  });
});

describe('the list as read', () => {
  it('keeps only well-formed entries of an edited list: an id of 43 characters and a finite time, in an array', async () => {
    const { map, storage } = mapStorage();
    const kept = [newId(), t0 - 1000] as const;
    const edited = [
      kept,
      { 0: newId(), 1: t0 },
      [[newId()], t0],
      ['short', t0],
      [`.${newId()}`, t0],
      [`${newId()}.`, t0],
      [newId(), '1'],
    ];
    map.set(listKey, JSON.stringify(edited));
    const id = newId();
    await listTransaction(contextOf(storage), id, t0, undefined);
    expect(listIn(map)).toEqual([kept, [id, t0]]);
  });

  it('reads the last 20 entries only: a list of 5,000 expired ones costs 20 removals', async () => {
    const { map, calls, storage } = mapStorage();
    map.set(listKey, JSON.stringify(Array.from({ length: 5000 }, () => [newId(), 0])));
    await listTransaction(contextOf(storage), newId(), t0, undefined);
    expect(calls.filter((c) => c.startsWith('remove '))).toHaveLength(20);
    expect(listIn(map)).toHaveLength(1);
  });

  it('holds at most 20 entries, also when the removal of expired ones fails', async () => {
    const { map, storage } = mapStorage();
    const failing: OktaStorage = { ...storage, remove: () => Promise.reject(new Error('disk on fire')) };
    map.set(listKey, JSON.stringify(Array.from({ length: 20 }, () => [newId(), 0])));
    await listTransaction(contextOf(failing), newId(), t0, undefined);
    expect(listIn(map)).toHaveLength(20);
  });

  it('a used transaction leaves the list; the others stay', async () => {
    const { map, storage } = mapStorage();
    const [used, other] = [newId(), newId()];
    await listTransaction(contextOf(storage), used, t0, undefined);
    await listTransaction(contextOf(storage), other, t0 + 1, undefined);
    await dropTransaction(contextOf(storage), used, undefined);
    expect(listIn(map)).toEqual([[other, t0 + 1]]);
  });
});

describe('the sweep of unlisted transactions after the list', () => {
  it('does not run when a removal of a listed one failed, and reads no transaction the list names', async () => {
    const { map, storage } = fakeWebStorage();
    const reads: string[] = [];
    const web = { ...storage, get length() { return map.size; }, getItem: (key: string) => (reads.push(key), storage.getItem(key)) };
    const ctx = contextOf(createWebStorage(web));
    const legacy = legacyKeyOf(clientId, newId());
    const young = Array.from({ length: 5 }, newId);
    for (const id of young) await listTransaction(ctx, id, t0, undefined);
    for (const id of young) map.set(transactionKey(clientId, id), stored(id, t0));
    map.set(legacy, stored(legacy.slice(-43), t0 - 3_600_000));
    reads.length = 0;
    await listTransaction(ctx, newId(), t0, undefined);
    expect([map.has(legacy), reads.filter((key) => key.includes(':transaction:'))]).toEqual([false, [legacy]]);
    // An expired listed one whose removal fails: the sweep ends there, the unlisted one stays.
    for (const id of young) map.delete(transactionKey(clientId, id));
    const old = newId();
    map.set(listKey, JSON.stringify([[old, t0 - 3_600_000]]));
    map.set(transactionKey(clientId, old), stored(old, t0 - 3_600_000));
    map.set(legacy, stored(legacy.slice(-43), t0 - 3_600_000));
    const fail = () => {
      throw new Error('disk on fire');
    };
    const failing = { ...web, get length() { return map.size; }, removeItem: (key: string) => (key === transactionKey(clientId, old) ? fail() : storage.removeItem(key)) };
    await listTransaction(contextOf(createWebStorage(failing)), newId(), t0, undefined);
    expect([map.has(transactionKey(clientId, old)), map.has(legacy)]).toEqual([true, true]);
  });
});
