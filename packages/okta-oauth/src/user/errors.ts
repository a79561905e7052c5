import { OktaOAuthError } from '../errors.js';
import { brandError, isBrandedError } from '@org/okta-auth-core/internal';

/**
 * Why a user sign-in operation failed, for `switch`.
 *
 * - `DISCOVERY_FAILED`: `/.well-known/openid-configuration` could not be read, or its `issuer` is not the org URL (a 429 past the retries is `RATE_LIMITED`).
 * - `INVALID_TRANSACTION`: the sign-in transaction is malformed (`null`, changed, a `redirectUri` that is no absolute URL, stored text that is not JSON),
 *   too old, dated in the future, or started by another client (another org or client id: finish it with the client that started it).
 * - `STATE_MISMATCH`: the callback's `state` is not the transaction's (a forged or crossed callback).
 * - `ISSUER_MISMATCH`: the callback's `iss` (RFC 9207) is missing where required or names another issuer (a mix-up attack).
 * - `INVALID_CALLBACK`: the callback URL has no `code` and no `error`, repeats a response parameter, is not a URL, or came to another address than
 *   the transaction's redirect URI (scheme, host, port, path, or the values of its own query: RFC 9700 §4.4).
 * - `ACCESS_DENIED`: the user (or a policy) refused: `error=access_denied` in the callback, or a 400 or 403 `access_denied` to a device poll.
 * - `LOGIN_REQUIRED`: sign in again: the refresh token was rejected (a 400 `invalid_grant`; a 5xx or 429 naming it keeps the tokens), or `prompt=none` found no session.
 * - `AUTHORIZATION_ERROR`: any other `error` in the callback (see {@link OktaSignInError.error}).
 * - `OAUTH_ERROR`: the revocation, introspection, PAR or device authorization endpoint answered with an error
 *   ("Okta's revocation endpoint refused the request (400 invalid_request): <description>. (request <id>)"; a 5xx "could not answer the request", sent once, not again; a 429 past
 *   the retries is the base class's `RATE_LIMITED`, with its `rateLimit`).
 * - `ID_TOKEN_INVALID`: the ID token failed validation (see {@link OktaSignInError.reason}).
 * - `DEVICE_CODE_EXPIRED`: the device code expired before the user approved it.
 * - `INVALID_RESPONSE`: Okta's answer could not be understood (not JSON, or a required field is missing).
 * @example
 * ```ts
 * if (isOktaSignInError(error) && error.code === 'LOGIN_REQUIRED') location.assign('/login');
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export type OktaSignInErrorCode =
  | 'DISCOVERY_FAILED'
  | 'INVALID_TRANSACTION'
  | 'STATE_MISMATCH'
  | 'ISSUER_MISMATCH'
  | 'INVALID_CALLBACK'
  | 'ACCESS_DENIED'
  | 'LOGIN_REQUIRED'
  | 'AUTHORIZATION_ERROR'
  | 'OAUTH_ERROR'
  | 'ID_TOKEN_INVALID'
  | 'DEVICE_CODE_EXPIRED'
  | 'INVALID_RESPONSE';

/**
 * Which ID token check failed, on `ID_TOKEN_INVALID` errors.
 * @example
 * ```ts
 * if (isOktaSignInError(error) && error.reason === 'expired') console.warn('Check the system clock');
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export type IdTokenFailure =
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'issuer'
  | 'audience'
  | 'expired'
  | 'issued-in-future'
  | 'nonce'
  | 'subject'
  | 'auth-time'
  | 'acr';

/**
 * Options for {@link OktaSignInError}.
 * @example
 * ```ts
 * throw new OktaSignInError('ACCESS_DENIED', 'The user cancelled.', { error: 'access_denied' });
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export interface OktaSignInErrorOptions {
  /** The underlying error, kept as `cause`. */
  readonly cause?: unknown;
  /** The OAuth `error` value (`access_denied`, `invalid_grant`, …), when Okta sent one. */
  readonly error?: string | undefined;
  /** The OAuth `error_description`, when Okta sent one. */
  readonly error_description?: string | undefined;
  /** The HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  /** Okta's `X-Okta-Request-Id` of the answer, when there was one. */
  readonly requestId?: string | undefined;
  /** The org whose endpoint answered (scheme and host, as the request went), when there was an answer. */
  readonly origin?: string | undefined;
  /** On `ID_TOKEN_INVALID`: which check failed. */
  readonly reason?: IdTokenFailure | undefined;
}

const brand = '@org/okta-oauth/sign-in-error';

/**
 * The error the user sign-in flows of `@org/okta-oauth` throw for what is
 * particular to them (callbacks, ID tokens, device sign-in, "sign in
 * again"). Token endpoint refusals (a replayed code, a wrong code verifier, a
 * bad client secret) are the package's `OktaOAuthError` with code
 * `TOKEN_REQUEST_FAILED` and the OAuth `error`; transport failures
 * (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`) are the core's `OktaAuthError`.
 * It extends the package's base class `OktaOAuthError`, so `isOktaOAuthError` and
 * `isOktaAuthError` both recognise it.
 *
 * Messages and fields never hold a token, code, code verifier or secret.
 *
 * @example
 * ```ts
 * declare function showCancelled(): void;
 * declare function restartSignIn(): void;
 * try {
 *   const { tokens } = await client.finishSignIn(callbackUrl, transaction);
 * } catch (error) {
 *   if (isOktaSignInError(error)) {
 *     switch (error.code) {
 *       case 'ACCESS_DENIED': showCancelled(); break;
 *       case 'STATE_MISMATCH': restartSignIn(); break;
 *       default: throw error;
 *     }
 *   }
 *   throw error;
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OktaSignInError extends OktaOAuthError {
  /** Always `OktaSignInError`. */
  override name = 'OktaSignInError';
  /** Why it failed: one of the sign-in codes. */
  declare readonly code: OktaSignInErrorCode;
  /** On `ID_TOKEN_INVALID`: which check failed. */
  declare readonly reason: IdTokenFailure | undefined;

  constructor(code: OktaSignInErrorCode, message: string, options: OktaSignInErrorOptions = {}) {
    super(code, message, options);
    this.reason = options.reason;
    brandError(this, brand);
  }
}

/**
 * Cross-realm guard for {@link OktaSignInError}, without relying on `instanceof`
 * alone (duplicated installs, iframes, workers).
 *
 * @example
 * ```ts
 * declare function redirectToSignIn(): void;
 * if (isOktaSignInError(error) && error.code === 'LOGIN_REQUIRED') redirectToSignIn();
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function isOktaSignInError(error: unknown): error is OktaSignInError {
  return isBrandedError(error, OktaSignInError, brand);
}
