import { OktaAuthError } from '@org/okta-auth-core';
import { brandError, isBrandedError } from '@org/okta-auth-core/internal';

const brand = '@org/okta-token-store-redis/error';

/**
 * Why `@org/okta-token-store-redis` failed:
 * - `INVALID_CONFIG`: an option is missing or wrong (the message says which; never key material);
 * - `REDIS_UNAVAILABLE`: Redis did not answer in time or answered with an error. The
 *   credential treats it as a cache miss and goes on without Redis: callers never see it.
 * - `FLEET_WAIT_EXCEEDED`: another process's token request took longer than `maxWaitMs`;
 *   the credential then asks Okta itself.
 * @example
 * ```ts
 * if (isOktaRedisStoreError(error)) {
 *   const code: OktaRedisStoreErrorCode = error.code;
 *   if (code === 'REDIS_UNAVAILABLE') console.warn('Redis did not answer: going on without it');
 * }
 * ```
 * @see https://redis.io/docs/latest/develop/reference/clients/
 */
export type OktaRedisStoreErrorCode = 'INVALID_CONFIG' | 'REDIS_UNAVAILABLE' | 'FLEET_WAIT_EXCEEDED';

/**
 * The error `@org/okta-token-store-redis` throws.
 *
 * @example
 * ```ts
 * try {
 *   createRedisTokenStorage({ client, encryption });
 * } catch (error) {
 *   if (isOktaRedisStoreError(error) && error.code === 'INVALID_CONFIG') console.error(error.message);
 * }
 * ```
 * @see https://developer.okta.com/docs/reference/error-codes/
 */
export class OktaRedisStoreError extends OktaAuthError<OktaRedisStoreErrorCode> {
  /** Always `OktaRedisStoreError`. */
  override name = 'OktaRedisStoreError';

  constructor(code: OktaRedisStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    brandError(this, brand);
  }
}

/**
 * Cross-realm type guard for {@link OktaRedisStoreError}.
 *
 * @example
 * ```ts
 * if (isOktaRedisStoreError(error)) console.error(error.code);
 * ```
 * @see https://redis.io/docs/latest/develop/reference/clients/
 */
export function isOktaRedisStoreError(error: unknown): error is OktaRedisStoreError {
  return isBrandedError(error, OktaRedisStoreError, brand);
}
