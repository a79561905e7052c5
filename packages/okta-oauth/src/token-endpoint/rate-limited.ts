import { parseRateLimit, type RateLimitInfo } from '@org/okta-auth-core';
import { rateLimitReason, rateLimitWait } from '@org/okta-auth-core/internal';
import { OktaOAuthError, type OktaOAuthErrorDetails } from '../errors.js';

/** What an OAuth endpoint's 429 said, by core's one readers. @internal */
export interface RateLimited {
  /** Its wait in ms (`rateLimitWait`: `X-Rate-Limit-Reset` against the answer's `Date`, else `Retry-After`); none when it says none. */
  readonly waitMs: number | undefined;
  /** Its `X-Rate-Limit-Limit`, `-Remaining` and `-Reset` (`parseRateLimit`): the `RATE_LIMITED` error's public `rateLimit`. */
  readonly rateLimit: RateLimitInfo;
  /** Why core did not wait it out, in the words of core's own `RATE_LIMITED` (`rateLimitReason`: "not retried (retry: false)"…). */
  readonly notWaited: string | undefined;
}

/** Reads what an OAuth endpoint's 429 said, and core's verdict on it ({@link RateLimited}). @internal */
export const readRateLimited = (response: Response): RateLimited => ({
  waitMs: rateLimitWait(response.headers),
  rateLimit: parseRateLimit(response.headers),
  notWaited: rateLimitReason(response),
});

/**
 * An error message's " (<host>, request <id>)": the host of the org the request went to (its
 * `origin`, the error's field), then the answer's `X-Okta-Request-Id` when it had one. @internal
 */
export const requestNote = ({ origin, requestId }: { readonly origin: string; readonly requestId?: string | undefined }): string =>
  ` (${new URL(origin).host}${requestId === undefined ? '' : `, request ${requestId}`})`;

/**
 * The wait each `RATE_LIMITED` said (its 429's), kept off the error's properties:
 * its public `rateLimit` has the reset, not the answer's `Date` to measure it against.
 */
const waits = new WeakMap<object, number | undefined>();

/**
 * The one `RATE_LIMITED` of this package: a 429 from one of Okta's OAuth endpoints (token,
 * revocation, introspection, device authorization) or the sign-in client's GETs (discovery, JWKS)
 * still answered after the allowed retries, with its `rateLimit` in the error's fields and its
 * wait kept for {@link rateLimitedWaitMs}. `who` is the message's subject ("Okta's revocation
 * endpoint"); the message goes on with the org's host and the answer's request id (`requestNote`), and core's reason
 * the 429 was not waited out (`notWaited`, the words of core's own `RATE_LIMITED`: the setting to raise). @internal
 */
export function rateLimitedError(details: OktaOAuthErrorDetails & Partial<RateLimited> & { readonly origin: string }, who = "Okta's token endpoint"): OktaOAuthError {
  const error = new OktaOAuthError('RATE_LIMITED', `${who} is still rate limiting this client${requestNote(details)}: ${details.notWaited ?? 'retried as often as allowed'}.`, details);
  waits.set(error, details.waitMs);
  return error;
}

/**
 * What the 429 behind a `RATE_LIMITED` said to wait, in ms (core's `rateLimitWait`:
 * `X-Rate-Limit-Reset` against its `Date` plus a second, else `Retry-After`); `undefined` for any
 * other error, or a 429 that said no wait. A device poll waits it before polling again. @internal
 */
export function rateLimitedWaitMs(error: unknown): number | undefined {
  // A WeakMap answers undefined for a key that cannot be one.
  return waits.get(error as object);
}
