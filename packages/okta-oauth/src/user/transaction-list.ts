import { isOktaAuthError } from '@org/okta-auth-core';
import { callStorage, defaultTimeoutMs, type ClientContext } from './context.js';
import { isExpired, transactionKey } from './transaction.js';
import { removeOld, sweepDeadline, sweepUnlisted } from './transaction-sweep.js';
import { lockOver, lockSettleMs, underWebLockWithin } from './web-lock.js';

/**
 * The transactions a client has in its storage. `OktaStorage` cannot list keys, so a sign-in
 * abandoned at Okta would leave its transaction (PKCE verifier, nonce, state) in `localStorage`
 * for ever: each client lists its transactions' ids and start times under one key, and
 * `startSignIn` removes the expired ones. No secret in the list: ids are the states' SHA-256.
 * Each change of the list (a read, then a write) is made under the client's Web Lock where there
 * is one: two tabs changing it at once would each write what they read, and the first one's entry
 * would be lost (its transaction then never swept).
 */
type Listed = readonly [id: string, createdAt: number];

/** Transactions listed at most: the oldest beyond are removed (a bounded list, a bounded sweep). */
const maxListed = 20;

const listKey = (clientId: string): string => `okta-oauth:${clientId}:transactions`;

/** The client's list; anything stored there that is not one (edited, another version's) lists nothing. */
async function read(ctx: ClientContext, signal?: AbortSignal): Promise<Listed[]> {
  const text = await callStorage(ctx, 'get()', () => ctx.storage.get(listKey(ctx.clientId)), signal);
  try {
    const list: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(list) ? list.slice(-maxListed).filter((e): e is Listed => Array.isArray(e) && typeof e[0] === 'string' && /^[\w-]{43}$/.test(e[0]) && Number.isFinite(e[1])) : [];
  } catch {
    return [];
  }
}

/**
 * When a transaction started at `createdAt` is past its age (and `clockSkewSeconds` more): the
 * `expiresAt` given to the storage's `set`, so a store with TTLs (Redis) expires a transaction
 * and the list itself even when no sign-in sweeps them (a storage that cannot list keys). @internal
 */
export const expiresAtOf = (ctx: ClientContext, createdAt: number): number => createdAt + (ctx.transactionMaxAgeSeconds + ctx.clockSkewSeconds) * 1000;

/** Stores the list (to expire with its newest entry); an empty one is removed. */
function save(ctx: ClientContext, list: Listed[], signal?: AbortSignal): Promise<void> {
  const key = listKey(ctx.clientId);
  const expiresAt = expiresAtOf(ctx, Math.max(...list.map(([, createdAt]) => createdAt)));
  return callStorage(ctx, 'set()', () => (list.length === 0 ? ctx.storage.remove(key) : ctx.storage.set(key, JSON.stringify(list), { expiresAt })), signal);
}

/**
 * Removes a transaction; given the text read from its key, only while the storage still holds it,
 * in one step of the store where it can (`removeIfEqual`): whether this call took it.
 */
function remove(ctx: ClientContext, id: string, signal?: AbortSignal, read?: string): Promise<boolean> {
  const { storage } = ctx;
  const key = transactionKey(ctx.clientId, id);
  if (read === undefined || storage.removeIfEqual === undefined) return callStorage(ctx, 'remove()', async () => (await storage.remove(key), true), signal);
  return callStorage(ctx, 'removeIfEqual()', async () => (await storage.removeIfEqual?.(key, read)) !== false, signal);
}

/**
 * Runs one change of the list under the client's Web Lock (one holder across the origin's tabs),
 * where there is one. In a page, the lock is kept {@link lockSettleMs} after the change, as after a
 * renewal, so the next tab reads the list once this tab's `localStorage` write has reached it;
 * elsewhere (a server on Node.js 24, a worker: no `localStorage`) it is let go at once, so a
 * server's sign-ins never queue behind a settle time. In `sessionStorage` (one list per tab) the
 * lock is the page's own (a random name), let go at once: another tab's sign-in never waits for it.
 * A lock another tab holds for more than `timeoutMs` (stopped in the debugger mid-change) is not
 * waited for longer: the change is made without it.
 * The caller's `signal` ends the wait (rejecting with its reason), as it ends the storage calls.
 */
async function exclusive(ctx: ClientContext, change: () => Promise<void>, signal?: AbortSignal): Promise<void> {
  const held = { ran: false };
  const run = () => ((held.ran = true), change());
  try {
    // In sessionStorage each tab has its own list: a lock of this page's own, let go at once, never another tab's wait.
    const { name, perTab } = lockOver(`okta-oauth:${ctx.origin}:${ctx.clientId}:transactions`, ctx.storage);
    const settleMs = !perTab && typeof (globalThis as { document?: unknown }).document === 'object' ? lockSettleMs : 0;
    await underWebLockWithin(name, run, ctx.http.timeoutMs ?? defaultTimeoutMs, settleMs, signal);
  } catch (error) {
    if (held.ran || !isOktaAuthError(error) || error.code !== 'TIMEOUT') throw error;
    await change();
  }
}

/**
 * Lists a new transaction, first removing from storage this client's expired ones (and the
 * oldest beyond {@link maxListed}, but from a fleet's store, which expires them itself): a sign-in started and never finished. A removal that fails
 * is logged (`token-store`, `delete`) and its entry kept for the next sign-in's sweep, which
 * ends there: old transactions never fail a new sign-in. The whole sweep has one `timeoutMs`
 * (each removal bounded by what is left of it): a slow storage holds a sign-in up for one
 * `timeoutMs` at most, and what it did not remove stays listed for the next sign-in. Then, in a
 * Web Storage and within what is left, sweeps expired transactions the list does not name
 * (`transaction-sweep.ts`). @internal
 */
export async function listTransaction(ctx: ClientContext, id: string, createdAt: number, signal: AbortSignal | undefined): Promise<void> {
  await exclusive(ctx, async () => {
    const kept: Listed[] = [];
    const dropped: Listed[] = [];
    for (const entry of await read(ctx, signal)) {
      (isExpired(entry[1], createdAt, ctx.transactionMaxAgeSeconds, ctx.clockSkewSeconds) ? dropped : kept).push(entry);
    }
    const evicted = kept.splice(0, kept.length + 1 - maxListed);
    // A fleet's store (`singleFlight`: it expires entries at `expiresAt`) keeps what the cap drops from the list until it expires: other
    // users' sign-ins never remove one whose callback a session holds (two processes would each find none and both exchange its code).
    if (ctx.storage.singleFlight === undefined) dropped.push(...evicted);
    // Removed before the list forgets them: from the first removal that fails (or finds the sweep's time over), they stay listed for the next sign-in.
    const deadline = sweepDeadline(ctx);
    let swept = true;
    while (swept && dropped.length > 0) {
      swept = await removeOld(ctx, transactionKey(ctx.clientId, dropped[0]?.[0] ?? ''), signal, deadline);
      if (swept) dropped.shift();
    }
    const list = [...dropped, ...kept, [id, createdAt] as const].slice(-maxListed);
    await save(ctx, list, signal);
    if (swept) await sweepUnlisted(ctx, new Set(list.map(([listed]) => listed)), createdAt, signal, deadline);
  }, signal);
}

/**
 * Removes a used transaction and its entry in the list, and answers whether this call took it: given
 * the text the callback read (`stored`), a storage with `removeIfEqual` removes it in one step, so of
 * two clients sharing the storage (processes over one Redis) that read it at once, only one takes it
 * and exchanges its code. The caller's `signal` (`finishSignIn`'s) ends the wait for the list's lock
 * and the storage calls, as `startSignIn`'s does. @internal
 */
export async function dropTransaction(ctx: ClientContext, id: string, signal: AbortSignal | undefined, stored?: string): Promise<boolean> {
  const taken = await remove(ctx, id, signal, stored);
  await exclusive(ctx, async () => save(ctx, (await read(ctx, signal)).filter(([other]) => other !== id), signal), signal);
  return taken;
}
