import { isOktaAuthError, type OktaAuthError } from '@org/okta-auth-core';
import { anySignal, isThenable, waitFor } from '@org/okta-auth-core/internal';
import type { SignInResult } from './callback.js';
import { requestTokens, signInClaims, type ClientContext } from './context.js';
import type { OrgServerMetadata } from './discovery.js';
import { isOktaOAuthError, configError, oauthDetails, type OktaOAuthError } from '../errors.js';
import { OktaSignInError } from './errors.js';
import type { UserTokens } from './tokens.js';
import { rateLimitedWaitMs } from '../token-endpoint/rate-limited.js';
import type { GrantAnswer } from '../token-endpoint/token-endpoint.js';

/**
 * Why a device poll waits before its next request ({@link DevicePollWait}): `interval`, the routine
 * wait Okta asked for (before the first poll and after each `authorization_pending`); `slow_down`,
 * Okta asked to poll more slowly (the interval grew by 5 s); `rate_limited`, a 429 outlived the
 * `retry` budget; `unreachable`, the token endpoint could not be reached (a dropped connection, an
 * attempt's timeout, a 5xx answer).
 * @example
 * ```ts
 * const routine = (reason: DevicePollWaitReason) => reason === 'interval';
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export type DevicePollWaitReason = 'interval' | 'slow_down' | 'rate_limited' | 'unreachable';

/**
 * A wait of {@link DeviceSignIn.poll} before its next request, as {@link DevicePollOptions.onWait}
 * is told of it. Holds no secret (the device code is not in it, nor in its error).
 * @example
 * ```ts
 * const say = ({ reason, waitMs }: DevicePollWait) => {
 *   if (reason !== 'interval') console.error(`Okta is slow to answer (${reason}); next check in ${Math.ceil(waitMs / 1000)} s.`);
 * };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */
export interface DevicePollWait {
  /** Why it waits. */
  readonly reason: DevicePollWaitReason;
  /** How long it waits before the next request, in ms: never past the code's expiry (then the poll ends with `DEVICE_CODE_EXPIRED`). */
  readonly waitMs: number;
  /** The polling interval now, in seconds: Okta's, grown 5 s by each `slow_down` (at most 600). */
  readonly intervalSeconds: number;
  /** When the device code expires, epoch milliseconds (the device sign-in's `expiresAt`). */
  readonly expiresAt: number;
  /**
   * For `rate_limited` and `unreachable`, the poll's error (`RATE_LIMITED`; core's `NETWORK_ERROR`
   * or `TIMEOUT`, or `TOKEN_REQUEST_FAILED` with its 5xx `status`), as its `error` log event has
   * it; `undefined` for the others.
   */
  readonly error: OktaAuthError | OktaOAuthError | undefined;
}

/**
 * Options of {@link DeviceSignIn.poll}.
 * @example
 * ```ts
 * const device = await client.startDeviceSignIn();
 * const { tokens } = await device.poll({
 *   signal: AbortSignal.timeout(600_000),
 *   onWait: ({ reason, waitMs }) => {
 *     if (reason !== 'interval') console.error(`Still waiting (${reason}): next check in ${Math.ceil(waitMs / 1000)} s.`);
 *   },
 * });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 */
export interface DevicePollOptions {
  /** Stops polling with `ABORTED` (the user gave up, the CLI got Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Told of each wait before it starts (none once the code has expired or the `signal` aborted: the poll ends), `interval`
   * ones included (filter them out for a quieter report), with why, how long, the interval and the expiry ({@link DevicePollWait}): a `slow_down`,
   * a 429 or an unreachable endpoint may hold the next check for up to 600 s, which a user should
   * be told about. Called synchronously: if it throws, `poll()` ends with that very error (any
   * value thrown, as itself) before the wait, asking Okta nothing more; the device sign-in is not
   * ended by it (a later `poll()` goes on). A promise it returns (an `async` callback) is not
   * awaited (the waits are Okta's pace, not the callback's), but its rejection ends `poll()` the
   * same way, with that very error: a wait is cut short at once; a poll request in flight is let
   * finish (Okta may be issuing the tokens), and any answer but the tokens ends `poll()` with it. One
   * that comes after `poll()` got its tokens (from that request too) or ended is dropped (never an
   * unhandled rejection). `null` is none; anything else but a function is `INVALID_CONFIG`.
   */
  readonly onWait?: ((state: DevicePollWait) => unknown) | undefined;
}

/** What one device sign-in's polls share: its code, expiry and scope, and the interval, which slow_down grows for every later poll. @internal */
export interface DevicePollState {
  readonly deviceCode: string;
  readonly expiresAt: number;
  readonly scope: string;
  readonly metadata: OrgServerMetadata;
  /** Seconds between polls; grows with each slow_down and stays grown if polling is restarted. */
  intervalSeconds: number;
}

/** The device grant's `grant_type` (RFC 8628 §3.4). @internal */
export const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
/** The longest polling interval accepted: 10 minutes (Okta asks for 5 s); slow_down, a 429 and the backoff grow the wait up to this too. @internal */
export const maxIntervalSeconds = 600;

/**
 * A refused device poll as the caller gets it, and its log names (`requestToken`'s `refine`): the
 * user's denial `ACCESS_DENIED`, an expired code `DEVICE_CODE_EXPIRED`, anything else as it is.
 */
function deviceOutcome(refused: OktaOAuthError): unknown {
  const details = oauthDetails(refused);
  if (refused.error === 'expired_token') {
    return new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.', details);
  }
  if (refused.error === 'access_denied') return new OktaSignInError('ACCESS_DENIED', 'The user (or a policy) denied the device sign-in: to sign in after all, start a new device sign-in.', details);
  return refused;
}

/**
 * A device poll's answers about the user (`requestToken`'s `answer`, RFC 8628 §3.5), in a 400: "not yet"
 * (`authorization_pending`, `slow_down`) polls on, `access_denied` and `expired_token` end the
 * sign-in; `access_denied` in a 403 too, the status of the one plain `access_denied` in Okta's error
 * catalogue. None is retried for clock skew (a re-signed retry would only poll again too soon, or
 * after the sign-in ended). To any other grant they are a failure, logged as one.
 */
const pollAnswer: GrantAnswer = (error, status) =>
  status === 403 && error === 'access_denied'
    ? false
    : status !== 400
      ? undefined
      : error === 'authorization_pending' || error === 'slow_down' ? true : error === 'access_denied' || error === 'expired_token' ? false : undefined;

/**
 * A device poll that did not reach the token endpoint, or reached a failing one: a dropped
 * connection (core's `NETWORK_ERROR`), an attempt's `timeoutMs` (`TIMEOUT`; the caller's signal is
 * `ABORTED`, never this), or a 5xx answer (`TOKEN_REQUEST_FAILED` with its status: Okta's 503 is
 * transient). A token POST is never resent by the transport, so polling sends the next one.
 */
function unreachable(error: unknown): error is OktaAuthError | OktaOAuthError {
  if (isOktaOAuthError(error)) return error.code === 'TOKEN_REQUEST_FAILED' && (error.status ?? 0) >= 500;
  return isOktaAuthError(error) && (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT');
}

/** `poll(options)`'s `onWait`, as read. @internal */
export type OnWait = NonNullable<DevicePollOptions['onWait']>;

/** Reads `poll(options)`'s `onWait`: `undefined` or `null` is none, a function is kept, anything else refused. @internal */
export function readOnWait(onWait: unknown): OnWait | undefined {
  if (onWait === undefined || onWait === null) return undefined;
  if (typeof onWait !== 'function') throw configError(`poll(options): onWait must be a function called before each wait, not ${Array.isArray(onWait) ? 'an array' : typeof onWait === 'object' ? 'an object' : `a ${typeof onWait}`}.`);
  return onWait as OnWait;
}

/**
 * The promises `onWait` returned, followed without being awaited: the first rejection aborts the
 * poll's own signal (the caller's, followed), which ends its wait, and `check()` then throws it, as
 * itself. Its token requests follow the caller's signal alone: one in flight is let finish, so
 * tokens Okta issued are handed out, never lost with the device code spent. After the poll, `end()` leaves the caller's signal; a later rejection is dropped.
 */
function followOnWait(signal: AbortSignal | undefined) {
  const own = new AbortController();
  let failed: { readonly error: unknown } | undefined;
  return {
    signal: signal === undefined ? own.signal : anySignal(signal, own),
    told(returned: unknown): void {
      // A thenable's own `then` may throw or call back twice: Promise.resolve makes it one handled promise.
      if (returned !== undefined) {
        Promise.resolve(returned).then(undefined, (error: unknown) => {
          failed ??= { error };
          own.abort();
        });
      }
    },
    check(): void {
      if (failed !== undefined) throw failed.error;
    },
    end(): void {
      own.abort();
    },
  };
}

/**
 * Polls the token endpoint until the user approves, denies or the code expires (RFC 8628 §3.4,
 * §3.5): {@link DeviceSignIn.poll}'s loop, after its checks. @internal
 */
export async function pollDevice(ctx: ClientContext, state: DevicePollState, signal: AbortSignal | undefined, onWait: OnWait | undefined): Promise<SignInResult> {
  const user = followOnWait(signal);
  try {
    return await pollUntilAnswered(ctx, state, signal, onWait, user);
  } finally {
    user.end();
  }
}

async function pollUntilAnswered(
  ctx: ClientContext,
  state: DevicePollState,
  signal: AbortSignal | undefined,
  onWait: OnWait | undefined,
  user: ReturnType<typeof followOnWait>,
): Promise<SignInResult> {
  const { deviceCode, expiresAt, scope, metadata } = state;
  /** Seconds before the next poll after consecutive failures to reach the token endpoint or 429s; none after any other answer. */
  let backoff: number | undefined;
  /** Why the next wait comes, and the error behind it: told to onWait. */
  let reason: DevicePollWaitReason = 'interval';
  let cause: OktaAuthError | OktaOAuthError | undefined;
  for (;;) {
    // Never sleep past the code's expiry (nor beyond what a timer can hold).
    const waitMs = Math.min((backoff ?? state.intervalSeconds) * 1000, Math.max(0, expiresAt - ctx.now()));
    // User code: what it throws ends the poll as itself, before the wait; a promise it returns is not awaited, its rejection ends the poll as itself (`user`).
    // Not told of a wait an abort ends before it starts (the sleep, or the request after it, is ABORTED).
    if (onWait !== undefined && waitMs > 0 && signal?.aborted !== true) user.told(onWait(Object.freeze({ reason, waitMs, intervalSeconds: state.intervalSeconds, expiresAt, error: cause })));
    [reason, cause] = ['interval', undefined];
    // User code too (the `sleep` option): what it throws or rejects with ends the poll as itself; the poll's signal (the
    // caller's, followed) ends the wait even when the sleep ignores it or never settles (ABORTED with the caller's reason,
    // or onWait's rejection through `check()`), its late outcome handled.
    try {
      const slept = ctx.sleep(waitMs, user.signal);
      // Not a promise: awaiting it would poll Okta in a tight loop.
      if (!isThenable(slept)) throw configError('sleep must return a promise that resolves after the wait (ms); it returned none.');
      await waitFor(Promise.resolve(slept), user.signal);
    } finally {
      user.check();
    }
    if (ctx.now() >= expiresAt) {
      throw new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.');
    }
    let tokens: UserTokens;
    try {
      // The caller's signal only: onWait's rejection must not abandon tokens Okta is issuing (they are handed out, the rejection dropped).
      tokens = await requestTokens(ctx, { grant_type: deviceGrant, device_code: deviceCode, client_id: ctx.clientId }, { signal, refine: deviceOutcome, answer: pollAnswer });
    } catch (error) {
      user.check();
      // RFC 8628 §3.5: the token endpoint could not be reached (each failure keeps its log event):
      // poll again, the wait doubling each consecutive time, bounded by the code's expiry.
      if (unreachable(error) && signal?.aborted !== true) {
        backoff = Math.min((backoff ?? state.intervalSeconds) * 2, maxIntervalSeconds);
        [reason, cause] = ['unreachable', error];
        continue;
      }
      // A 429 that outlived core's retries: poll more slowly, as slow_down asks (RFC 8628 §3.5), never give
      // up while the user may be approving. Its wait (at least the interval, at most 600 s), else the backoff.
      if (isOktaAuthError(error) && error.code === 'RATE_LIMITED' && signal?.aborted !== true) {
        const said = rateLimitedWaitMs(error);
        backoff = Math.min(said === undefined ? (backoff ?? state.intervalSeconds) * 2 : Math.max(state.intervalSeconds, said / 1000), maxIntervalSeconds);
        // RATE_LIMITED is a code of both core's and this package's errors.
        [reason, cause] = ['rate_limited', error as OktaAuthError | OktaOAuthError];
        continue;
      }
      backoff = undefined;
      // Only the "not yet" answers come back as TOKEN_REQUEST_FAILED to poll on (they end no log), in a 400 alone (RFC 6749 §5.2).
      if (!isOktaOAuthError(error) || error.code !== 'TOKEN_REQUEST_FAILED' || error.status !== 400) throw error;
      if (error.error === 'authorization_pending') continue;
      if (error.error === 'slow_down') {
        // RFC 8628 §3.5: the interval grows by 5 s for this and all later requests.
        state.intervalSeconds = Math.min(state.intervalSeconds + 5, maxIntervalSeconds);
        reason = 'slow_down';
        continue;
      }
      throw error;
    }
    const claims = await signInClaims(ctx, metadata, tokens, { requireIdToken: scope.split(' ').includes('openid'), signal });
    return Object.freeze({ tokens, claims });
  }
}
