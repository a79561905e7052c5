import type { SignInResult } from './callback.js';
import { claimsOf, requestTokens, type ClientContext } from './context.js';
import { isOktaOAuthError } from '../errors.js';
import { OktaSignInError } from './errors.js';
import type { UserTokens } from './tokens.js';
import { expectJsonObject, formPost, oauthErrorFromResponse, send } from './http.js';
import { normalizeScope } from './validate.js';

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
  /** The code the user types at the verification URI. */
  readonly userCode: string;
  /** Where the user goes on another device. */
  readonly verificationUri: string;
  /** The verification URI with the user code filled in, when Okta sends one. */
  readonly verificationUriComplete: string | undefined;
  /** When the device code expires, epoch milliseconds. */
  readonly expiresAt: number;
  /** The polling interval Okta asked for, in seconds (5 when it did not say). */
  readonly intervalSeconds: number;
  /**
   * Polls the token endpoint until the user approves (resolves with the
   * tokens), denies (`ACCESS_DENIED`) or the code expires
   * (`DEVICE_CODE_EXPIRED`). Waits `interval` between polls and 5 s more
   * after each `slow_down`. Only one poll may run at a time.
   */
  poll(options?: DevicePollOptions): Promise<SignInResult>;
}

const deviceGrant = 'urn:ietf:params:oauth:grant-type:device_code';

/** @internal */
export async function startDeviceSignIn(ctx: ClientContext, options: StartDeviceSignInOptions = {}): Promise<DeviceSignIn> {
  const scope = options.scopes === undefined ? ctx.scope : normalizeScope(options.scopes, 'startDeviceSignIn: scopes');
  const metadata = await ctx.discovery.get(options.signal);
  const endpoint = metadata.deviceAuthorizationEndpoint;
  const startedAt = ctx.now();
  const response = await send(
    ctx.http,
    async ({ signal }) => {
      const body = new URLSearchParams({ scope });
      const headers = new Headers();
      await ctx.clientAuth.apply({ tokenEndpoint: endpoint, body, headers, nowSeconds: ctx.clock.nowSeconds() });
      // Okta wants client_id in the body even with client authentication in a header.
      body.set('client_id', ctx.clientId);
      return formPost(endpoint, body, headers, signal);
    },
    options.signal,
  );
  if (!response.ok) throw await oauthErrorFromResponse(response, 'device authorization endpoint');
  const body = await expectJsonObject(response, 'the device authorization endpoint');
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval } = body;
  if (
    typeof device_code !== 'string' ||
    device_code === '' ||
    typeof user_code !== 'string' ||
    typeof verification_uri !== 'string' ||
    typeof expires_in !== 'number' ||
    !(expires_in > 0) ||
    !(verification_uri_complete === undefined || typeof verification_uri_complete === 'string') ||
    !(interval === undefined || (typeof interval === 'number' && interval >= 0))
  ) {
    throw new OktaSignInError('INVALID_RESPONSE', "Okta's device authorization answer lacks device_code, user_code, verification_uri or expires_in.");
  }
  const expiresAt = startedAt + expires_in * 1000;
  // Never poll back to back: an interval under a second (0 included) is taken as one second.
  const intervalSeconds = Math.max(1, interval ?? 5);
  let polling = false;
  let finished: SignInResult | undefined;
  /** Seconds between polls; grows with each slow_down and stays grown if polling is restarted. */
  let wait = intervalSeconds;

  async function pollOnce(signal: AbortSignal | undefined): Promise<SignInResult> {
    for (;;) {
      await ctx.sleep(wait * 1000, signal);
      if (ctx.now() >= expiresAt) {
        throw new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.');
      }
      let tokens: UserTokens;
      try {
        tokens = await requestTokens(ctx, { grant_type: deviceGrant, device_code: device_code as string, client_id: ctx.clientId }, { signal });
      } catch (error) {
        if (!isOktaOAuthError(error) || error.code !== 'TOKEN_REQUEST_FAILED') throw error;
        if (error.error === 'authorization_pending') continue;
        if (error.error === 'slow_down') {
          // RFC 8628 §3.5: the interval grows by 5 s for this and all later requests.
          wait += 5;
          continue;
        }
        const details = { error: error.error, error_description: error.error_description, status: error.status, requestId: error.requestId };
        if (error.error === 'expired_token') {
          throw new OktaSignInError('DEVICE_CODE_EXPIRED', 'The device code expired before the user approved the sign-in: start a new device sign-in.', details);
        }
        if (error.error === 'access_denied') throw new OktaSignInError('ACCESS_DENIED', 'The user (or a policy) denied the device sign-in.', details);
        throw error;
      }
      const claims = await claimsOf(ctx, metadata, tokens, { requireIdToken: scope.split(' ').includes('openid'), signal });
      return Object.freeze({ tokens, claims });
    }
  }

  return Object.freeze({
    userCode: user_code,
    verificationUri: verification_uri,
    verificationUriComplete: verification_uri_complete,
    expiresAt,
    intervalSeconds,
    async poll(pollOptions: DevicePollOptions = {}): Promise<SignInResult> {
      if (finished !== undefined) return finished;
      if (polling) throw new OktaSignInError('INVALID_CONFIG', 'This device sign-in is already being polled: await the first poll().');
      polling = true;
      try {
        finished = await pollOnce(pollOptions.signal);
        return finished;
      } finally {
        polling = false;
      }
    },
  });
}
