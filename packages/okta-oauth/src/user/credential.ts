import type { AnswerState, AuthorizationHeaders, RequestAttempt } from '@org/okta-auth-core';
import { boundUserCode, type AttemptDeadline } from '@org/okta-auth-core/internal';
import { carriedTransport, createTokenCredential, type TokenSource } from '../credential/token-credential.js';
import { configError, oauthDetails, readOptions } from '../errors.js';
import { TokenCache } from '../token-cache/token-cache.js';
import { confirmedEntry } from '../token-cache/held-tokens.js';
import { claimsOf, defaultTimeoutMs, keyBound, otherCopy, requestTokens, type ClientContext } from './context.js';
import { isOktaSignInError } from './errors.js';
import type { IdTokenClaims } from './id-token.js';
import type { SignOutOptions } from './revocation.js';
import { UserTokens } from './tokens.js';
import { userAdvice } from './user-advice.js';
import { checkOwnTokens, checkTokenType, holdsUserTokens, signInOf, storedTokens, userStorageView, userTokenEntry, type UserTokenEntry } from './token-entry.js';
import { type GetAccessTokenOptions, type UserCredentialBase, type UserCredentialOptions } from './credential-options.js';
import type { CredentialSession } from './credential-session.js';
import { checkStorage, nonNegative, tokenStorageKey } from './validate.js';
import { tokenWrites } from './token-writes.js';
import { lockOver, lockSettleMs, underWebLockWithin } from './web-lock.js';
import { endedBeside, namedBy, spentTokensOf } from './spent-tokens.js';
import { endRotatedFrom, endUnkept, loginRequired, refreshOutcome, renewedBeside, signedOutMeanwhile, watchingTaken } from './renewal-end.js';

/** The session of every credential `createUserCredential` made. */
const sessions = new WeakMap<object, CredentialSession>();

/** The session of a credential a sign-in client made; `undefined` for anything else. @internal */
export function sessionOf(credential: unknown): CredentialSession | undefined {
  return typeof credential === 'object' && credential !== null ? sessions.get(credential) : undefined;
}

/**
 * A signed-in user's credential: the package's one token pipeline (`TokenCache` + `createTokenCredential`, as
 * for service apps) with the refresh-token grant as the way to obtain the next token. What is the user's own stays here: the storage view and its first
 * write, the publish hook (storage write and `onTokens`), Web Locks across tabs, the end of the
 * session. Sign-out (revocation) is not here: `signOut(client, credential)` reaches the session
 * through {@link sessionOf}, and the client of `@org/okta-oauth` adds `credential.signOut()`
 * (`ctx.signOut`), so an app that never signs out does not ship revocation.
 * @internal
 */
export function createUserCredential(
  ctx: ClientContext,
  initial: UserTokens,
  initialClaims: IdTokenClaims | undefined,
  given: UserCredentialOptions | undefined,
  /** False when the tokens were just read from `options.storage`. */
  persistInitial = true,
): UserCredentialBase {
  const options = readOptions(given, 'credential(tokens, options)');
  if (!(initial instanceof UserTokens)) {
    throw configError(`credential: pass the UserTokens from finishSignIn, poll() or UserTokens.fromStorable()${otherCopy}`);
  }
  // Another org's or client's tokens would go to this org (its API, token and revocation endpoints).
  checkOwnTokens(initial, ctx, 'credential');
  // DPoP-bound tokens without a DPoP key; Bearer ones where DPoP is required. Another key's: on first use (the key is async).
  checkTokenType(initial, ctx.dpop);
  // null is no callback (CONVENTIONS), as poll's onWait.
  const onTokens = options.onTokens ?? undefined;
  if (onTokens !== undefined && typeof onTokens !== 'function') {
    throw configError('credential: onTokens must be a function (or left out).');
  }
  const renewBefore = nonNegative(options.renewBeforeSeconds, 60, 'credential: renewBeforeSeconds');
  /** How long user code (onTokens, storage) may take inside a refresh nobody's signal bounds: the core's default timeoutMs. */
  const userCodeTimeoutMs = ctx.http.timeoutMs ?? defaultTimeoutMs;
  const bounded = <T>(what: string, run: () => T | PromiseLike<T>, signal?: AbortSignal, fix?: string) => boundUserCode(what, run, { signal, timeoutMs: userCodeTimeoutMs, fix });
  const storage = checkStorage(options.storage, 'credential: storage');
  const storageKey = tokenStorageKey(ctx.clientId, storage, options.storageKey, 'credential');
  // Per storage key: the tabs of one user share it; a server's users (a key each) never wait on each other.
  // In sessionStorage each tab has its own tokens: the page's own lock, no settle time, no other tab's wait.
  const lock = lockOver(`okta-oauth:${ctx.origin}:${ctx.clientId}:${storageKey}:refresh`, storage);
  // The tabs tell each other which refresh tokens they signed out (each holds its tokens in memory, whatever its storage) and, as a tab opened from this one holds a copy of its sessionStorage, which ones they spent.
  const tabs = spentTokensOf(`okta-oauth:${ctx.origin}:${ctx.clientId}:${storageKey}:spent`);
  /** The renewal lock, waited for at most `waitMs` (`TIMEOUT` after): a tab that never lets go holds no request for ever. */
  const exclusive = (waitMs: number) => <T>(run: () => Promise<T>) => underWebLockWithin(lock.name, run, waitMs, lock.perTab ? 0 : lockSettleMs);
  const writes =
    storage === undefined
      ? undefined
      : tokenWrites({ storage, key: storageKey, bounded, timeoutMs: userCodeTimeoutMs, current: () => cache.peek()?.tokens, exclusive: exclusive(userCodeTimeoutMs), logger: ctx.http.logger });
  /** The first write of the tokens to storage; its failure surfaces on the first request. Over per-tab storage it revokes nothing it replaced (as `revokeUnkept` below): a copied tab's opener still uses those tokens. */
  let initialWrite: Promise<void> | undefined = persistInitial ? writes?.write(initial, lock.perTab ? undefined : ctx.revokeReplaced?.(ctx, initial, storage, storageKey, bounded)) : undefined;
  let keyChecked: Promise<void> | undefined;
  /**
   * How tokens a refresh in flight brings back after this credential's sign-out are revoked (never rejects: resolves to what user code threw),
   * as that sign-out decided. Session state, written by the session's end alone (`session.end`: this tab's sign-out, or another tab's heard by `endRotatedFrom`) and once: it clears the cache as it starts, a later one finds no
   * tokens (`signOutSession`) and a cleared cache never holds tokens again. Every other end of the session passes its revoker to `drop`.
   */
  let revokeLate: ClientContext['revokeUnkept'];
  /** Whether a renewal's onTokens is under way. Sign-out does not wait for it: it may be the one signing out (it would wait on itself); the renewal tells onTokens(null) once it has settled. */
  let telling = false;
  /** Tells onTokens; bounded by the signal and timeoutMs. */
  async function tell(next: UserTokens | null, signal?: AbortSignal): Promise<void> {
    if (onTokens !== undefined) await bounded('onTokens', () => onTokens(next), signal);
  }

  /**
   * Refuses tokens of another DPoP key (their `dpopJkt`), drops tokens another tab signed out or spent (their renewal takes
   * what storage holds, or ends the session), then lets the first write land (or fail, for this caller) before anything else touches storage.
   */
  async function firstWrite(signal?: AbortSignal): Promise<void> {
    await (keyChecked ??= keyBound(ctx, initial.dpopJkt));
    const current = cache.peek();
    if (current !== undefined && (await tabs?.spent(namedBy(current.tokens)))) await cache.drop(current.accessToken, signal);
    if (initialWrite === undefined) return;
    const first = initialWrite;
    initialWrite = undefined;
    await bounded('The token storage set()', () => first, signal);
  }

  /** Ends the local session at once, then removes the tokens from storage (what it finds of this sign-in but these, revoked with `revoke`) and tells onTokens. */
  async function drop(signal?: AbortSignal, revoke?: ClientContext['revokeUnkept']): Promise<void> {
    // Whose tokens sign-out removes from storage: this sign-in's, renewed here or in another tab.
    const ending = cache.peek();
    const signedOut = signInOf(ending?.claims);
    const ended = ending && namedBy(ending.tokens);
    cache.clear();
    // Other tabs may hold these tokens in memory: told (the SHA-256 of the refresh token, else of the access token; no token), they stop using them. Not awaited: nothing
    // may come between the clear and the removal below, which a second sign-out waits for.
    if (ended !== undefined) void tabs?.spend(ended).catch(() => undefined);
    // Whose onTokens(null) it is, decided now: a renewal's onTokens under way tells it after it (none can start once cleared); checked after the awaits below, both would when it settles first.
    const renewalTells = telling;
    initialWrite = undefined;
    // The app hears the end even when storage fails to remove the tokens (a later sign-out removes them again). What the removal takes as this sign-in's
    // (another tab's renewal, which tabs may hold without these; tokens without an ID token) is named too and, but for these (revoked next), revoked as
    // the session's end revokes (`revoke`): revoking the refresh token these hold, which Okta may have rotated out, may not reach it (emulator FIDELITY L14).
    const removal = await writes?.remove(signal, signedOut, (text) => {
      // Removed, nothing sent: what holds no tokens of this client (another org's or client's ID token), and tokens without an ID token (no org told) under a given storageKey (two orgs' clients may share one; the default names the client id).
      const found = storedTokens(text, ctx);
      return found && (void tabs?.spend(namedBy(found)).catch(() => undefined), namedBy(found) !== ended && (found.idToken ?? options.storageKey == null) && revoke?.(ctx, found));
    }).then(() => undefined, (error: unknown) => ({ error }));
    if (!renewalTells) await tell(null, signal);
    if (removal !== undefined) throw removal.error;
  }

  /** The refresh-token grant: how the cache obtains the user's next tokens. Rotation: the answer replaces them. */
  async function refresh(previous: UserTokenEntry | undefined, within?: AttemptDeadline, fetch?: typeof globalThis.fetch): Promise<UserTokenEntry> {
    if (previous === undefined) throw loginRequired('This credential has no tokens (signed out, or the refresh token was rejected): sign in again.');
    if (view.renewFrom) previous = await view.renewFrom(previous); // Under the fleet's lock: another process's newer renewal, never the refresh token it spent.
    const refreshToken = previous.tokens.refreshToken;
    // Without a refresh token nothing renews, unless another tab signed the session out (its access token named): that ends it below.
    if (refreshToken === undefined && !(await tabs?.spent(namedBy(previous.tokens)))) throw loginRequired('The access token has expired or was refused, and there is no refresh token (ask for the offline_access scope): sign in again.');
    let next: UserTokens;
    try {
      if (refreshToken === undefined || (await tabs?.spent(refreshToken.reveal()))) return await renewedBeside(tabs, previous, await stored(), () => loginRequired(endedBeside));
      next = await requestTokens(ctx, { grant_type: 'refresh_token', refresh_token: refreshToken.reveal() }, { previousRefreshToken: refreshToken.reveal(), refine: refreshOutcome, within, fetch });
    } catch (caught) {
      if (!isOktaSignInError(caught) || caught.code !== 'LOGIN_REQUIRED') throw caught;
      // Refused once another tab named the token (signed out, revoking it while this refresh was at Okta, or renewed first): that is the news.
      const error = (await tabs?.spent(refreshToken?.reveal())) ? loginRequired(endedBeside, caught) : caught;
      // Okta rejected the refresh token: unless signed out meanwhile (then nothing is left to drop), the session
      // ends; `previous` may be the newer tokens another tab stored. The caller must still hear "sign in again" when
      // the app's storage or onTokens throws while it ends: their error is the cause (as for a refresh that outlived a sign-out).
      const ending = cache.peek() && (await drop().then(() => undefined, (failed: unknown) => ({ failed })));
      if (ending) throw loginRequired(error.message, { ...oauthDetails(error), cause: ending.failed });
      throw error;
    }
    // Rotated: the other tabs are told once the renewal is stored (a frame sharing the storage reads it there), or failed.
    // Over localStorage it watches the token it rotated from: a sign-out naming only that one (its storage behind) ends this session too.
    // Its sign-in read now: a closure holding `previous` would keep every older entry alive through `spends`.
    const signIn = signInOf(previous.claims);
    const spend = () => next.refreshToken?.reveal() !== refreshToken.reveal() && (lock.perTab ? tabs?.spend(refreshToken.reveal()).catch(() => undefined) : tabs?.watch(refreshToken.reveal(), endRotatedFrom(session, signIn, cache)));
    // The token type kept, and the ID token, checked as what the 200 brought (its log ends with the code).
    const claims = await claimsOf(ctx, await ctx.discovery.get(), next, { previous: previous.claims, requireIdToken: false }, previous.tokenType).catch((error: unknown) => {
      void spend();
      throw error;
    });
    const entry = userTokenEntry(next, claims ?? previous.claims);
    spends.set(entry, spend);
    // Okta answered before another tab's sign-out reached it, heard since: not stored (a reload would restore it) but signed out here, as before the
    // request (`renewedBeside`: a frame's stored renewal is taken, this answer then kept nowhere: revoked but for a refresh token both hold, as a reuse
    // within Okta's grace period gets the current one); over localStorage revoked where the client revokes (`ctx.revokeUnkept`) alongside the session's end
    // (`endUnkept`: at most timeoutMs, as a page leaving on the LOGIN_REQUIRED would cut it off; its removal revokes what it finds of this sign-in), also when
    // the read fails (a name there is a session's end: its error the cause). Over sessionStorage the name may be a copied tab's or a frame's renewal: only
    // dropped (a failed read thrown: the next call reads again). Unless this tab signed out meanwhile: that sign-out ended the session and decided the revocation (`revokeLate`).
    if (await tabs?.spent(refreshToken.reveal())) {
      const revoke = lock.perTab ? undefined : ctx.revokeUnkept;
      const unkept = (ending?: Promise<unknown>, refuse = (cause?: unknown): Error => loginRequired(endedBeside, { cause })) => endUnkept(userCodeTimeoutMs, ending, (revokeLate ?? revoke)?.(ctx, next), refuse);
      const end = () => cache.peek() && drop(undefined, revoke);
      const held = await stored().catch(async (error: unknown) => {
        throw await unkept(lock.perTab ? undefined : end(), () => (lock.perTab ? (error as Error) : loginRequired(endedBeside, { cause: error })));
      });
      const taken = await renewedBeside(tabs, previous, held, () => unkept(end()));
      void (revokeLate ?? revoke)?.(ctx, taken.tokens.refreshToken?.reveal() === next.refreshToken?.reveal() ? new UserTokens({ accessToken: next.accessToken.reveal(), tokenType: next.tokenType }) : next);
      return taken;
    }
    return entry;
  }
  /** How a renewal tells the other tabs of the token it spent, once its storage write has settled. */
  const spends = new WeakMap<UserTokenEntry, () => unknown>();

  /**
   * After a refresh, inside its flight: persist and tell onTokens, unless the user signed out
   * meanwhile; a sign-out while onTokens runs is told (`onTokens(null)`) after it.
   */
  async function renewed(entry: UserTokenEntry): Promise<void> {
    const spend = spends.get(entry);
    if (cache.peek() !== entry) {
      spend?.();
      // Signed out while the refresh was in flight: the new tokens must not outlive the sign-out.
      // The caller is signed out whatever their revocation's user code (a KMS signer) threw: its cause.
      throw signedOutMeanwhile(await revokeLate?.(ctx, entry.tokens));
    }
    // Stored, bounded by timeoutMs (`writes.store`: a `TIMEOUT` names the storage call it waited on, `set()`, or the
    // fleet's fallback write's `get()` or `replaceIfEqual()`); the other tabs told once it landed or failed. A fleet renewal held back
    // until its write lands (user-fleet.ts) is told (`told`) by the later call whose write lands.
    /** Tells onTokens; signed out while it ran (by onTokens itself, perhaps), the app's last word is still null. */
    const told = async () => {
      telling = true;
      try {
        await tell(entry.tokens);
      } finally {
        telling = false;
        if (cache.peek()?.tokens !== entry.tokens) await tell(null);
      }
    };
    await Promise.resolve(writes?.store(entry.tokens, told)).finally(() => spend?.());
    // Signed out during the write: sign-out revokes these tokens and removes them after this write.
    if (cache.peek()?.tokens !== entry.tokens) throw signedOutMeanwhile();
    await told();
  }

  // Storage lagging behind this credential holds nothing to take (a miss): it renews its own tokens.
  const view = userStorageView(storage, () => (writes?.synced() === false ? undefined : cache.peek()), ctx);
  /** What storage holds for this credential to take (another tab's renewal), read now: the refresh's one read, bounded by timeoutMs (a hung get() never holds the flight nor the lock). */
  const stored = () => bounded('The token storage get()', () => view.get(storageKey));
  const fleet = writes && ctx.userFleet?.(ctx, storage, view, writes, () => cache, renewBefore * 1000, bounded); // One renewal per user across processes (user-fleet.ts).
  const cache: TokenCache<UserTokenEntry> = new TokenCache<UserTokenEntry>({
    store: view,
    key: storageKey,
    initial: userTokenEntry(initial, initialClaims),
    isEntry: holdsUserTokens as (value: unknown) => value is UserTokenEntry,
    obtain: refresh,
    onObtained: renewed,
    // One renewal rule for every token; renewBeforeSeconds is its floor.
    renewalFloorMs: renewBefore * 1000,
    renewable: (entry) => entry.tokens.refreshToken !== undefined,
    keepOnFailure: (error) => !(isOktaSignInError(error) && error.code === 'LOGIN_REQUIRED'),
    // One refresh per browser when tokens live in shared storage: the other tabs read its result.
    // Its wait for the lock is bounded (twice timeoutMs and the holder's settling: room for another
    // tab's renewal with a retry): a tab that never lets go fails the request with TIMEOUT, never hangs it.
    exclusive: storage === undefined ? undefined : exclusive(2 * userCodeTimeoutMs + lockSettleMs),
    fleet,
    now: () => ctx.clock.orgTime(ctx.now()), // Expiries on Okta's clock, as `requestTokens` writes them (another process's too).
    storeTimeoutMs: userCodeTimeoutMs,
    logger: ctx.http.logger,
  });
  const advice = userAdvice(ctx, () => cache.peek()?.scope);
  // The first write lands before the pipeline reads the cache: after its one check of the attempt (core's
  // assertAttempt), before anything reads the attempt's signal. One check per attempt, as every credential's.
  const source: TokenSource = {
    async get(signal, attempt) {
      await firstWrite(signal);
      return fresh(signal, attempt);
    },
    drop: (accessToken, signal) => cache.drop(accessToken, signal),
  };
  const pipeline = createTokenCredential({ ...ctx, kind: 'user', cache: source, advice });
  const credential = {
    kind: 'user',
    origin: ctx.origin,
    ...carriedTransport(ctx.http),
    get tokens() {
      return confirmedEntry(cache)?.tokens;
    },
    get claims() {
      return confirmedEntry(cache)?.claims;
    },
    authorize: (attempt: RequestAttempt): Promise<AuthorizationHeaders> => pipeline.authorize(attempt),
    challenge: (state: AnswerState) => pipeline.challenge?.(state) ?? Promise.resolve(false),
    explain: (state: AnswerState) => pipeline.explain(state),
    async getAccessToken(options?: GetAccessTokenOptions) {
      const getOptions = readOptions(options, 'getAccessToken(options)');
      await firstWrite(getOptions.signal);
      const current = cache.peek();
      if (getOptions.forceRefresh === true && current !== undefined) await cache.drop(current.accessToken, getOptions.signal);
      return (await fresh(getOptions.signal)).tokens.accessToken;
    },
    toJSON() {
      return { kind: 'user', origin: ctx.origin };
    },
    [Symbol.for('nodejs.util.inspect.custom')]() {
      return `UserCredential { origin: '${ctx.origin}' }`;
    },
  } as UserCredentialBase;
  const session: CredentialSession = {
    ctx,
    current: () => cache.peek()?.tokens,
    // A removal that failed (storage, its caller's signal) would leave the tokens stored: made again.
    removed: (signal) => writes?.removed(signal) ?? Promise.resolve(),
    // The one write of `revokeLate`.
    end: (signal, revoke) => drop(signal, (revokeLate = revoke)),
    explain: pipeline.explain,
  };
  sessions.set(credential, session);
  // Over localStorage, what it takes from storage is watched by its name (`watchingTaken`): it ends with the session that renewed it.
  const fresh = watchingTaken(lock.perTab ? undefined : tabs, session, cache, spends);
  // Over sessionStorage, a name of the tokens it holds ends the session at once (its storage too: a reload restores nothing) on the next call's path: a frame's stored renewal is taken instead (`renewedBeside`).
  if (lock.perTab) tabs?.hear(async () => { const held = cache.peek(); if (held && (await tabs.spent(namedBy(held.tokens)))) await source.get().catch(() => undefined); });
  const signOut = ctx.signOut;
  // `@org/okta-oauth`'s credential: `credential.signOut()` is `signOut(client, credential)`.
  return signOut === undefined ? credential : Object.assign(credential, { signOut: (signOutOptions?: SignOutOptions) => signOut(session, signOutOptions) });
}
