import type { TokenStore, TokenStoreEntry } from '../token-cache/token-store.js';

/** A token store shared by several credentials (processes), its entries open to the test. */
export function sharedStore(): TokenStore & { readonly entries: Map<string, TokenStoreEntry> } {
  const entries = new Map<string, TokenStoreEntry>();
  return {
    entries,
    get: (key) => Promise.resolve(entries.get(key)),
    set: (key, entry) => Promise.resolve(void entries.set(key, entry)),
    delete: (key) => Promise.resolve(void entries.delete(key)),
  };
}
