/**
 * What each token cache holds of its tokens, outside the instance, and the user fleet's hold on a renewal its
 * store did not store yet ({@link holdEntry}): functions, not methods, so the bundles without a user fleet leave them out.
 */
import type { CachedToken, TokenCache } from './token-cache.js';

/**
 * What a cache holds of its tokens: this process's entry, and the access token last refused. @internal
 * @example
 * ```ts
 * const held: HeldTokens<string> = { local: undefined, refused: undefined };
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export interface HeldTokens<E> {
  /** This process's copy: used first, and all there is while the store is failing. */
  local: E | undefined;
  /** The access token last refused (401) or forced out: never handed out again. */
  refused: string | undefined;
  /** An entry handed out only once its `confirm` resolves ({@link holdEntry}). */
  hold?: readonly [entry: E, confirm: () => Promise<void>] | undefined;
}

/**
 * Each cache's tokens, outside the instance: a V8 inspector (Chromium's console, DevTools, workerd's)
 * shows a private field's tokens, not a WeakMap entry (as for `Secret`'s values and the memory store's). @internal
 * @example
 * ```ts
 * declare const cache: object;
 * heldTokens.get(cache)?.local; // its entry
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export const heldTokens = new WeakMap<object, HeldTokens<unknown>>();

/**
 * What `cache` holds of its tokens, for its tests (that `clear()` leaves none). @internal
 * @example
 * ```ts
 * declare const cache: TokenCache;
 * heldBy(cache).local; // undefined after clear()
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export function heldBy<E extends CachedToken>(cache: TokenCache<E>): Readonly<HeldTokens<E>> {
  return { ...(heldTokens.get(cache) as HeldTokens<E>) };
}

/**
 * Hands `entry` out of `cache` once `confirm()` resolves: each `get()` that would awaits it, failing as it rejects, until one
 * resolves or `clear()` (the user fleet's renewal its store did not store). Returns the confirmation, for the holder's own first:
 * the first to resolve lets the entry go, for `get()` and the getters ({@link confirmedEntry}) alike, whether its caller still
 * waits or not. A function, not a method: only the user fleet holds, and the other bundles leave it out. @internal
 * @example
 * ```ts
 * await holdEntry(cache, entry, () => write(entry))(); // let go once written
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
export function holdEntry<E extends CachedToken>(cache: TokenCache<E>, entry: E, confirm: () => Promise<void>): () => Promise<void> {
  const held = heldTokens.get(cache) as HeldTokens<E>;
  const hold = [entry, () => confirm().then(() => { if (held.hold === hold) held.hold = undefined; })] as const;
  return (held.hold = hold)[1];
}

/**
 * `cache`'s current entry as a credential's getters show it: `peek()`, but `undefined` while `get()` holds it back ({@link holdEntry}). @internal
 * @example
 * ```ts
 * const tokens = confirmedEntry(cache)?.tokens;
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
export function confirmedEntry<E extends CachedToken>(cache: TokenCache<E>): E | undefined {
  const { local, hold } = heldTokens.get(cache) as HeldTokens<E>;
  return hold?.[0] === local ? undefined : local;
}

