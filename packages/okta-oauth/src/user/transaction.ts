import { sha256Base64url } from '@org/okta-auth-core/internal';
import { OktaSignInError } from './errors.js';
import { isValidCodeVerifier } from './pkce.js';

/**
 * What {@link SignInClient.startSignIn} hands you to keep until the
 * callback: plain JSON. It holds the PKCE code verifier, so keep it where
 * only this user's session can read it (a server-side session, an encrypted
 * cookie, the tab's `sessionStorage`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @example
 * ```ts
 * const { url, transaction } = await client.startSignIn();
 * req.session.signIn = transaction; // JSON-serialisable
 * // … on the callback: out of the session first (one use: a replayed callback sends no code again).
 * const kept = req.session.signIn;
 * delete req.session.signIn;
 * if (kept !== undefined) await client.finishSignIn(req.originalUrl, kept);
 * ```
 */
export interface SignInTransaction {
  /** The `state` the callback must carry. */
  readonly state: string;
  /** The nonce the ID token must carry. */
  readonly nonce: string;
  /** The PKCE code verifier (secret until the code is exchanged). */
  readonly codeVerifier: string;
  /** The redirect URI the sign-in used. */
  readonly redirectUri: string;
  /** When the sign-in started, epoch milliseconds. */
  readonly createdAt: number;
  /** The scopes asked for, space separated. */
  readonly scope: string;
  /** `max_age` asked for, in seconds, if any. */
  readonly maxAge?: number;
  /** `acr_values` asked for (`acrValues`), if any: the ID token's `acr` must be one of them. Absent from one an earlier version started. */
  readonly acrValues?: string;
  /**
   * The org origin of the client that started it (its `origin`): another org's client refuses it
   * (`INVALID_TRANSACTION`). Absent from one an earlier version started (kept across a deploy): taken.
   */
  readonly origin?: string;
  /** The client id of the client that started it: another client refuses it, as `origin`. */
  readonly clientId?: string;
}

/** Whether `value` parses as an absolute URL, as every redirect URI does (the callback is compared with it). */
function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a transaction's shape (it may come back from storage or a cookie), and that `owner` (the
 * client finishing it) started it: another org's or client's would send this sign-in's code and PKCE
 * verifier to its token endpoint (mix-up, RFC 9700 §4.4). One without `origin` and `clientId` (stored
 * by an earlier version) is taken: the defence is against a hostile org, not the app's own session. @internal
 */
export function checkTransaction(value: unknown, owner: { readonly origin: string; readonly clientId: string }): SignInTransaction {
  const t = value as Partial<Record<keyof SignInTransaction, unknown>> | null;
  const text = (x: unknown) => typeof x === 'string' && x.length >= 16 && x.length <= 512;
  if (
    typeof t !== 'object' ||
    t === null ||
    !text(t.state) ||
    !text(t.nonce) ||
    !isValidCodeVerifier(t.codeVerifier) ||
    !isAbsoluteUrl(t.redirectUri) ||
    typeof t.createdAt !== 'number' ||
    !Number.isFinite(t.createdAt) ||
    typeof t.scope !== 'string' ||
    !(t.maxAge === undefined || (typeof t.maxAge === 'number' && Number.isInteger(t.maxAge) && t.maxAge >= 0)) ||
    !(t.acrValues === undefined || typeof t.acrValues === 'string')
  ) {
    throw new OktaSignInError('INVALID_TRANSACTION', 'The sign-in transaction is malformed: pass the transaction startSignIn returned, unchanged.');
  }
  checkOwner(t, owner);
  return t as SignInTransaction;
}

/**
 * Refuses a transaction, of any shape, that names another client than `owner` (its `origin` or
 * `clientId` present and not `owner`'s, compared exactly: this client wrote its own): read before a
 * stored one is used up, as it is another client's to finish (a storage shared by clients of several
 * orgs with one client id). @internal
 */
export function checkOwner(value: unknown, owner: { readonly origin: string; readonly clientId: string }): void {
  const t = value as { readonly origin?: unknown; readonly clientId?: unknown } | null;
  // Absent (an earlier version's) or this client's own: anything else (another's, or no string) is refused.
  const mine = (x: unknown, own: string) => x === undefined || x === own;
  if (typeof t === 'object' && t !== null && (!mine(t.origin, owner.origin) || !mine(t.clientId, owner.clientId))) {
    throw new OktaSignInError('INVALID_TRANSACTION', 'The sign-in transaction was started by another client (another org or client id): finish the sign-in with the client that started it.');
  }
}

/**
 * Whether a transaction made at `createdAt` is past its age at `nowMs`: older than `maxAgeSeconds`,
 * or started more than `skewSeconds` in the future (its `createdAt` was written by this app's clock,
 * so a later one is a tampered or forged transaction that would otherwise never expire). @internal
 */
export function isExpired(createdAt: number, nowMs: number, maxAgeSeconds: number, skewSeconds: number): boolean {
  const age = nowMs - createdAt;
  return age > maxAgeSeconds * 1000 || age < -skewSeconds * 1000;
}

/**
 * Refuses a transaction past its age ({@link isExpired}) at its callback, saying which: too old, or dated in the future,
 * by how many seconds (a fleet whose host that finishes the sign-in has a clock behind the one that started it by more
 * than `clockSkewSeconds`, or a forged date). @internal
 */
export function checkTransactionAge(t: SignInTransaction, nowMs: number, maxAgeSeconds: number, skewSeconds: number): void {
  if (!isExpired(t.createdAt, nowMs, maxAgeSeconds, skewSeconds)) return;
  const ahead = Math.round((t.createdAt - nowMs) / 1000);
  throw new OktaSignInError(
    'INVALID_TRANSACTION',
    nowMs < t.createdAt
      ? `The sign-in transaction is dated ${ahead} s in the future: the clock of the host that started it is ahead of this one's by more than clockSkewSeconds (${skewSeconds} s). Sync the clocks, then start a new sign-in.`
      : `The sign-in transaction is older than ${maxAgeSeconds} s: start a new sign-in.`,
  );
}

/**
 * The id a transaction is stored under: its state's SHA-256, so no storage key names a state
 * (a full storage's `QuotaExceededError` quotes the key; a shared store lists keys in clear). @internal
 */
export const transactionId = (state: string): Promise<string> => sha256Base64url(state);

/** The storage key of a transaction, by its {@link transactionId}. @internal */
export function transactionKey(clientId: string, id: string): string {
  return `okta-oauth:${clientId}:transaction:${id}`;
}
