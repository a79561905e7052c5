import type { OktaLogger } from '@org/okta-auth-core';
import { emit } from '@org/okta-auth-core/internal';
import type { DpopSession } from '../dpop/dpop-session.js';
import { configError } from '../errors.js';
import { deepFreeze } from '../internal/deep-freeze.js';
import { decodeJws } from '../internal/jws.js';
import type { CacheStore, CachedToken } from '../token-cache/token-cache.js';
import { tokenLifetimeMs, type ClientContext } from './context.js';
import type { IdTokenClaims } from './id-token.js';
import type { OktaStorage } from '../token-cache/storage.js';
import { UserTokens } from './tokens.js';
import { hold } from './spent-tokens.js';
import type { Replacing, TokenWritesOptions } from './token-writes.js';

/** A user's tokens as the token cache holds them. @internal */
export interface UserTokenEntry extends CachedToken {
  readonly tokens: UserTokens;
  /** Validated when the tokens were received, or decoded from a stored ID token that was. */
  readonly claims: IdTokenClaims | undefined;
}

/**
 * The claims of tokens' ID token, decoded without validation: for tokens
 * that were validated when received and came back from the user's storage.
 */
function decodeClaims(tokens: UserTokens): IdTokenClaims | undefined {
  if (tokens.idToken === undefined) return undefined;
  try {
    return deepFreeze(decodeJws(tokens.idToken.reveal()).payload as IdTokenClaims);
  } catch {
    return undefined;
  }
}

/** The cache entry of a user's tokens: an unknown expiry is `Infinity` (renewed only when refused). @internal */
export function userTokenEntry(tokens: UserTokens, claims?: IdTokenClaims): UserTokenEntry {
  // What the page's credentials hold: the names another tab's message may carry (spent-tokens.ts).
  void hold(tokens);
  return Object.freeze({
    accessToken: tokens.accessToken.reveal(),
    tokenType: tokens.tokenType,
    expiresAt: tokens.expiresAt ?? Number.POSITIVE_INFINITY,
    lifetimeMs: tokenLifetimeMs(tokens),
    scope: tokens.scopes.join(' '),
    tokens,
    claims: claims ?? decodeClaims(tokens),
  });
}

/**
 * The sign-in that ID token claims come from: the issuer, subject and `auth_time`, which a
 * refresh keeps (OIDC Core §12.2: the original authentication's time; Okta's refreshed ID tokens
 * carry it), so every renewal of a session, in any tab, has its sign-in's, and another user, or
 * the same user authenticating again, has another. `undefined` without an ID token (no `openid`
 * scope) or without these claims: such tokens tell nothing of their sign-in. @internal
 * @see https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse
 */
export function signInOf(claims: IdTokenClaims | undefined): string | undefined {
  return claims?.sub === undefined || claims.auth_time === undefined ? undefined : JSON.stringify([claims.iss, claims.sub, claims.auth_time]);
}

/** The sign-in ({@link signInOf}) of stored tokens, decoded; `undefined` for text that holds none or tokens that tell nothing. @internal */
export function storedSignIn(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return signInOf(decodeClaims(UserTokens.fromStorable(text)));
  } catch {
    return undefined;
  }
}

/** Whose stored tokens a credential may take: this client's, of this org. @internal */
export interface TokenOwner {
  readonly origin: string;
  readonly clientId: string;
}

/**
 * Whether tokens are another org's or client's, as far as their ID token tells (decoded, not
 * validated: it was when received): an issuer other than the org, an audience without the client,
 * or an ID token that cannot be read. Tokens without an ID token tell nothing.
 */
function foreign(tokens: UserTokens, owner: TokenOwner): boolean {
  if (tokens.idToken === undefined) return false;
  const claims = decodeClaims(tokens);
  const aud = claims?.aud;
  const ours = aud === owner.clientId || (Array.isArray(aud) && aud.includes(owner.clientId));
  return !ours || (claims?.iss !== owner.origin && claims?.iss !== `${owner.origin}/`);
}

/**
 * Refuses tokens this client cannot send (`INVALID_CONFIG`): DPoP-bound ones without a DPoP key,
 * Bearer ones where `dpop` is `'required'` (never a silent downgrade). @internal
 */
export function checkTokenType(tokens: UserTokens, dpop: DpopSession | undefined): void {
  if (tokens.tokenType === 'DPoP' && dpop === undefined) {
    throw configError('credential: these tokens are DPoP-bound; create the sign-in client with the same dpop key.');
  }
  if (tokens.tokenType === 'Bearer' && dpop?.mode === 'required') {
    throw configError("credential: these are Bearer tokens and dpop is 'required': sign in again.");
  }
}

/**
 * Refuses tokens given to this client (`credential()`, `signOut(client, tokens)`) that are another
 * org's or client's as far as their ID token tells ({@link foreign}): the client would send them to
 * its org, as a stored copy would. `INVALID_CONFIG`, quoting nothing of them. @internal
 */
export function checkOwnTokens(tokens: UserTokens, owner: TokenOwner, what: string): void {
  if (foreign(tokens, owner)) {
    throw configError(`${what}: these tokens' ID token names another org or client (or cannot be read); pass the tokens this client obtained.`);
  }
}

/**
 * The tokens a credential kept in storage; `undefined` for none, anything unreadable, or tokens
 * whose ID token names another org or client (a storage key shared by two clients, edited
 * storage): they are never sent to this org. @internal
 */
export function storedTokens(text: string | null | undefined, owner: TokenOwner, logger?: OktaLogger): UserTokens | undefined {
  if (typeof text !== 'string') return undefined;
  let tokens: UserTokens;
  try {
    tokens = UserTokens.fromStorable(text);
  } catch {
    // Damaged, truncated, or a later version's record: a miss, logged without the value (`restoreCredential`'s read).
    emit(logger, { type: 'token-store', operation: 'get', outcome: 'corrupt' });
    return undefined;
  }
  return foreign(tokens, owner) ? undefined : tokens;
}

/**
 * The root entry's (`ctx.revokeReplaced`): how a credential's first write of `tokens` replaces what
 * `key` holds. It reads the key (a read that fails, or passes `bounded`'s timeoutMs, is nothing),
 * writes (`set`, in the same turn when the storage answered at once), then revokes, not awaited,
 * tokens of this client with another user's `sub` (another person signed in under the same key):
 * no one keeps them any more; one left alive is a `revocation` event. The same user's tokens
 * (another tab may hold them), tokens without an ID token and anything unreadable are only
 * overwritten. `undefined` (tokens without a `sub`, a client that does not revoke): a plain write.
 * Not called over per-tab storage (`sessionStorage`): what a copied tab replaces, its opener still uses.
 * @internal
 */
export function revokeReplaced(ctx: ClientContext, tokens: UserTokens, storage: OktaStorage | undefined, key: string, bounded: TokenWritesOptions['bounded']): Replacing | undefined {
  const revoke = ctx.revokeUnkept;
  const sub = decodeClaims(tokens)?.sub;
  if (revoke === undefined || sub === undefined) return undefined;
  return async (set) => {
    let text: unknown = null;
    try {
      text = storage?.get(key);
    } catch {
      // Nothing read: the write goes on.
    }
    if (typeof (text as PromiseLike<unknown> | null)?.then === 'function') text = await bounded('The token storage get()', () => text).catch(() => null);
    await set();
    const found = storedTokens(text as string | null, ctx);
    const theirs = found && decodeClaims(found)?.sub;
    if (found && theirs !== undefined && theirs !== sub) void revoke(ctx, found);
  };
}

/**
 * Whether a value holds `UserTokens` in `tokens`: a token cache entry, or a `SignInResult` given
 * to `client.credential()`. @internal
 */
export function holdsUserTokens(value: unknown): value is { readonly tokens: UserTokens } {
  return typeof value === 'object' && value !== null && (value as { tokens?: unknown }).tokens instanceof UserTokens;
}

/**
 * The token cache's view of a user credential's storage (one per credential, so credentials of
 * different users never share a flight): `get` reads the tokens another tab or process renewed
 * and hands them out only when they are the same user's (the ID token's `sub`; tokens without
 * one never are, so a store shared by several users under one key leaks nothing), of the
 * same type and, DPoP tokens, of the same key when both records name theirs (`dpopJkt`: tokens
 * another process with another key stored are not sent with this one's proofs; it renews its own,
 * with its own refresh token). Writes are not the cache's: the credential's publish hook writes every renewal and
 * its failure reaches the request that renewed; a refused access token is not deleted (the
 * stored refresh token still renews it), and sign-out removes the key itself.
 * @internal
 */
/**
 * A user credential's view of its storage: a fleet's (`userFleet`) adds `renewFrom`, the tokens a refresh grant renews from (read under
 * the fleet's lock: another process's newer renewal of the sign-in, never the refresh token that one spent). @internal
 */
export type UserStorageView = CacheStore<UserTokenEntry> & { renewFrom?: (previous: UserTokenEntry) => Promise<UserTokenEntry> };

export function userStorageView(storage: OktaStorage | undefined, current: () => UserTokenEntry | undefined, owner: TokenOwner): UserStorageView {
  const nothing = () => Promise.resolve();
  return {
    async get(key) {
      const mine = current();
      // Without a subject nothing stored is ever taken: not even read.
      return storage === undefined || mine?.claims?.sub === undefined ? undefined : adoptable(await storage.get(key), mine, owner);
    },
    set: nothing,
    delete: nothing,
  };
}

/**
 * Stored tokens a credential holding `mine` may take as its own (another tab's or process's
 * renewal): this client's and org's ({@link storedTokens}), the same user's (the ID token's `sub`;
 * never for a credential or tokens without one), of the same type and, DPoP tokens, of the same
 * key when both records name theirs (`dpopJkt`). The one check of {@link userStorageView} and the
 * fleet's single flight. @internal
 */
export function adoptable(text: string | null | undefined, mine: UserTokenEntry, owner: TokenOwner): UserTokenEntry | undefined {
  const subject = mine.claims?.sub;
  const tokens = subject === undefined ? undefined : storedTokens(text, owner);
  const entry = tokens === undefined ? undefined : userTokenEntry(tokens);
  // DPoP tokens bound to another key than the credential's own (both recorded) would go with its proofs, refused.
  const [theirs, ours] = [entry?.tokens.dpopJkt, mine.tokens.dpopJkt];
  const sameKey = theirs === undefined || ours === undefined || theirs === ours;
  return entry !== undefined && entry.claims?.sub === subject && entry.tokenType === mine.tokenType && sameKey ? entry : undefined;
}
