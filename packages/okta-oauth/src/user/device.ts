import { schemeAndHost } from '@org/okta-auth-core/internal';
import type { SignInResult } from './callback.js';
import type { ClientContext } from './context.js';
import { deviceGrant, maxIntervalSeconds, pollDevice, readOnWait, type DevicePollOptions, type DevicePollState } from './device-poll.js';
import { isOktaOAuthError, configError, readOptions, type OktaOAuthError } from '../errors.js';
import { OktaSignInError } from './errors.js';
import { carriesRequestSecret, expectJsonObject, postOAuthForm, type JsonObject } from './http.js';
import { callScope } from './validate.js';

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
   * doubling wait when it stated none. {@link DevicePollOptions.onWait} is
   * told of each wait before it starts, with why (`interval`, `slow_down`,
   * `rate_limited`, `unreachable`) and how long: a wait of up to 600 s should
   * be said to the user; what it throws ends the poll as itself. The
   * `signal` ends it at once (`ABORTED`). Only one poll may run at a time. The denial and
   * the expiry end the sign-in: a later `poll()` rejects with the same error
   * without asking Okta again (start a new device sign-in). The tokens are
   * handed out once: a `poll()` after the one that resolved is
   * `INVALID_CONFIG`, asking nothing (they may have been renewed or signed out
   * since). Okta's answers about the user (`authorization_pending`,
   * `slow_down`, `access_denied`, `expired_token`) are read from a 400
   * (RFC 6749 §5.2), and `access_denied` from a 403 too (the status of Okta's
   * catalogue's entry): a 5xx or 429 whose body names one is a 5xx or a 429.
   */
  poll(options?: DevicePollOptions): Promise<SignInResult>;
}

/** The longest device code lifetime accepted: a day (Okta's is 10 minutes). */
const maxExpiresInSeconds = 86_400;
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
 * shows them (a terminal escape that rewrites the line, "… or go to https://evil.example"). A
 * `user_code` or URI (as handed out) that carries a secret of the request (`carriesSecret`: the
 * client's secret or assertion echoed) is refused too: it would be printed or rendered.
 */
function checkDeviceAnswer(
  ctx: ClientContext,
  answer: JsonObject,
  carriesSecret: (text: string) => boolean,
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
  const secretIn = (name: string, text: string): string => {
    if (carriesSecret(text)) throw refuse(`a ${name} that carries a secret of the request (the client's secret or assertion), which would be shown to the user`);
    return text;
  };
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
    return secretIn(name, url.href);
  };
  return {
    deviceCode: device_code,
    userCode: secretIn('user_code', user_code),
    expiresIn: expires_in,
    intervalSeconds: Math.max(1, interval),
    verificationUri: onOrg('verification_uri', verification_uri),
    verificationUriComplete: verification_uri_complete === undefined ? undefined : onOrg('verification_uri_complete', verification_uri_complete),
  };
}

/** @internal */
export async function startDeviceSignIn(ctx: ClientContext, given?: StartDeviceSignInOptions): Promise<DeviceSignIn> {
  const options = readOptions(given, 'startDeviceSignIn(options)');
  const scope = callScope(options, ctx.scope, 'startDeviceSignIn: scopes');
  const metadata = await ctx.discovery.get(options.signal);
  const startedAt = ctx.now();
  // Okta wants client_id in the body even with client authentication in a header.
  const response = await postOAuthForm(ctx, { endpoint: metadata.deviceAuthorizationEndpoint, what: 'device authorization endpoint', params: { scope }, clientIdInBody: true, signal: options.signal, grantType: deviceGrant });
  const { deviceCode, userCode, expiresIn, intervalSeconds, verificationUri, verificationUriComplete } = await expectJsonObject(response, 'the device authorization endpoint', (body) =>
    checkDeviceAnswer(ctx, body, (text) => carriesRequestSecret(ctx, response, text)),
  );
  const expiresAt = startedAt + expiresIn * 1000;
  let polling = false;
  /** The tokens were handed out: kept by no one here, never given twice (a credential may have renewed or signed them out). */
  let finished = false;
  /** A denial or an expiry ends the device sign-in (RFC 8628 §3.5): later polls give it again, asking nothing. */
  let ended: OktaOAuthError | undefined;
  /** What every poll shares: the interval grows with each slow_down and stays grown if polling is restarted. */
  const pollState: DevicePollState = { deviceCode, expiresAt, scope, metadata, intervalSeconds };

  return Object.freeze({
    userCode,
    verificationUri,
    verificationUriComplete,
    expiresAt,
    intervalSeconds,
    async poll(given?: DevicePollOptions): Promise<SignInResult> {
      const pollOptions = readOptions(given, 'poll(options)');
      const onWait = readOnWait(pollOptions.onWait);
      if (finished) throw configError('This device sign-in already finished: its first poll() handed out the tokens, which are not given twice; start a new device sign-in.');
      if (ended !== undefined) throw ended;
      if (polling) throw configError('This device sign-in is already being polled: await the first poll().');
      polling = true;
      try {
        const result = await pollDevice(ctx, pollState, pollOptions.signal, onWait);
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
