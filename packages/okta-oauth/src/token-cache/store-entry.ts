/**
 * The one check of what a token store answers with (a shared store is written by others): a
 * usable service or OIN app entry, or a miss, and which kind of miss the `token-store` event names.
 */
import { isTokenExpiry, isTokenLifetimeMs, isTokenRecord } from '../token-endpoint/token-response.js';
import type { TokenStoreEntry } from './token-store.js';

/** A store answer that is not a usable entry (a corrupted or foreign value) counts as a miss. @internal */
export function isEntry(value: unknown): value is TokenStoreEntry {
  // A shared store is written by others: what a token answer could not have given (a token that
  // cannot go in a header, or of megabytes; an absurd lifetime or expiry, fresh for ever; a scope
  // with control characters, which reaches hints) is corrupt, a miss, never sent nor kept for its
  // whole claimed life. Stored user tokens follow the same rules (`UserTokens.fromStorable`).
  return isTokenRecord(value) && isTokenExpiry(value.expiresAt, Date.now()) && isTokenLifetimeMs(value.lifetimeMs);
}

/**
 * The `token-store` event outcome of a store answer the credential's `isEntry` refused: a well-formed
 * entry (another credential's of the same key, of a token type this one does not use) is
 * `token-type`, anything else `corrupt`. @internal
 */
export function refusedEntry(value: unknown): 'token-type' | 'corrupt' {
  return isEntry(value) ? 'token-type' : 'corrupt';
}
