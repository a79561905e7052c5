import { boundedStoreCall } from '../token-cache/bounded-store.js';
import { defaultTimeoutMs, type ClientContext } from './context.js';
import { webStorageUnder } from './storage.js';
import { isExpired } from './transaction.js';

/**
 * The sweep of a client's transactions that its list does not name, in a Web Storage (which,
 * unlike `OktaStorage`, lists its keys): those a version before the list stored (under their raw
 * state, a key of the same shape as a SHA-256 one: 43 base64url characters), and those whose
 * entry another tab's write of the list overwrote before the list was written under a Web Lock.
 * Bounded: {@link maxScanned} keys looked at and {@link maxRead} transactions read per sign-in,
 * from where the last sign-in stopped (kept under {@link cursorKey} when a scan stops early).
 */

/** Keys looked at per sign-in. */
const maxScanned = 100;

/** Unlisted transactions read (and removed if past their age) per sign-in. */
const maxRead = 5;

/** Where the next sweep starts, when the last one stopped before it looked at every key. */
const cursorKey = (clientId: string): string => `okta-oauth:${clientId}:transactions:scanned`;

/** The part of the Web Storage API that lists keys. */
interface Listing {
  readonly length: number;
  key(index: number): string | null;
}

/**
 * When a sweep that starts now must be over (`performance.now()` ms: a wall clock set back must not
 * stretch it): one `timeoutMs` for all its storage calls, so removals that each succeed within
 * `timeoutMs` (up to 20 listed, then the unlisted ones) hold a sign-in up for one `timeoutMs` in
 * all, not one each. @internal
 */
export const sweepDeadline = (ctx: ClientContext): number => performance.now() + (ctx.http.timeoutMs ?? defaultTimeoutMs);

/**
 * Every call of the sweep: bounded by what is left of its `deadline`, a failure logged
 * (`token-store`) and answered `undefined`, never thrown; past the deadline, not made (answered
 * `undefined`, not logged).
 */
async function quietly<T>(ctx: ClientContext, operation: 'get' | 'set' | 'delete', run: () => Promise<T>, signal: AbortSignal | undefined, deadline: number): Promise<{ value: T } | undefined> {
  const timeoutMs = deadline - performance.now();
  if (timeoutMs <= 0) return undefined;
  const outcome = await boundedStoreCall(operation, run, { timeoutMs, signal, logger: ctx.http.logger });
  return outcome.ok ? { value: outcome.value } : undefined;
}

/**
 * Removes `key`, a transaction past its age: a failure (thrown, rejected, past the sweep's
 * `deadline`) is logged as `{ type: 'token-store', operation: 'delete' }` and answered `false`, so
 * a sweep of old transactions never fails the new sign-in; past the deadline it is not made
 * (`false`). @internal
 */
export async function removeOld(ctx: ClientContext, key: string, signal: AbortSignal | undefined, deadline: number): Promise<boolean> {
  return (await quietly(ctx, 'delete', async () => ctx.storage.remove(key), signal, deadline)) !== undefined;
}

/** The `createdAt` of a stored transaction's text, if it has one. */
function createdAtOf(text: string | null | undefined): number | undefined {
  try {
    const createdAt = (JSON.parse(text ?? 'null') as { createdAt?: unknown } | null)?.createdAt;
    return typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : undefined;
  } catch {
    return undefined;
  }
}

/** The keys of this client's unlisted transactions among the next {@link maxScanned} of `listing` from `start`, where the scan stopped and whether it looked at every key. */
function scan(listing: Listing, prefix: string, listed: ReadonlySet<string>, start: number): { found: string[]; next: number; all: boolean } {
  const found: string[] = [];
  const total = listing.length;
  let looked = 0;
  while (looked < Math.min(total, maxScanned) && found.length < maxRead) {
    const key = listing.key((start + looked++) % total);
    const id = key?.startsWith(prefix) === true ? key.slice(prefix.length) : '';
    if (/^[\w-]{43}$/.test(id) && !listed.has(id)) found.push(key ?? '');
  }
  return { found, next: total === 0 ? 0 : (start + looked) % total, all: looked === total };
}

/**
 * Removes this client's transactions in its Web Storage that `listed` (ids) does not name and that
 * are past their age at `nowMs`, within the sweep's `deadline` ({@link sweepDeadline}); a storage
 * of your own (which cannot list keys) is left alone. Never throws but the caller's abort. @internal
 */
export async function sweepUnlisted(ctx: ClientContext, listed: ReadonlySet<string>, nowMs: number, signal: AbortSignal | undefined, deadline: number): Promise<void> {
  const listing = webStorageUnder(ctx.storage) as Partial<Listing> | undefined;
  if (listing === undefined) return;
  const saved = await quietly(ctx, 'get', async () => ctx.storage.get(cursorKey(ctx.clientId)), signal, deadline);
  let scanned: ReturnType<typeof scan>;
  // A Web Storage of the app's own may throw from any of these (a getter, a revoked proxy): then no sweep.
  try {
    const length = listing.length;
    if (typeof listing.key !== 'function' || typeof length !== 'number' || !Number.isInteger(length)) return;
    const start = Math.max(0, Number.parseInt(saved?.value ?? '0', 10) || 0) % Math.max(1, length);
    scanned = scan(listing as Listing, `okta-oauth:${ctx.clientId}:transaction:`, listed, start);
  } catch {
    return;
  }
  // A scan that stopped early (many keys, or transactions not yet past their age or unreadable) goes on from there next time.
  if (!scanned.all) await quietly(ctx, 'set', async () => ctx.storage.set(cursorKey(ctx.clientId), String(scanned.next)), signal, deadline);
  for (const key of scanned.found) {
    const createdAt = createdAtOf((await quietly(ctx, 'get', async () => ctx.storage.get(key), signal, deadline))?.value);
    if (createdAt !== undefined && isExpired(createdAt, nowMs, ctx.transactionMaxAgeSeconds, ctx.clockSkewSeconds) && !(await removeOld(ctx, key, signal, deadline))) return;
  }
}
