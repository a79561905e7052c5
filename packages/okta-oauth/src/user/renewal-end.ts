import { settleWithin } from '@org/okta-auth-core/internal';
import { oauthDetails, type OktaOAuthError } from '../errors.js';
import type { RequestAttempt } from '@org/okta-auth-core';
import type { CredentialSession } from './credential-session.js';
import { OktaSignInError } from './errors.js';
import { namedBy, type SpentTokens } from './spent-tokens.js';
import { signInOf, type UserTokenEntry } from './token-entry.js';

/**
 * How a user credential's renewal ends its session: Okta's refusal of the refresh token, the user's sign-out
 * meanwhile (here, in another tab, on another process), and the one end of a renewal nobody keeps ({@link endUnkept}).
 */

/**
 * A `LOGIN_REQUIRED` of a user credential: the session ended, the user signs in again. @internal
 * @example
 * ```ts
 * throw loginRequired('This credential has no tokens: sign in again.');
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/
 */
export const loginRequired = (message: string, details?: ConstructorParameters<typeof OktaSignInError>[2]): OktaSignInError => new OktaSignInError('LOGIN_REQUIRED', message, details);

/**
 * A refused refresh as the caller gets it, and its log names (`requestToken`'s `refine`): `invalid_grant` ends the session. @internal
 * @example
 * ```ts
 * declare const refused: OktaOAuthError;
 * const error = refreshOutcome(refused); // LOGIN_REQUIRED for invalid_grant, else refused itself
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function refreshOutcome(refused: OktaOAuthError): unknown {
  if (refused.error !== 'invalid_grant') return refused;
  return loginRequired('Okta rejected the refresh token (expired, revoked, already used, or the user deactivated): sign in again.', { ...oauthDetails(refused), cause: refused });
}

/**
 * The `LOGIN_REQUIRED` of a renewal the session's end ended: the user's sign-out on this process while its refresh was in
 * flight, or on another process sharing the storage (`userFleet`), which also ends it when Okta refused its refresh
 * token there (its tokens removed as sign-out removes them: this process cannot tell which); `cause`, what user code threw
 * while it ended (storage, `onTokens`, revoking its tokens: a KMS signer). @internal
 * @example
 * ```ts
 * throw signedOutMeanwhile();
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export const signedOutMeanwhile = (cause?: unknown): OktaSignInError => loginRequired('The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.', { cause });

/**
 * The one end of a session whose renewal no tab or process keeps: a tab's renewal after another tab's sign-out
 * (credential.ts), a process's after another process's (user-fleet.ts). `ending`, the local session's end under way
 * (the removal from storage, and a tab's `onTokens(null)`; none: nothing to end), and `revoking`, the revocation of the
 * renewal (`revokeUnkept`: it never rejects and resolves to what user code threw), run side by side: the revocation
 * never waits behind a slow storage or `onTokens`. Both are awaited together at most `timeoutMs` (the client's; they go
 * on after it): a Worker ends the work its answer leaves behind (what is not handed to `ctx.waitUntil`), and a page
 * navigating away on the refusal would cut the revocation off. Resolves to `refuse(cause)`, never a `TIMEOUT`: `cause`
 * is what user code threw, as itself (the end's storage or `onTokens` first, else the revocation's signer), none when
 * nothing threw or `timeoutMs` passed first.
 * @internal
 * @example
 * ```ts
 * declare const [removal, revoking]: [Promise<void>, Promise<unknown>];
 * throw await endUnkept(30_000, removal, revoking, signedOutMeanwhile);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function endUnkept(timeoutMs: number, ending: Promise<unknown> | undefined, revoking: Promise<unknown> | undefined, refuse: (cause?: unknown) => Error): Promise<Error> {
  const ended = await settleWithin(() => Promise.all([ending?.then(() => undefined, (error: unknown) => [error]), revoking]), { timeoutMs });
  return refuse(ended.ok ? (ended.value[0] ?? [ended.value[1]])[0] : undefined);
}

/**
 * What a tab over `localStorage` does when another tab names the refresh token its renewal of `signIn` rotated from (`SpentTokens.watch`;
 * the sign-in's {@link signInOf}, not the old tokens: up to 100 watches per page keep no token).
 * There a tab names a token only when its session ends (a sign-out, a refusal: renewals are named only over `sessionStorage`),
 * and a sign-out whose `localStorage` still showed that token (Chromium hands a write across tabs late: flake136) removed and
 * revoked nothing else, the renewal staying valid at Okta and in use here. So when the name comes and the cache still holds
 * that sign-in's tokens (tokens without an ID token, `undefined`: only this credential's own renewals), the session ends as sign-out ends it
 * (`session.end`, given how to revoke what the removal finds and what a refresh in flight brings back) and what it held is
 * revoked where the client revokes (`revokeUnkept`), side by side as in {@link endUnkept}. No caller waits: the app hears
 * `onTokens(null)`, the next call `LOGIN_REQUIRED`. @internal
 * @example
 * ```ts
 * declare const [session, previous, cache]: [CredentialSession, UserTokenEntry, { peek(): UserTokenEntry | undefined }];
 * const ended = endRotatedFrom(session, signInOf(previous.claims), cache);
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-reuse-detection
 */
export const endRotatedFrom = (session: CredentialSession, signIn: string | undefined, cache: { peek(): UserTokenEntry | undefined }) => (): void => {
  const held = cache.peek();
  const revoke = session.ctx.revokeUnkept;
  if (held === undefined || signInOf(held.claims) !== signIn) return;
  void session.end(undefined, revoke).catch(() => undefined);
  void revoke?.(session.ctx, held.tokens);
};

/**
 * `cache.get` of a credential whose `tabs` (over `localStorage`; `undefined` over `sessionStorage`, where renewals are named) watch
 * each entry it hands out that it did not hold before nor renew (`renewed`: its own renewals): tokens taken from storage, another
 * credential's renewal (of this page, or another tab's), which no renewal here watches (held142). The watch is of their own name
 * ({@link namedBy}), which the end of that session names (in another tab, or this page's `spend`: the credential of the page that
 * renewed them, its watch fired, signed out or refused): it ends this session as {@link endRotatedFrom} ends a renewal's; at once if
 * another tab named them already. Not the tokens held before: a renewal taken after another tab named those is kept (`renewedBeside`). @internal
 * @example
 * ```ts
 * declare const [tabs, session, cache, renewed]: Parameters<typeof watchingTaken>;
 * const get = watchingTaken(tabs, session, cache, renewed); // await get(signal, attempt): the cache's entry
 * ```
 * @see https://developer.okta.com/docs/guides/refresh-tokens/main/#refresh-token-rotation
 */
export function watchingTaken(
  tabs: SpentTokens | undefined,
  session: CredentialSession,
  cache: { peek(): UserTokenEntry | undefined; get(signal?: AbortSignal, attempt?: RequestAttempt): Promise<UserTokenEntry> },
  renewed: WeakMap<UserTokenEntry, unknown>,
) {
  // The last entry handed out (the initial tokens first): a cache's entries only move forward, so each is watched once, not per call.
  let last = cache.peek();
  return async (signal?: AbortSignal, attempt?: RequestAttempt): Promise<UserTokenEntry> => {
    const entry = await cache.get(signal, attempt);
    if (entry !== last && !renewed.has(entry)) void tabs?.watch(namedBy(entry.tokens), endRotatedFrom(session, signInOf(entry.claims), cache));
    return (last = entry);
  };
}

/**
 * A renewal whose refresh token (or, without one, access token) another frame or tab said it spent: takes `stored` (what the storage holds, read
 * again) when it is the same sign-in's and its refresh token is not spent too: a frame of this tab, which shares
 * its `sessionStorage` under a page lock of its own, renewed them (it says so once they are stored). Else a copied
 * tab (its own storage still holds the spent token): throws what `ending()` gives (a promise of it awaited: the session's end), and the session ends.
 * Here, not in spent-tokens.ts: that module is imported by token-entry.ts (`hold`), so it imports nothing of it back.
 * @example
 * ```ts
 * declare const tabs: SpentTokens | undefined, previous: UserTokenEntry, stored: UserTokenEntry | undefined;
 * const taken = await renewedBeside(tabs, previous, stored, () => loginRequired('Another tab signed out, or renewed first: sign in again.'));
 * ```
 * @see https://developer.mozilla.org/en-US/docs/Web/API/BroadcastChannel
 * @internal
 */
export async function renewedBeside(copies: SpentTokens | undefined, previous: UserTokenEntry, stored: UserTokenEntry | undefined, ending: () => Error | Promise<Error>): Promise<UserTokenEntry> {
  const signIn = signInOf(previous.claims);
  const next = stored?.tokens.refreshToken?.reveal();
  if (stored === undefined || signIn === undefined || signInOf(stored.claims) !== signIn || next === undefined || (await copies?.spent(next))) throw await ending();
  return stored;
}
