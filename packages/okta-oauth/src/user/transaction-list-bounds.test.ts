/**
 * The bounds of a change of the sign-in transactions' list (`transaction-list.ts`), with a context
 * of the test's own: a used transaction's removal ends with the caller's signal (the list's lock
 * and the storage calls), the sweep of expired ones has one `timeoutMs` in all, and the list is
 * stored with an `expiresAt` a store with TTLs can use.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientId, contextOf, listIn, listKey, lockName, mapStorage, newId, t0 } from './test-helpers/transaction-context.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import { dropTransaction, listTransaction } from './transaction-list.js';
import { transactionKey } from './transaction.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('finishSignIn’s removal of the used transaction', () => {
  // timeoutMs past the test's own timeout: a wait that ignores the signal fails the test.
  it('ends with the caller’s signal while another tab holds the list’s lock, the list unchanged', async () => {
    const locks = stubWebLocks();
    const { map, storage } = mapStorage();
    const ctx = contextOf(storage, 60_000);
    const used = newId();
    await listTransaction(ctx, used, t0, undefined);
    const release = locks.hold(lockName);
    await vi.waitFor(() => expect(locks.waiting).toEqual([]));
    const controller = new AbortController();
    const dropping = dropTransaction(ctx, used, controller.signal);
    await vi.waitFor(() => expect(locks.waiting).toEqual([lockName]));
    const reason = new Error('the user left the page');
    controller.abort(reason);
    await expect(dropping).rejects.toBe(reason);
    expect([locks.waiting, listIn(map)]).toEqual([[], [[used, t0]]]);
    release();
  });

  it.each(['get', 'remove'])('ends with the caller’s signal while the storage’s %s() hangs', async (hung) => {
    const { storage } = mapStorage((name) => (name === hung ? undefined : 0));
    const controller = new AbortController();
    const dropping = dropTransaction(contextOf(storage, 60_000), newId(), controller.signal);
    const reason = new Error('the user left the page');
    setTimeout(() => controller.abort(reason), 50);
    await expect(dropping).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('the sweep of expired transactions', () => {
  it('has one timeoutMs in all: removals that each succeed in time stop there, the rest left listed for the next sign-in', async () => {
    vi.useFakeTimers();
    // Each removal of a transaction takes 400 ms: 20 of them took 8 s (20 × 400) before, in timeoutMs 3000.
    const { map, storage } = mapStorage((name, key) => (name === 'remove' && key.includes(':transaction:') ? 400 : 0));
    const events: OktaLogEvent[] = [];
    const ctx = contextOf(storage, 3000, events);
    const old = Array.from({ length: 20 }, () => [newId(), t0 - 3_600_000] as [string, number]);
    map.set(listKey, JSON.stringify(old));
    for (const [id] of old) map.set(transactionKey(clientId, id), '{}');
    const id = newId();
    const listing = listTransaction(ctx, id, t0, undefined);
    await vi.advanceTimersByTimeAsync(3000);
    await vi.runAllTimersAsync();
    await listing;
    // 7 removed (at 400, 800 … 2800 ms), the 8th cut at 3000 ms (logged), the others not started.
    expect(listIn(map)).toEqual([...old.slice(7), [id, t0]]);
    expect(old.slice(0, 7).filter(([gone]) => map.has(transactionKey(clientId, gone)))).toEqual([]);
    expect(events).toEqual([{ type: 'token-store', operation: 'delete', outcome: 'timeout' }]);
    // The next sign-in goes on from there.
    const next = listTransaction(ctx, newId(), t0 + 1, undefined);
    await vi.runAllTimersAsync();
    await next;
    expect(listIn(map).filter(([, at]) => at < t0)).toEqual(old.slice(14));
  });
});

describe('the list as stored', () => {
  it('expires with its newest entry (transactionMaxAgeSeconds and clockSkewSeconds after it) where the store has TTLs', async () => {
    const { sets, storage } = mapStorage();
    const ctx = contextOf(storage, 3000);
    const used = newId();
    await listTransaction(ctx, newId(), t0 + 5000, undefined);
    await listTransaction(ctx, used, t0, undefined);
    await dropTransaction(ctx, used, undefined);
    expect(sets).toEqual(Array.from({ length: 3 }, () => [listKey, { expiresAt: t0 + 5000 + 2_100_000 }]));
  });
});
