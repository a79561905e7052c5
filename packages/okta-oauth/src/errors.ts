import { OktaAuthError, type RateLimitInfo } from '@org/okta-auth-core';
import type { OktaSignInErrorCode } from './user/errors.js';
import { brandError, isBrandedError, readOptions as readCoreOptions } from '@org/okta-auth-core/internal';

/**
 * Why an `@org/okta-oauth` operation failed, for an exhaustive `switch`.
 *
 * - `INVALID_CONFIG`: an option or environment variable is missing or malformed (the message names it).
 * - `INVALID_KEY`: the client private key cannot be used: not a private key, RSA under 2048 bits,
 *   an unsupported type or curve, or an `algorithm` that does not match the key.
 * - `TOKEN_REQUEST_FAILED`: the token endpoint refused the request, or could not answer it (a 5xx, not sent again; a device sign-in polls on), in the words of every OAuth endpoint: "Okta's token endpoint refused the token request (400 invalid_grant): <description>.<hint> (request <id>)"; {@link OktaOAuthError.error}
 *   holds the OAuth error code (`invalid_client`, `invalid_scope`, `invalid_dpop_proof`, …).
 * - `INVALID_TOKEN_RESPONSE`: the token endpoint answered 2xx with something that is not a usable
 *   token (not JSON, no `access_token`, a bad `expires_in` or `token_type`). Nothing is cached.
 * - `DPOP_NOT_BOUND`: `dpop: 'required'` but Okta issued a Bearer token (no silent downgrade).
 * - `RATE_LIMITED`: an OAuth endpoint (token, revocation, introspection, device authorization) or
 *   the sign-in client's discovery or JWKS request still answered 429 after the allowed retries (the
 *   message names which); {@link OktaOAuthError.rateLimit} holds its `X-Rate-Limit-*` headers. A request
 *   a `rateLimitCoordinator` kept back, Okta having said its window is spent, was never sent: that is core's
 *   `OktaApiError` `RATE_LIMITED` ("nothing was sent", the setting to raise), as a network failure is core's.
 * - The user sign-in codes (`STATE_MISMATCH`, `LOGIN_REQUIRED`, `ID_TOKEN_INVALID`, …), carried by
 *   the subclass `OktaSignInError`; see `OktaSignInErrorCode`.
 *
 * Transport failures (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`) arrive as the core's
 * `OktaAuthError`, and API answers (an `insufficient_scope` 403, naming the missing scope in
 * its message) as the core's `OktaApiError`; use `isOktaAuthError` to catch them all.
 *
 * @example
 * ```ts
 * function advice(code: OAuthErrorCode): string {
 *   switch (code) {
 *     case 'INVALID_KEY': return 'check the private key';
 *     case 'TOKEN_REQUEST_FAILED': return 'see error.error';
 *     default: return 'see the message';
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export type OAuthErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_KEY'
  | 'TOKEN_REQUEST_FAILED'
  | 'INVALID_TOKEN_RESPONSE'
  | 'DPOP_NOT_BOUND'
  | 'RATE_LIMITED'
  | OktaSignInErrorCode;

const brand = '@org/okta-oauth/error';

/**
 * The details an {@link OktaOAuthError} may carry. All of them are safe to log.
 *
 * @example
 * ```ts
 * const details: OktaOAuthErrorDetails = { error: 'invalid_client', status: 401, requestId: 'req-1' };
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface OktaOAuthErrorDetails {
  /** The OAuth error code Okta sent (`invalid_client`, `use_dpop_nonce`, `insufficient_scope`, …). */
  readonly error?: string | undefined;
  /** Okta's human-readable `error_description`, scrubbed of any secret. */
  readonly error_description?: string | undefined;
  /** The HTTP status of the answer that caused the error. */
  readonly status?: number | undefined;
  /** Okta's `X-Okta-Request-Id`, for Okta support and the System Log. */
  readonly requestId?: string | undefined;
  /** The org the request went to: its scheme and host (`https://acme.okta.com`), as sent. */
  readonly origin?: string | undefined;
  /** A `RATE_LIMITED` 429's `X-Rate-Limit-*` headers (core's `parseRateLimit`). */
  readonly rateLimit?: RateLimitInfo | undefined;
  /** Kept when it holds no secret. */
  readonly cause?: unknown;
}

/**
 * The base error class of `@org/okta-oauth` (user sign-in flows throw its subclass
 * `OktaSignInError`, whose `code` is narrowed to the sign-in codes). `code` says what went wrong; for OAuth errors,
 * `error`, `error_description`, `status` and `requestId` say what Okta answered, and `origin` which org.
 *
 * No client secret, private key, client assertion, DPoP proof or token ever appears in the
 * message or any property.
 *
 * @example
 * ```ts
 * try {
 *   await okta('/api/v1/users');
 * } catch (error) {
 *   if (isOktaOAuthError(error) && error.code === 'TOKEN_REQUEST_FAILED' && error.error === 'invalid_client') {
 *     console.error(`Check the app's key (request ${error.requestId}): ${error.error_description}`);
 *   }
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OktaOAuthError extends OktaAuthError<OAuthErrorCode> {
  /** The class name (`OktaOAuthError` or `OktaSignInError`). */
  override name = 'OktaOAuthError';
  /** The OAuth error code Okta sent, such as `invalid_client`. */
  declare readonly error: string | undefined;
  /** Okta's `error_description`, scrubbed of secrets. */
  declare readonly error_description: string | undefined;
  /** HTTP status of the answer, when there was one. */
  declare readonly status: number | undefined;
  /** `X-Okta-Request-Id` of the answer, when there was one. */
  declare readonly requestId: string | undefined;
  /**
   * The org whose OAuth endpoint answered: its scheme and host (`https://acme.okta.com`), as the
   * request went (never what the answer said), when there was an answer; the message names its host.
   * Among many orgs (`createMultiOrgCredentials`), the tenant that failed.
   *
   * @example
   * ```ts
   * if (isOktaOAuthError(error) && error.error === 'invalid_client') console.error(`Rotate the secret of ${error.origin}`); // of https://acme.okta.com
   * ```
   * @see https://developer.okta.com/docs/guides/build-api-integration/main/
   */
  declare readonly origin: string | undefined;
  /**
   * On `RATE_LIMITED` (from any OAuth endpoint, discovery or the JWKS): its last 429's `X-Rate-Limit-Limit`, `-Remaining` and
   * `-Reset` (UTC epoch seconds, Okta's clock), the three numbers core's `OktaApiError.rateLimit`
   * holds (`{}` when the 429 sent none); `undefined` on every other error.
   *
   * @example
   * ```ts
   * if (isOktaOAuthError(error) && error.code === 'RATE_LIMITED' && error.rateLimit?.reset !== undefined) {
   *   console.log(`Okta's window resets at ${new Date(error.rateLimit.reset * 1000).toISOString()} (Okta's clock)`);
   * }
   * ```
   * @see https://developer.okta.com/docs/reference/rl-best-practices/
   */
  declare readonly rateLimit: RateLimitInfo | undefined;

  constructor(code: OAuthErrorCode, message: string, details: OktaOAuthErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    const { error, error_description, status, requestId, origin, rateLimit } = details;
    Object.assign(this, { error, error_description, status, requestId, origin, rateLimit });
    brandError(this, brand);
  }
}

/**
 * Cross-realm type guard for {@link OktaOAuthError}: works across duplicated installs,
 * iframes and workers, where `instanceof` does not.
 *
 * @example
 * ```ts
 * if (isOktaOAuthError(error) && error.code === 'DPOP_NOT_BOUND') {
 *   console.error('Turn on "Require DPoP" for the app, or use dpop: "auto"');
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function isOktaOAuthError(error: unknown): error is OktaOAuthError {
  return isBrandedError(error, OktaOAuthError, brand);
}

/** An OAuth error's fields (`error`, `error_description`, `status`, `requestId`), as another error's details. @internal */
export function oauthDetails({ error, error_description, status, requestId }: OktaOAuthErrorDetails): OktaOAuthErrorDetails {
  return { error, error_description, status, requestId };
}

/** Shorthand for configuration errors. @internal */
export function configError(message: string): OktaOAuthError {
  return new OktaOAuthError('INVALID_CONFIG', message);
}

/** Core's one reading of an optional options argument (`null` is none), refused as this package's INVALID_CONFIG naming `what`. @internal */
export const readOptions = <T extends object>(value: T | null | undefined, what: string): Partial<T> => readCoreOptions(value, what, configError);
