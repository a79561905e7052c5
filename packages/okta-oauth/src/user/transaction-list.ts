import { callStorage, type ClientContext } from './context.js';
import { isExpired, transactionKey } from './transaction.js';

/**
 * The transactions a client has in its storage. `OktaStorage` cannot list keys, so a sign-in
 * abandoned at Okta would leave its transaction (PKCE verifier, nonce, state) in `localStorage`
 * for ever: each client lists its transactions' ids and start times under one key, and
 * `startSignIn` removes the expired ones. No secret in the list: ids are the states' SHA-256.
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

/** Stores the list; an empty one is removed. */
function save(ctx: ClientContext, list: Listed[], signal?: AbortSignal): Promise<void> {
  const key = listKey(ctx.clientId);
  return callStorage(ctx, 'set()', () => (list.length === 0 ? ctx.storage.remove(key) : ctx.storage.set(key, JSON.stringify(list))), signal);
}

const remove = (ctx: ClientContext, id: string, signal?: AbortSignal): Promise<void> =>
  callStorage(ctx, 'remove()', () => ctx.storage.remove(transactionKey(ctx.clientId, id)), signal);

/**
 * Lists a new transaction, first removing from storage this client's expired ones (and the
 * oldest beyond {@link maxListed}): a sign-in started and never finished. @internal
 */
export async function listTransaction(ctx: ClientContext, id: string, createdAt: number, signal: AbortSignal | undefined): Promise<void> {
  const kept: Listed[] = [];
  const dropped: Listed[] = [];
  for (const entry of await read(ctx, signal)) {
    (isExpired(entry[1], createdAt, ctx.transactionMaxAgeSeconds, ctx.clockSkewSeconds) ? dropped : kept).push(entry);
  }
  dropped.push(...kept.splice(0, kept.length + 1 - maxListed));
  // Removed before the list forgets them: a removal that fails leaves them listed for the next sign-in.
  for (const [old] of dropped) await remove(ctx, old, signal);
  await save(ctx, [...kept, [id, createdAt]], signal);
}

/** Removes a used transaction and its entry in the list. @internal */
export async function dropTransaction(ctx: ClientContext, id: string): Promise<void> {
  await remove(ctx, id);
  await save(ctx, (await read(ctx)).filter(([other]) => other !== id));
}
