import { OktaAuthError } from '@org/okta-auth-core';
import { brandError, isBrandedError } from '@org/okta-auth-core/internal';

const brand = '@org/okta-ssws/error';

/**
 * Why an `@org/okta-ssws` factory refused its input:
 * - `INVALID_TOKEN`: the API token is empty, malformed, a placeholder, or not an API token at all (a JWT).
 * - `INVALID_CONFIG`: an option or environment variable is missing or contradicts API-token mode.
 * @example
 * ```ts
 * if (isOktaSswsError(error)) {
 *   const code: OktaSswsErrorCode = error.code;
 *   if (code === 'INVALID_TOKEN') console.error('Set OKTA_CLIENT_TOKEN to an API token (Admin Console > Security > API > Tokens).');
 * }
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export type OktaSswsErrorCode = 'INVALID_TOKEN' | 'INVALID_CONFIG';

/**
 * The error `@org/okta-ssws` throws. The message says what to fix and never
 * contains the token.
 *
 * @example
 * ```ts
 * try {
 *   createSswsCredential({ orgUrl: 'https://acme.okta.com', token: process.env.OKTA_CLIENT_TOKEN ?? '' });
 * } catch (error) {
 *   if (isOktaSswsError(error) && error.code === 'INVALID_TOKEN') console.error(error.message);
 * }
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export class OktaSswsError extends OktaAuthError<OktaSswsErrorCode> {
  /** Always `OktaSswsError`. */
  override name = 'OktaSswsError';

  constructor(code: OktaSswsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    brandError(this, brand);
  }
}

/**
 * Cross-realm type guard for {@link OktaSswsError}.
 *
 * @example
 * ```ts
 * if (isOktaSswsError(error)) console.error(error.code);
 * ```
 * @see https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export function isOktaSswsError(error: unknown): error is OktaSswsError {
  return isBrandedError(error, OktaSswsError, brand);
}
