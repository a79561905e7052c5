import type { TokenFile } from './token-file.js';

const storageKey = 'okta-auth:dpop-key';

/** A signed-in user's DPoP key pair, and the private JWK it is kept as. */
export interface DpopKey {
  readonly pair: CryptoKeyPair;
  readonly jwk: string;
  /** Made now: the token file kept none that could be read (tokens it holds are bound to another key). */
  readonly made: boolean;
}

/**
 * The DPoP key pair a signed-in user's tokens are bound to. Tokens outlive
 * the process, so the key must too: it is kept, as a private JWK, in the same
 * `0600` token file (a CLI has no non-extractable key store that survives a
 * restart), written with the tokens ({@link withDpopKey}) and removed when no
 * tokens are left ({@link removeUnusedDpopKey}). Without one (or one that
 * cannot be read), a new one is made, stored once tokens are. Made and read
 * by `@org/okta-oauth`'s `generateDpopKeyPair` and `importDpopKeyPair` (ES256),
 * the one check of a stored JWK.
 */
export async function loadDpopKey(file: TokenFile): Promise<DpopKey> {
  // Imported when a DPoP sign-in needs it, as credential.ts imports the OAuth client: an API-token call loads neither.
  const { generateDpopKeyPair, importDpopKeyPair } = await import('@org/okta-oauth');
  const stored = await file.get(storageKey);
  if (typeof stored === 'string') {
    try {
      return { pair: await importDpopKeyPair(JSON.parse(stored) as JsonWebKey), jwk: stored, made: false };
    } catch {
      // Unreadable: make a new one (tokens bound to the old key will need a new sign-in).
    }
  }
  const pair = await generateDpopKeyPair('ES256', { extractable: true });
  return { pair, jwk: JSON.stringify(await crypto.subtle.exportKey('jwk', pair.privateKey)), made: true };
}

/** Whether the token file keeps a DPoP key (tokens of a `dpop: true` sign-in are bound to it). */
export async function hasDpopKey(file: TokenFile): Promise<boolean> {
  return (await file.get(storageKey)) !== undefined;
}

/**
 * The token file, writing `key` with every write of tokens, in the same step under the file's
 * lock: tokens are never stored without the key they are bound to, even after another
 * okta-auth's `logout` removed it while this one's `login` waited for approval, or while this
 * one's `logout` waited for Okta and then put back tokens Okta did not revoke (an `update` that
 * leaves tokens in the file).
 */
export function withDpopKey(file: TokenFile, key: DpopKey): TokenFile {
  const also = { [storageKey]: key.jwk };
  const swap = (entry: string, value: string): string | undefined => file.swap(entry, value, also);
  return {
    ...file,
    update: (edit) =>
      file.update((entries) => {
        const result = edit(entries);
        if (result !== false && Object.keys(entries).some((entry) => entry !== storageKey)) Object.assign(entries, also);
        return result;
      }),
    swap,
    singleFlight: (entry, obtain, options) => file.singleFlight(entry, obtain, options, also),
    set(entry, value) {
      swap(entry, value);
    },
  };
}

/**
 * Removes the DPoP key if the file holds no tokens (on logout): decided under the file's lock,
 * so tokens another okta-auth's `login` stored meanwhile keep their key.
 */
export function removeUnusedDpopKey(file: TokenFile): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a plain record read from JSON
  file.update((entries) => Object.keys(entries).every((entry) => entry === storageKey) && delete entries[storageKey]);
}
