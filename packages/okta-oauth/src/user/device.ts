import { isOktaAuthError } from '@org/okta-auth-core';
import { schemeAndHost } from '@org/okta-auth-core/internal';
import type { SignInResult } from './callback.js';
import { claimsOf, requestTokens, type ClientContext } from './context.js';
import { isOktaOAuthError, configError, oauthDetails, readOptions, type OktaOAuthError } from '../errors.js';
import { OktaSignInError } from './errors.js';
import type { UserTokens } from './tokens.js';
import { expectJsonObject, postOAuthForm, type JsonObject } from './http.js';
import { normalizeScope } from './validate.js';
import { rateLimitedWaitMs } from '../token-endpoint/rate-limited.js';

/**
 * Options of {@link SignInClient.startDeviceSignIn}.
 * @example
 * ```ts
 * const device = await client.startDeviceSignIn({ scopes: ['openid', 'offline_access', 'okta.users.read'] });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.1
 */
export interface StartDeviceSignInOptions {
  /** Scopes for this sign-in instead of the client's. */
  readonly scopes?: readonly string[] | string | undefined;
  /** Aborts the device authorization request. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Options of {@link DeviceSignIn.poll}.
 * @example
 * ```ts
 * const device = await client.startDeviceSignIn();
 * const { tokens } = await device.poll({ signal: AbortSignal.timeout(600_000) });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.4
 */
export interface DevicePollOptions {
  /** Stops polling with `ABORTED` (the user gave up, the CLI got Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A device sign-in in progress (RFC 8628): show `userCode` and
 * `verificationUri` (or `verificationUriComplete`, as a link or QR code),
 * then `await poll()`.
 * @example
 * ```ts
 * const device = await client.startDeviceSignIn();
 * console.log(`Open ${device.verificationUri} and enter ${device.userCode}`);
 * const { tokens } = await device.poll();
 * ```
 * @see https://developer.okta.com/docs/guides/device-authorization-grant/main/
 */
export interface DeviceSignIn {
  /** The code the user types at the verification URI: letters and digits, in groups joined by one `-` or space (Okta's: 8 letters). */
  readonly userCode: string;
  /** Where the user goes on another device: a URL on the org, as its URL serialization (safe to print). */
  readonly verificationUri: string;
  /** The verification URI with the user code filled in, when Okta sends one (on the org, serialized likewise). */
  readonly verificationUriComplete: string | undefined;
  /** When the device code expires, epoch milliseconds. */
  readonly expiresAt: number;
  /** The polling interval Okta asked for, in seconds (5 when it did not say; at least 1, at most 600). */
  readonly intervalSeconds: number;
  /**
   * Polls the token endpoint until the user approves (resolves with the
   * tokens), denies (`ACCESS_DENIED`) or the code expires
   * (`DEVICE_CODE_EXPIRED`). Waits `interval` between polls and 5 s more
   * after each `slow_down`. A poll that cannot reach the token endpoint (a
   * dropped connection `NETWORK_ERROR`, an attempt's `TIMEOUT`, a 5xx answer)
   * does not end it (RFC 8628 §3.5): the next poll comes after a wait that
   * doubles each consecutive time (from the interval, at most 600 s), back to
   * the interval after any answer; there is no count of them, the code's
   * expiry bounds them (each failure is logged as an `error` event). A 429
   * that outlived the `retry` budget (`RATE_LIMITED`) does not end it either:
   * the next poll comes after the wait the 429 stated (`X-Rate-Limit-Reset`
   * or `Retry-After`; at least the interval, at most 600 s), or after the
   * doubling wait when it stated none. The
   * `signal` ends it at once (`ABORTED`). Only one poll may run at a time. The denial and
   * the expiry end the sign-in: a later `poll()` rejects with the same error
   * without asking Okta again (start a new device sign-in). The tokens are
   * handed out once: a `poll()` after the one that resolved is
   * `INVALID_CONFIG`, asking nothing (they may have been renewed or signed out
   * since).
   */
  poll(options?: DevicePollOptions): Promise<SignInResult>;
}

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';
/** The longest device code lifetime accepted: a day (Okta's is 10 minutes). */
const maxExpiresInSeconds = 86_400;
/** The longest polling interval accepted: 10 minutes (Okta asks for 5 s); slow_down grows it up to this too. */
const maxIntervalSeconds = 600;
/** The longest user code accepted (Okta's has 8 characters); it is shown to the user. */
const maxUserCodeLength = 64;
/** The longest verification URI accepted (Okta's has about 60 characters); it is shown to the user. */
const maxVerificationUriLength = 2048;

/**
 * Bounds and checks the numbers and URLs of a device authorization answer (RFC 8628 §3.2):
 * `expires_in` at most a day, `interval` at most 10 minutes (under a second is taken as one
 * second: never back-to-back polls), a `user_code` of at most 64 letters and digits (groups joined
 * by one `-` or space: no sentence, link or prompt of the answer's beside the URI), and
 * verification URIs on the org's origin (the user is sent there to type the code: another
 * origin would be a phishing page), of at most 2048 characters. The URIs are handed out as
 * their URL serialization, never as the answer's text: the URL parser drops tabs and line breaks
 * and percent-encodes spaces and control characters, which would otherwise reach the screen that
 * shows them (a terminal escape that rewrites the line, "… or go to https://evil.example").
 */
function checkDeviceAnswer(
  ctx: ClientContext,
  answer: JsonObject,
): { deviceCode: string; userCode: string; expiresIn: number; intervalSeconds: number; verificationUri: string; verificationUriComplete: string | undefined } {
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval: given } = answer;
  if (
    typeof device_code !== 'string' ||
    device_code === '' ||
    typeof user_code !== 'string' ||
    typeof verification_uri !== 'string' ||
    typeof expires_in !== 'number' ||
    !(verification_uri_complete === undefined || typeof verification_uri_complete === 'string')
  ) {
    throw new OktaSignInError('INVALID_RESPONSE', "Okta's device authorization answer lacks device_code, user_code, verification_uri or expires_in.");
  }
  const refuse = (what: string) => new OktaSignInError('INVALID_RESPONSE', `Okta's device authorization answer has ${what}; the device sign-in was not started.`);
  // Numbers only are quoted: a text is the server's, of any length.
  if (!(expires_in > 0 && expires_in <= maxExpiresInSeconds)) {
    throw refuse(`an unusable expires_in (${String(expires_in)} s; more than 0 and at most ${maxExpiresInSeconds} s is accepted)`);
  }
  if (given !== undefined && typeof given !== 'number') throw refuse('an interval that is not a number of seconds');
  const interval = given ?? 5;
  if (!(interval >= 0 && interval <= maxIntervalSeconds)) {
    throw refuse(`an unusable interval (${String(interval)} s; from 0 to ${maxIntervalSeconds} s is accepted)`);
  }
  // Letters and digits only (RFC 8628 §6.1: Okta's are 8 letters): the code is printed beside the verification URI,
  // and punctuation would let the answer add a sentence of its own there ("… If it fails, open https://evil.example").
  if (user_code.length > maxUserCodeLength || !/^[A-Za-z0-9]+(?:[- ][A-Za-z0-9]+)*$/.test(user_code)) {
    throw refuse(`a user_code that is empty, longer than ${maxUserCodeLength} characters or not letters and digits in groups joined by one - or space`);
  }
  if (device_code.length > 4096) throw refuse('a device_code longer than 4096 characters');
  const onOrg = (name: string, value: string): string => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (url === undefined || schemeAndHost(url) !== ctx.origin || url.username !== '' || url.password !== '') {
      throw refuse(`a ${name} that is not a URL on the org (${ctx.origin}): users must only be sent to the org to enter the code`);
    }
    if (url.href.length > maxVerificationUriLength) throw refuse(`a ${name} longer than ${maxVerificationUriLength} characters`);
    return url.href;
  };
  return {
    deviceCode: device_code,
    userCode: user_code,
    expiresIn: expires_in,
    intervalSeconds: Math.max(1, interval),
    verificationUri: onOrg('verification_uri', verification_uri),
    verificationUriComplete: verification_uri_complete === undefined ? undefined : onOrg('verification_uri_complete', verification_uri_complete),
  };
}

/**
 * A refused device poll as the caller gets it, and its log names (`requestToken`'s `refine`): the
 * user's denial `ACCESS_DENIED`, an expired code `DEVICE_CODE_EXPIRED`, anything else as it is.
 */
function deviceOutcome(refused: OktaOAuthError): unknown {
  const details = oauthDetails(refused);
  if (refused.error === 'expired_token') {
    return new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.', details);
  }
  if (refused.error === 'access_denied') return new OktaSignInError('ACCESS_DENIED', 'The user (or a policy) denied the device sign-in.', details);
  return refused;
}

/**
 * A device poll that did not reach the token endpoint, or reached a failing one: a dropped
 * connection (core's `NETWORK_ERROR`), an attempt's `timeoutMs` (`TIMEOUT`; the caller's signal is
 * `ABORTED`, never this), or a 5xx answer (`TOKEN_REQUEST_FAILED` with its status: Okta's 503 is
 * transient). A token POST is never resent by the transport, so polling sends the next one.
 */
function unreachable(error: unknown): boolean {
  if (isOktaOAuthError(error)) return error.code === 'TOKEN_REQUEST_FAILED' && (error.status ?? 0) >= 500;
  return isOktaAuthError(error) && (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT');
}

/** @internal */
export async function startDeviceSignIn(ctx: ClientContext, given?: StartDeviceSignInOptions): Promise<DeviceSignIn> {
  const options = readOptions(given, 'startDeviceSignIn(options)');
  const scope = options.scopes === undefined ? ctx.scope : normalizeScope(options.scopes, 'startDeviceSignIn: scopes');
  const metadata = await ctx.discovery.get(options.signal);
  const startedAt = ctx.now();
  // Okta wants client_id in the body even with client authentication in a header.
  const response = await postOAuthForm(ctx, { endpoint: metadata.deviceAuthorizationEndpoint, what: 'device authorization endpoint', params: { scope }, clientIdInBody: true, signal: options.signal, grantType: deviceGrant });
  const { deviceCode, userCode, expiresIn, intervalSeconds, verificationUri, verificationUriComplete } = await expectJsonObject(response, 'the device authorization endpoint', (body) =>
    checkDeviceAnswer(ctx, body),
  );
  const expiresAt = startedAt + expiresIn * 1000;
  let polling = false;
  /** The tokens were handed out: kept by no one here, never given twice (a credential may have renewed or signed them out). */
  let finished = false;
  /** A denial or an expiry ends the device sign-in (RFC 8628 §3.5): later polls give it again, asking nothing. */
  let ended: OktaOAuthError | undefined;
  /** Seconds between polls; grows with each slow_down and stays grown if polling is restarted. */
  let wait = intervalSeconds;

  async function pollOnce(signal: AbortSignal | undefined): Promise<SignInResult> {
    /** Seconds before the next poll after consecutive failures to reach the token endpoint or 429s; none after any other answer. */
    let backoff: number | undefined;
    for (;;) {
      // Never sleep past the code's expiry (nor beyond what a timer can hold).
      await ctx.sleep(Math.min((backoff ?? wait) * 1000, Math.max(0, expiresAt - ctx.now())), signal);
      if (ctx.now() >= expiresAt) {
        throw new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.');
      }
      let tokens: UserTokens;
      try {
        tokens = await requestTokens(ctx, { grant_type: deviceGrant, device_code: deviceCode, client_id: ctx.clientId }, { signal, refine: deviceOutcome });
      } catch (error) {
        // RFC 8628 §3.5: the token endpoint could not be reached (each failure keeps its log event):
        // poll again, the wait doubling each consecutive time, bounded by the code's expiry.
        if (unreachable(error) && signal?.aborted !== true) {
          backoff = Math.min((backoff ?? wait) * 2, maxIntervalSeconds);
          continue;
        }
        // A 429 that outlived core's retries: poll more slowly, as slow_down asks (RFC 8628 §3.5), never give
        // up while the user may be approving. Its wait (at least the interval, at most 600 s), else the backoff.
        if (isOktaAuthError(error) && error.code === 'RATE_LIMITED' && signal?.aborted !== true) {
          const said = rateLimitedWaitMs(error);
          backoff = Math.min(said === undefined ? (backoff ?? wait) * 2 : Math.max(wait, said / 1000), maxIntervalSeconds);
          continue;
        }
        backoff = undefined;
        // Only the "not yet" answers come back as TOKEN_REQUEST_FAILED to poll on (they end no log).
        if (!isOktaOAuthError(error) || error.code !== 'TOKEN_REQUEST_FAILED') throw error;
        if (error.error === 'authorization_pending') continue;
        if (error.error === 'slow_down') {
          // RFC 8628 §3.5: the interval grows by 5 s for this and all later requests.
          wait = Math.min(wait + 5, maxIntervalSeconds);
          continue;
        }
        throw error;
      }
      const claims = await claimsOf(ctx, metadata, tokens, { requireIdToken: scope.split(' ').includes('openid'), signal });
      return Object.freeze({ tokens, claims });
    }
  }

  return Object.freeze({
    userCode,
    verificationUri,
    verificationUriComplete,
    expiresAt,
    intervalSeconds,
    async poll(given?: DevicePollOptions): Promise<SignInResult> {
      const pollOptions = readOptions(given, 'poll(options)');
      if (finished) throw configError('This device sign-in already finished: its first poll() handed out the tokens, which are not given twice; start a new device sign-in.');
      if (ended !== undefined) throw ended;
      if (polling) throw configError('This device sign-in is already being polled: await the first poll().');
      polling = true;
      try {
        const result = await pollOnce(pollOptions.signal);
        finished = true;
        return result;
      } catch (error) {
        if (isOktaOAuthError(error) && (error.code === 'ACCESS_DENIED' || error.code === 'DEVICE_CODE_EXPIRED')) ended = error;
        throw error;
      } finally {
        polling = false;
      }
    },
  });
}
